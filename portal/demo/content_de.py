# ruff: noqa: E501 - prose, one paragraph a line, as in content.py
"""The demo's items written in German (issue 18); fictional, not medical advice.

A handful beside the English ones (``portal.demo.content``), so listings,
search and the language filter have German items to show: written once, in
German, by the demo's German-speaking member (``mitglied``, Katrin from
Cologne) and the demo expert, and published through the same review as the
English items. Tags are lower case, as writers' tags are (``authoring.forms``).
"""

from __future__ import annotations

LANGUAGE = "de"

# The expert article's closing next step, in the article's language.
EXPERT_CALLOUT = (
    "Notieren Sie sich Ihre Fragen dazu und nehmen Sie sie zu Ihrem nächsten Termin "
    "in der MS-Ambulanz mit."
)

BLOG_POSTS = [
    {
        "author": "mitglied",
        "title": "Fatigue im Büro: Wie ich meinen Arbeitstag neu eingeteilt habe",
        "summary": "Seit meiner Diagnose begleitet mich die Fatigue bei der Arbeit. Mit ein paar festen Regeln komme ich heute besser durch die Woche.",
        "paragraphs": [
            "Als ich 2021 die Diagnose bekam, dachte ich, die Schübe wären das Schwierigste. Heute weiß ich: Für mich ist es die Fatigue. Sie ist keine normale Müdigkeit nach einer kurzen Nacht, sondern fällt wie ein Vorhang, oft mitten am Nachmittag. Dann lese ich eine E-Mail dreimal und verstehe sie trotzdem nicht.",
            "Lange habe ich versucht, einfach durchzuhalten. Das Ergebnis: Freitags war ich völlig erledigt und brauchte das ganze Wochenende, um mich zu erholen. Meine Ergotherapeutin hat mir dann beigebracht, meinen Tag wie ein Budget zu planen. Was kostet viel Kraft, was wenig, und wo sind die Pausen?",
            "Inzwischen erledige ich anspruchsvolle Aufgaben am Vormittag, wenn mein Kopf am klarsten ist. Nach dem Mittagessen mache ich zwanzig Minuten Pause, die wie ein Termin in meinem Kalender stehen. An zwei Tagen in der Woche arbeite ich von zu Hause, das spart mir die anstrengende Fahrt mit der Bahn.",
            "Nicht jeder Tag läuft nach Plan, und manchmal ist das Budget schon um neun Uhr aufgebraucht. Aber ich habe gelernt, das nicht als persönliches Versagen zu sehen. Wenn es euch ähnlich geht: Sprecht mit eurem MS-Team über die Fatigue. Es gibt Hilfe, auch wenn man die Erschöpfung von außen nicht sieht.",
        ],
        "tags": ["fatigue", "arbeit", "müdigkeit"],
    },
    {
        "author": "mitglied",
        "title": "Warum ich trotz MS wieder schwimmen gehe",
        "summary": "Sport war für mich lange mit Angst verbunden. Im Hallenbad habe ich eine Bewegung gefunden, die mir guttut, ohne dass ich überhitze.",
        "paragraphs": [
            "Nach meinem zweiten Schub hatte ich Angst vor jeder Anstrengung. Sobald mir warm wurde, kribbelten meine Beine, und ich war sicher, dass ich mir damit schade. Meine Neurologin hat mir erklärt, dass Wärme alte Beschwerden vorübergehend verstärken kann. Das ist kein neuer Schub und klingt wieder ab, wenn der Körper abkühlt.",
            "Sie hat mir geraten, es mit Bewegung im Wasser zu versuchen. Das Becken in unserem Hallenbad ist angenehm kühl, und das Wasser trägt mich, wenn meine Beine müde werden. Am Anfang bin ich nur zehn Minuten geschwommen und habe mich danach auf die Bank gesetzt. Inzwischen schaffe ich eine halbe Stunde.",
            "Ich gehe zweimal pro Woche, am liebsten früh am Morgen, wenn es noch leer ist. Danach bin ich angenehm müde, aber nicht erschöpft, und ich schlafe besser. Meine Physiotherapeutin hat mir außerdem ein paar Übungen am Beckenrand gezeigt, mit denen ich mein Gleichgewicht trainiere.",
            "Ich will niemandem vorschreiben, welcher Sport der richtige ist. Für mich war wichtig, langsam anzufangen und auf meinen Körper zu hören. Wenn ihr unsicher seid, fragt in eurer Physiotherapie nach, was zu euch passt.",
        ],
        "tags": ["bewegung", "hitze", "schlaf"],
    },
]

EXPERT_ARTICLES = [
    {
        "author": "expert",
        "title": "Fatigue bei MS: Was nachweislich hilft",
        "summary": "Fatigue gehört zu den häufigsten und belastendsten Beschwerden bei Multipler Sklerose. Dieser Beitrag erklärt, was sie verstärken kann und welche Ansätze gut belegt sind.",
        "paragraphs": [
            "Die meisten Menschen mit MS erleben im Verlauf der Erkrankung eine Fatigue, und viele beschreiben sie als ihr belastendstes Symptom. Sie unterscheidet sich von gewöhnlicher Müdigkeit: Sie kann plötzlich einsetzen, steht oft in keinem Verhältnis zur vorangegangenen Anstrengung und bessert sich durch Ruhe nicht immer. Weil sie von außen nicht sichtbar ist, wird sie häufig unterschätzt.",
            "Zunächst lohnt es sich, nach Faktoren zu suchen, die eine Fatigue verstärken können. Dazu gehören schlechter Schlaf, eine gedrückte Stimmung, Schmerzen, Infekte, Blutarmut, Schilddrüsenerkrankungen und Nebenwirkungen von Medikamenten. Werden solche Ursachen erkannt und behandelt, kann die Erschöpfung spürbar nachlassen. Sprechen Sie diese Punkte in Ihrer Hausarztpraxis oder in Ihrer MS-Ambulanz an.",
            "Unter den nichtmedikamentösen Ansätzen ist regelmäßiges körperliches Training am besten untersucht, etwa Ausdauer-, Kraft- und Gleichgewichtsübungen, angepasst an die eigenen Möglichkeiten. Auch Programme zum Energiemanagement, wie sie in der Ergotherapie angeboten werden, und verhaltenstherapeutische Verfahren helfen vielen Betroffenen. Eine multimodale Rehabilitation kann diese Bausteine bündeln.",
            "Medikamente werden gelegentlich erwogen, ihr Nutzen bei MS-bedingter Fatigue ist nach heutigem Wissen aber gering, und sie sind nicht für alle geeignet. Die Grundlage bleiben praktische Strategien: Pausen einplanen, Kräfte einteilen und Überwärmung vermeiden. Ihr Behandlungsteam kann Ihnen helfen, eine Kombination zu finden, die zu Ihrem Alltag passt.",
        ],
        "tags": ["fatigue", "müdigkeit", "bewegung"],
        "credentials": "Fachärztin für Neurologie, MS-Schwerpunktambulanz",
        "references": [
            {
                "citation": "Deutsche Gesellschaft für Neurologie: S2k-Leitlinie Diagnose und Therapie der Multiplen Sklerose, Neuromyelitis-optica-Spektrum-Erkrankungen und MOG-IgG-assoziierten Erkrankungen (AWMF-Registernummer 030-050)",
                "url": "https://register.awmf.org/de/leitlinien/detail/030-050",
            },
            {
                "citation": "Deutsche Multiple Sklerose Gesellschaft (DMSG): Informationen zur Fatigue",
                "url": "https://www.dmsg.de/",
            },
        ],
    },
]

STORIES = [
    {
        "author": "mitglied",
        "title": "Von der Sehnerventzündung zur Diagnose: Mein Weg zur MS",
        "summary": "Es begann mit verschwommenem Sehen auf einem Auge. Ein paar Monate später hatte ich die Diagnose schubförmige MS. So habe ich diese Zeit erlebt.",
        "paragraphs": [
            "Im Frühjahr 2021 sah ich plötzlich auf dem linken Auge wie durch Milchglas, und jede Augenbewegung tat weh. Meine Augenärztin schickte mich noch am selben Tag in die Klinik. Dort hieß es: Sehnerventzündung. Drei Tage lang bekam ich hochdosiertes Kortison über die Vene, und zum ersten Mal fiel das Wort Multiple Sklerose, damals nur als Möglichkeit.",
            "Es folgten ein MRT, eine Lumbalpunktion und viele Wochen Warten. In dieser Zeit habe ich viel zu viel im Internet gelesen, meistens nachts. Als die Neurologin mir schließlich sagte, dass es eine schubförmige MS ist, war ich fast erleichtert, endlich Gewissheit zu haben. Geweint habe ich trotzdem, im Auto auf dem Parkplatz.",
            "Danach haben wir in Ruhe über eine verlaufsmodifizierende Therapie gesprochen. Ich habe meine Fragen aufgeschrieben und zum nächsten Termin mitgenommen, und wir haben uns gemeinsam für eine Behandlung entschieden, die zu meinem Alltag passt. Mein Sehen hat sich fast vollständig erholt, nur Rot wirkt auf dem linken Auge etwas blasser.",
            "Am meisten geholfen hat mir eine Selbsthilfegruppe hier in Köln. Dort habe ich Menschen getroffen, die seit vielen Jahren mit MS leben, arbeiten und reisen. Mit meiner Geschichte möchte ich ein bisschen von dem Mut weitergeben, den ich dort bekommen habe.",
        ],
        "tags": ["diagnose", "sehnerventzündung"],
        "condition": "Relapsing-remitting MS",
        "treatments": ["kortison"],
        "year_of_diagnosis": 2021,
        "anonymous": False,
    },
    {
        "author": "mitglied",
        "title": "Drei Wochen Reha: Was mir die Zeit in der Klinik gebracht hat",
        "summary": "Letzten Herbst war ich zum ersten Mal in einer neurologischen Reha. Ich hatte wenig erwartet und bin mit neuen Gewohnheiten und mehr Kraft zurückgekommen.",
        "paragraphs": [
            "Den Antrag auf Reha habe ich lange vor mir hergeschoben. Drei Wochen weg von zu Hause und von der Arbeit, das konnte ich mir nicht vorstellen. Meine Neurologin hat mich schließlich überzeugt, und der Sozialdienst hat mir beim Antrag an die Rentenversicherung geholfen.",
            "Die Tage in der Klinik waren voller als gedacht: morgens Physiotherapie und Gleichgewichtstraining, mittags Ergotherapie, nachmittags Gruppen zu Fatigue und Stressbewältigung. Am Anfang war ich abends so erschöpft, dass ich um acht im Bett lag. Nach der ersten Woche wurde es besser, weil das Team die Belastung genau an mich angepasst hat.",
            "Am meisten mitgenommen habe ich aus der Fatigue-Gruppe. Dort habe ich gelernt, ein Energietagebuch zu führen und Pausen zu planen, bevor ich sie dringend brauche. Außerdem habe ich gemerkt, wie gut mir Bewegung tut, wenn sie in kleinen Portionen kommt.",
            "Zurück im Alltag war nicht alles sofort leicht, und nach ein paar Wochen war der Schwung etwas verflogen. Aber einige Gewohnheiten sind geblieben: meine Übungen am Morgen, die Mittagspause auf dem Sofa und der Mut, auch mal Nein zu sagen. Wer über eine Reha nachdenkt: Sprecht mit eurem Behandlungsteam darüber.",
        ],
        "tags": ["reha", "fatigue", "bewegung"],
        "condition": "Relapsing-remitting MS",
        "treatments": ["physiotherapie", "ergotherapie"],
        "year_of_diagnosis": 2021,
        "anonymous": False,
    },
]

# Words for the synthetic items written in German (``portal.demo.bulk``), one
# for each of its English topics, in the same order, so German items are found
# by German words on every search backend.
SYNTHETIC_TOPICS = [
    "fatigue",
    "schübe",
    "schlaf",
    "arbeit",
    "bewegung",
    "ernährung",
    "mobilität",
    "psyche",
    "forschung",
    "angehörige",
]
