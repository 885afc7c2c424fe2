"""Ask an expert in the demo: a verified clinician, a standard reply and a dozen questions
in every state a person can try (issue 13).

Driven through the real services and the review workflow: questions pass the
demo editor, answers are written by the demo expert after claiming, pass the
demo medical reviewer, and are accepted by the asker, so histories,
notifications and the service-level report are real. Running it again adds
only what is missing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale, Page, PageLogEntry

from authoring.markup import markdown_to_blocks
from core import roles
from core.models import Audience, Condition
from moderation.services import page_submit_for_review, review_approve
from questions.forms import summary_from
from questions.models import (
    AcceptedAnswer,
    ExpertVerification,
    HelpfulMark,
    QuestionPage,
    StandardReply,
)
from questions.services import ACCEPT_ACTION, answer_accept, answer_save, question_claim

from . import community_content as spec
from .history import backdate_review_history

# What happens to each demo question after it is asked.
IN_REVIEW = "in editorial review"
OPEN = "open"
CLAIMED = "claimed, not answered yet"
ANSWER_IN_REVIEW = "answer in medical review"
ANSWERED = "answered"
ACCEPTED = "answered and accepted"
STANDARD = "answered with the standard reply"

STANDARD_REPLY = {
    "name": "Personal diagnosis or treatment decision",
    "text": (
        "We cannot assess you here: answering this safely needs someone who knows your "
        "history and can examine you.\n\n"
        "- For a decision about your treatment, ask your MS nurse or neurologist; most MS "
        "teams have a helpline for questions between appointments.\n"
        "- If something feels suddenly worse, call your MS team the same day, or your "
        "GP's out-of-hours service.\n"
        "- In an emergency, call 999 (112 in Europe).\n\n"
        "Write down what changed and when: it helps whoever you speak to."
    ),
}

EXPERT_VERIFICATION = {
    "profession": "Consultant neurologist",
    "registration_body": "General Medical Council",
    "registration_number": "7012345",
}

ANSWER_TEXT = {
    "exercise": (
        "During a relapse, rest is usually the priority, but complete bed rest is rarely "
        "needed. Gentle movement that does not push your symptoms up (stretching, short "
        "walks) helps keep your strength.\n\nOnce the relapse settles, build back up "
        "slowly: a physiotherapist can plan this with you."
    ),
    "heat": (
        "Yes: a rise in body temperature can bring back or worsen symptoms for a while "
        "(Uhthoff's phenomenon). It is not a relapse and it passes as you cool down.\n\n"
        "Cooling vests, cool drinks and exercising in the cooler part of the day help many "
        "people."
    ),
    "employer": (
        "You do not have to tell your employer, but telling them can give you the right to "
        "reasonable adjustments, such as flexible hours or rest breaks. Many people start "
        "with occupational health rather than their manager."
    ),
    "fog": (
        "Problems with memory, attention and thinking speed are common in MS and are often "
        "called cognitive symptoms. Fatigue, poor sleep and low mood make them worse, so "
        "those are worth tackling first. Ask your MS team about a cognitive assessment."
    ),
    "appointment": (
        "Good questions for a first appointment: which type of MS do I have, what are my "
        "treatment options, who do I call between appointments, and what should make me "
        "call the same day. Bring someone with you to take notes."
    ),
    "stress": (
        "Studies suggest stressful life events may be followed by a slightly higher chance "
        "of relapse, but stress does not cause MS and you are not to blame for a relapse. "
        "Managing stress is still worth it for its own sake."
    ),
    # Asked in German (LANGUAGES): answered in German, as the expert would.
    "arbeitgeber": (
        "Nein, Sie sind nicht verpflichtet, Ihrem Arbeitgeber die Diagnose mitzuteilen, "
        "solange Sie Ihre Arbeit sicher ausüben können. Ob Sie davon erzählen, ist Ihre "
        "Entscheidung.\n\nEin offenes Gespräch kann aber Unterstützung möglich machen, "
        "etwa flexible Arbeitszeiten, zusätzliche Pausen oder Arbeit im Homeoffice. Ist "
        "eine Schwerbehinderung anerkannt, gelten außerdem besondere Schutzrechte, zum "
        "Beispiel beim Kündigungsschutz. Viele sprechen zuerst mit dem betriebsärztlichen "
        "Dienst, der an die Schweigepflicht gebunden ist, oder lassen sich bei der DMSG "
        "beraten."
    ),
}
# A listing's summary for an answer in another language than the site's default
# (an answer without one says "A verified clinician's answer.").
ANSWER_SUMMARY = {
    "arbeitgeber": "Die Antwort einer verifizierten Fachärztin.",
}

# (key, asker, title, details, conditions, audience, anonymous, outcome, days since published)
QUESTIONS = [
    (
        "exercise",
        "member1",
        "Can I exercise during a relapse?",
        "My physio says keep moving, but my legs are weak this week. Should I rest?",
        ["Relapsing-remitting MS"],
        Audience.EVERYONE,
        False,
        ACCEPTED,
        20,
    ),
    (
        "heat",
        "member2",
        "Does heat really make MS symptoms worse?",
        "My son feels much worse after a hot bath. Is that the MS or something else?",
        ["Caring for someone with MS"],
        Audience.EVERYONE,
        False,
        ANSWERED,
        16,
    ),
    (
        "employer",
        "member3",
        "Do I have to tell my employer about my diagnosis?",
        "I work in a warehouse and worry about losing my job if I say anything.",
        ["Newly diagnosed"],
        Audience.MEMBERS,
        False,
        ANSWER_IN_REVIEW,
        6,
    ),
    (
        "fog",
        "member1",
        "Is brain fog part of MS or something else?",
        "Some afternoons I cannot follow a conversation. I have not told anyone.",
        ["Relapsing-remitting MS"],
        Audience.MEMBERS,
        True,
        ACCEPTED,
        12,
    ),
    (
        "switch",
        "member2",
        "Should my son switch his treatment after a new lesion?",
        "His last scan showed a new lesion. Should he change his disease-modifying drug now?",
        ["Relapsing-remitting MS"],
        Audience.MEMBERS,
        False,
        STANDARD,
        9,
    ),
    (
        "appointment",
        "member2",
        "What should we ask at a first neurology appointment?",
        "The appointment is next month and we do not know where to start.",
        ["Newly diagnosed"],
        spec.NEWLY_DIAGNOSED,
        False,
        ANSWERED,
        8,
    ),
    (
        "trials",
        "member3",
        "Are there trials for primary progressive MS I could join?",
        "I have read about new drugs but do not know how people get into trials.",
        ["Primary progressive MS"],
        Audience.EVERYONE,
        False,
        CLAIMED,
        3,
    ),
    (
        "partner",
        "member2",
        "How can I help with fatigue without taking over?",
        "I want to help my son pace himself without treating him like a child.",
        ["Caring for someone with MS"],
        Audience.EVERYONE,
        False,
        OPEN,
        9,
    ),
    (
        "vitamin-d",
        "member1",
        "Can vitamin D help with MS?",
        "A friend takes high doses. Is there any evidence, and is it safe?",
        [],
        Audience.EVERYONE,
        True,
        OPEN,
        1,
    ),
    (
        "vaccines",
        "member3",
        "Is it safe to get vaccinated on my treatment?",
        "My flu jab is due and I started a new treatment in the spring.",
        ["Secondary progressive MS"],
        Audience.MEMBERS,
        False,
        IN_REVIEW,
        0,
    ),
    (
        "stress",
        "member1",
        "Can stress cause a relapse?",
        "My last two relapses came after very stressful months at work.",
        ["Relapsing-remitting MS"],
        Audience.MEMBERS,
        False,
        ANSWERED,
        14,
    ),
    (
        "arbeitgeber",
        "mitglied",
        "Muss ich meinem Arbeitgeber sagen, dass ich MS habe?",
        "Ich arbeite in einem Büro in Köln und habe die Diagnose seit 2021. Bisher weiß "
        "nur eine Kollegin davon. Bin ich verpflichtet, es meinem Chef zu sagen?",
        ["Relapsing-remitting MS"],
        Audience.EVERYONE,
        False,
        ACCEPTED,
        10,
    ),
    (
        "wheelchair",
        "member2",
        "Will I end up needing a wheelchair?",
        "It is the first thing everyone asks me since the diagnosis, and I cannot sleep.",
        ["Newly diagnosed"],
        spec.NEWLY_DIAGNOSED,
        True,
        OPEN,
        2,
    ),
]
# Members who say an answer helped, by question.
HELPFUL = {"exercise": ["member2", "member3"], "heat": ["member1"], "stress": ["member2"]}
# Questions asked in another language than the site's default, by key (issue 18): the
# question carries it as its locale, and its answer (a child page) takes the same.
LANGUAGES = {"arbeitgeber": "de"}


def _accepted_at(accepted: AcceptedAnswer, when) -> None:
    """Date an acceptance (and its line in the question's history) after its answer."""
    AcceptedAnswer.objects.filter(pk=accepted.pk).update(accepted_at=when)
    PageLogEntry.objects.filter(page_id=accepted.question_id, action=ACCEPT_ACTION).update(
        timestamp=when
    )


def demo_expert_ensure(*, accounts) -> ExpertVerification:
    """The demo expert's verification (checked by the demo medical reviewer), answering
    about every demo condition."""
    verification, _created = ExpertVerification.objects.get_or_create(
        user=accounts["expert"],
        defaults={**EXPERT_VERIFICATION, "verified_by": accounts["medic"]},
    )
    verification.conditions.set(Condition.objects.filter(name__in=_demo_conditions()))
    return verification


def _demo_conditions():
    return {name for item in QUESTIONS for name in item[4]}


def _audience(value, communities):
    if value in (Audience.EVERYONE, Audience.MEMBERS):
        return value, None
    return Audience.COMMUNITY, communities[value]


def _ask(
    *, section, asker, title, details, conditions, audience, community, anonymous, language=""
):
    question = QuestionPage(
        title=title,
        slug=slugify(title)[:80],
        summary=summary_from(details),
        body=markdown_to_blocks(details),
        author=asker,
        owner=asker,
        live=False,
        audience=audience,
        community=community,
        is_anonymous=anonymous,
        conditions=list(Condition.objects.filter(name__in=conditions)),
    )
    if language:
        # Without it, add_child gives the question its section's locale (the default).
        question.locale = Locale.objects.get(language_code=language)
    section.add_child(instance=question)
    return question


def _answer(*, question, accounts, key, outcome, reply, when):
    expert = accounts["expert"]
    question_claim(expert=expert, question=question)
    if outcome == CLAIMED:
        return
    data = (
        {"standard_reply": reply}
        if outcome == STANDARD
        else {"body": markdown_to_blocks(ANSWER_TEXT[key]), "summary": ANSWER_SUMMARY.get(key, "")}
    )
    answer = answer_save(expert=expert, question=question, data=data, submit=True)
    if outcome == ANSWER_IN_REVIEW:
        return
    review_approve(page=answer, user=accounts["medic"], comment="Accurate and kind.")
    answer.refresh_from_db()
    backdate_review_history(answer, published=when)
    if outcome == ACCEPTED:
        accepted = answer_accept(user=question.author, answer=answer).accepted
        _accepted_at(accepted, when + timedelta(hours=5))
    for username in HELPFUL.get(key, []):
        HelpfulMark.objects.get_or_create(answer=answer, user=accounts[username])


def demo_questions_seed(*, accounts, sections, communities) -> dict[str, int]:
    """The demo's verified expert, standard reply and questions; returns counts per outcome."""
    demo_expert_ensure(accounts=accounts)
    reply, _created = StandardReply.objects.get_or_create(
        name=STANDARD_REPLY["name"], defaults={"text": STANDARD_REPLY["text"]}
    )
    section = sections[roles.QUESTIONS]
    now = timezone.now()
    created: dict[str, int] = {}
    for key, asker, title, details, conditions, audience, anonymous, outcome, days in QUESTIONS:
        if Page.objects.child_of(section).filter(slug=slugify(title)[:80]).exists():
            continue
        audience, community = _audience(audience, communities)
        with transaction.atomic():
            question = _ask(
                section=section,
                asker=accounts[asker],
                title=title,
                details=details,
                conditions=conditions,
                audience=audience,
                community=community,
                anonymous=anonymous,
                language=LANGUAGES.get(key, ""),
            )
            page_submit_for_review(page=question, user=question.author)
            if outcome != IN_REVIEW:
                review_approve(page=question, user=accounts["editor"])
                question = QuestionPage.objects.get(pk=question.pk)
                asked = now - timedelta(days=days, hours=2)
                backdate_review_history(question, published=asked)
                if outcome != OPEN:
                    answered = min(asked + timedelta(days=1), now - timedelta(hours=6))
                    _answer(
                        question=question,
                        accounts=accounts,
                        key=key,
                        outcome=outcome,
                        reply=reply,
                        when=answered,
                    )
        created[outcome] = created.get(outcome, 0) + 1
    return created
