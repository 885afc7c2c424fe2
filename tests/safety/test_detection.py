"""Targeted cases for the offline detectors (no database, no Django)."""

import re
import time

import pytest

from safety import detection
from safety.detection import (
    LEXICON_VERSION,
    find_adverse_events,
    find_crisis,
    find_medicines,
    find_personal_data,
    is_crisis_query,
    lexicon,
    redact,
)


def _one(text):
    signals = find_adverse_events(text)
    assert len(signals) == 1, signals
    return signals[0]


# --- medicines


@pytest.mark.parametrize(
    "text, label",
    [
        ("I'm on Tecfidera.", "Dimethyl fumarate"),
        ("I'm on dimethyl fumarate.", "Dimethyl fumarate"),
        ("Kesimpta pens arrived", "Ofatumumab"),
        ("ofatumumab is a monthly pen", "Ofatumumab"),
        ("Solu-Medrol for three days", "Methylprednisolone"),
        ("been on tecfidra 2 months", "Dimethyl fumarate"),  # a typo
        ("Sertraline at night", "Sertraline"),  # from the general dictionary
    ],
)
def test_medicines_brand_generic_and_typo(text, label):
    medicines = find_medicines(text)
    assert [m.label for m in medicines] == [label]
    assert all(text[m.start : m.end] == m.text and m.kind == "medicine" for m in medicines)


def test_everyday_words_are_no_medicines():
    text = "Caps off to the nurses; she sits with me, we had tea with honey and some water."
    assert find_medicines(text) == []


# --- adverse events


def test_signal_fields_and_offsets():
    text = "Week two. Started Tecfidera last month and the flushing is awful."
    signal = _one(text)
    assert signal.medicine.label == "Dimethyl fumarate"
    assert signal.event.label == "Flushing" and signal.event.kind == "event"
    assert signal.sentence.kind == "sentence"
    for span in (signal.medicine, signal.event, signal.sentence):
        assert text[span.start : span.end] == span.text
    assert signal.sentence.text.startswith("Started Tecfidera")
    assert signal.serious is False
    assert signal.patient == ""


@pytest.mark.parametrize(
    "text",
    [
        "Two years on Ocrevus with no side effects at all.",
        "Kesimpta didn't cause any rash for me.",
        "Baclofen helps without any nausea.",
        "Never had a single headache from fampridine.",
        "I was worried about hair loss on Aubagio but it never happened.",
        "Four years on Copaxone and never once had a lump or a reaction.",
    ],
)
def test_negated_events_are_no_signal(text):
    assert find_adverse_events(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The leaflet says Tecfidera could cause flushing.",
        "My neuro warned Gilenya may cause a slow heart rate.",
        "Ask your doctor about side effects before starting Aubagio.",
        "If you get a rash on Copaxone, tell your MS nurse.",
        "Does Kesimpta cause headaches for anyone?",
        "Possible side effects of fampridine include seizures.",
    ],
)
def test_hypothetical_events_are_no_signal(text):
    assert find_adverse_events(text) == []


def test_indication_is_no_event():
    assert find_adverse_events("Amantadine was prescribed for my fatigue.") == []
    assert find_adverse_events("Baclofen has helped my spasms a lot.") == []


def test_medicine_in_previous_sentence_counts():
    signal = _one("Started Ocrevus in May. Since then I've had hives every week.")
    assert signal.medicine.label == "Ocrelizumab"
    assert signal.event.label == "Urticaria"
    assert signal.sentence.text.startswith("Started Ocrevus")


@pytest.mark.parametrize(
    "text",
    [
        "Ended up in A&E with chest pain after my first dose of fingolimod.",
        "They found PML on my scan after six years of Tysabri.",
        "I had a seizure two days after starting fampridine.",
        "Copaxone gave me an anaphylactic reaction.",
        "Teriflunomide gave me liver failure.",
        "The Tecfidera rash was so bad I was admitted.",
    ],
)
def test_serious(text):
    signals = find_adverse_events(text)
    assert signals and any(s.serious for s in signals), signals


def test_not_serious():
    assert not _one("Tecfidera gave me a mild rash.").serious


@pytest.mark.parametrize(
    "text, patient",
    [
        (
            "My wife's been on Kesimpta and she gets a headache after every pen.",
            "the author's wife",
        ),
        ("My husband had a seizure two days after his Lemtrada infusion.", "the author's husband"),
        ("Mum was given methylprednisolone and it sent her blood sugar high.", "the author's mum"),
        ("My husband drove me home after Tecfidera gave me chest pain.", ""),
    ],
)
def test_patient(text, patient):
    signals = find_adverse_events(text)
    assert signals and signals[0].patient == patient


def test_signals_deduplicated_in_text_order():
    text = (
        "Gilenya gave me headaches. Tecfidera made me flush. "
        "Gilenya headaches again today. Then the Gilenya put me in hospital with a seizure."
    )
    signals = find_adverse_events(text)
    pairs = [(s.medicine.label, s.event.label) for s in signals]
    assert pairs[:2] == [("Fingolimod", "Headache"), ("Dimethyl fumarate", "Flushing")]
    assert len(pairs) == len(set(pairs))
    starts = [s.event.start for s in signals]
    assert starts == sorted(starts)


# --- crisis


@pytest.mark.parametrize(
    "text",
    [
        "I want to die.",
        "Everyone would be better off without me.",
        "I don't want to be here anymore.",
        "I’ve been cutting myself again.",  # a typographic apostrophe
        "Thinking of taking all my pills tonight.",
        "i dont want to live like this any more",
        "I feel suicidal.",
        "Ich will nicht mehr leben.",
    ],
)
def test_crisis_found(text):
    spans = find_crisis(text)
    assert spans
    assert all(text[s.start : s.end] == s.text and s.kind == "crisis" for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt myself.",
        "I'm not suicidal, just frustrated.",
        "The film was called 'I want to die' and it was a comedy.",
        "I read an article about suicide prevention.",
        "The leaflet says ask for help if you have thoughts of self-harm.",
        "This heat is killing me.",
        "I'm dying to try the new cafe.",
    ],
)
def test_no_crisis(text):
    assert find_crisis(text) == []


def test_crisis_kept_when_negation_belongs_to_another_clause():
    assert find_crisis("My carer doesn't know I've been cutting again.")
    assert find_crisis("Can't stop thinking about suicide lately.")


@pytest.mark.parametrize(
    "query",
    [
        "suicide",
        "Suicide helpline",
        "kill myself",
        "self harm",
        "self-harm",
        "want to die",
        "overdose on purpose",
        "end it all",
        "Suizid",
        "selbstmordgedanken",
    ],
)
def test_crisis_queries(query):
    assert is_crisis_query(query)


@pytest.mark.parametrize(
    "query", ["", "   ", "ocrevus", "fatigue", "die hard film", "cutting board"]
)
def test_ordinary_queries(query):
    assert not is_crisis_query(query)


# --- hostile input and housekeeping


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "<script>alert('I want to die')</script><img src=x onerror=alert(1)>",
        "Tecfidera\u0000gave me\u200b flushing 🙃 İstanbul ǅ ﬁ",
        "((((((((((((((((((((",
        "'" * 5000,
        "a" * 100_000,
    ],
)
def test_hostile_input_does_not_crash(text):
    find_medicines(text)
    find_adverse_events(text)
    find_crisis(text)
    find_personal_data(text)
    is_crisis_query(text)
    assert redact(text, find_personal_data(text)) is not None


def test_offsets_hold_on_unicode_and_html():
    text = "<p>Ünïcödé — Tecfidera gave me “flushing”; I’m fine otherwise.</p>"
    signal = _one(text)
    assert text[signal.event.start : signal.event.end] == signal.event.text == "flushing"


def test_long_text_is_fast():
    detection.warm()
    sentence = (
        "Tecfidera gave me flushing and my neighbour Sarah Connolly rang 07700 900123, "
        "but I would never hurt myself. "
    )
    text = (sentence * (5000 // len(sentence) + 1))[:5000]
    start = time.perf_counter()
    find_adverse_events(text)
    find_crisis(text)
    find_personal_data(text)
    assert time.perf_counter() - start < 1.0  # generous: a shared CI machine


def test_hundred_thousand_characters():
    text = ("Kesimpta gave me a headache. I want to die. Call 07700 900123. " * 1600)[:100_000]
    assert find_adverse_events(text)
    assert find_crisis(text)


def test_lexicon_version_and_headers():
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", LEXICON_VERSION)
    for name in lexicon.DATA_FILES:
        lines = (lexicon.DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        assert LEXICON_VERSION in lines[0], name
        assert any("Sources:" in line for line in lines[:12]), name


def test_every_list_line_compiles():
    lexicon.load_all()
    assert len(lexicon.adverse_event_entries()) > 100
    assert len(lexicon.crisis_entries()) > 50


def test_needle_index_hides_no_match():
    """The needle index is an optimisation only: it finds what running every pattern finds."""
    texts = [
        "Tecfidera flushing headaches hives, lumps; liver failure, PML! My ALT was raised.",
        "I keep wanting to hurt myself; better off dead; ich will nicht mehr leben; end it all",
        "my lymphocyte count crashed, seeing double, heart was pounding, can't sleep",
    ]
    for entries, index in (
        (lexicon.adverse_event_entries(), lexicon.adverse_event_index()),
        (lexicon.crisis_entries(), lexicon.crisis_index()),
    ):
        for text in texts:
            everything = {e.label for e in entries if e.pattern.search(text)}
            indexed = {e.label for e in index.candidates(text) if e.pattern.search(text)}
            assert everything == indexed


def test_no_django_import():
    import subprocess
    import sys

    code = (
        "import sys; import safety.detection as d; d.find_crisis('x'); "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=lexicon.DATA_DIR.parents[2])


# --- general wording (lexicon 2026-12-05.1)


@pytest.mark.parametrize(
    "text",
    [
        "Part of me just wants to stop existing.",
        "I hope I die in my sleep tonight.",
        "I've been researching how much insulin would kill me.",
        "Ich möchte einfach einschlafen und nicht mehr aufwachen.",
    ],
)
def test_crisis_compositional(text):
    assert find_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I hope my dad doesn't die before the wedding.",
        "I thought I was going to die in that MRI tube.",
        "I could have died of embarrassment.",
        "Ich will nicht sterben, ich will leben.",
    ],
)
def test_crisis_compositional_guards(text):
    assert find_crisis(text) == []


def test_adverse_event_general_wording():
    assert find_adverse_events("My lymphocytes dropped to 0.4 on Mavenclad.")
    assert find_adverse_events("I'm not sure if Tecfidera is causing my rash.")
    text = "Started Aubagio in June. Bloods were fine at first. Since then my hair is coming out."
    assert find_adverse_events(text)
    assert not find_adverse_events(
        "Started Kesimpta. Off to the shops. The weather gave me a headache."
    )
