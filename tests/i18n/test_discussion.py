"""Questions and the discussion in German (issue 18).

The questions listing, a question with its answers, asking (and its errors), the
experts' pages, the comment list and form under an item, the comment pages and
refusals (as a page and as JSON), the reply email and its mute page, and the staff
pages of both apps: each asked for by a German visitor (``Accept-Language: de``) or
by a member whose saved language is German, and read by ``tests.german``. The test
data is German, so only interface text is left. English members still get English.
"""

import re
from datetime import timedelta

from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site
from wagtail.rich_text import RichText

import pytest
from bs4 import BeautifulSoup

from core import roles
from core.models import Audience, Condition
from discussion.models import CommentReport, PageComment
from discussion.notifications import mute_token, send_reply_notifications
from questions.models import AcceptedAnswer, HelpfulMark, QuestionSettings, StandardReply
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.questions import (
    AnswerPageFactory,
    ExpertVerificationFactory,
    QuestionPageFactory,
)
from tests.german import GERMAN, assert_german, german_item

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
BODY = [("paragraph", RichText("<p>Seit dem letzten Schub bin ich oft erschöpft.</p>"))]
ANSWER_BODY = [("paragraph", RichText("<p>Bewegung in Maßen hilft vielen Betroffenen.</p>"))]
SUMMARY = "Ich wurde letztes Jahr diagnostiziert und frage mich, wie andere das schaffen."
ASK = reverse("questions:ask")


def part(response, selector):
    """The HTML of one part of a page (what this area renders inside another's frame)."""
    found = BeautifulSoup(response.content, "html.parser").select_one(selector)
    assert found is not None, f"no {selector} on the page"
    return str(found)


def person(name, *, group=roles.MEMBERS, language="de", trusted=True, **kwargs):
    """A member who agreed to the guidelines; ``trusted``: here for months, so comments
    appear at once and the pace is the ordinary one."""
    if trusted:
        kwargs.setdefault("date_joined", timezone.now() - timedelta(days=90))
    return with_consent(UserFactory(group=group, display_name=name, language=language, **kwargs))


def client_for(user=None, **headers):
    client = Client(**headers)
    if user is not None:
        client.force_login(user)
    return client


def flashed(response):
    """The messages a response left (the newest last), as the reader sees them."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


@pytest.fixture
def german_sections(home, sections):
    """The sections' own intros (content, from setup_portal) in German."""
    for page in [home, *sections.values()]:
        specific = page.specific
        type(specific).objects.filter(pk=page.pk).update(intro="<p>Willkommen hier.</p>")
    return sections


@pytest.fixture
def condition(portal):
    return Condition.objects.create(name="Schubförmige MS", slug="schubfoermige-ms")


@pytest.fixture
def asker():
    return person("Fragende Frieda")


@pytest.fixture
def clinician(portal, condition):
    user = person("Dr. Nerv", group=roles.EXPERTS)
    ExpertVerificationFactory(
        user=user,
        profession="Neurologin",
        registration_body="Ärztekammer Nordrhein",
        conditions=[condition],
    )
    return user


@pytest.fixture
def question(german_sections, question_index, asker, condition):
    return QuestionPageFactory(
        parent=question_index,
        author=asker,
        audience=Audience.EVERYONE,
        title="Darf ich während eines Schubs Sport treiben?",
        summary=SUMMARY,
        body=BODY,
        conditions=[condition],
    )


@pytest.fixture
def answered(question, clinician, asker):
    """The question with two published answers, one accepted, one marked helpful once."""
    first = AnswerPageFactory(parent=question, author=clinician, summary=SUMMARY, body=ANSWER_BODY)
    second_expert = person("Dr. Muskel", group=roles.EXPERTS)
    ExpertVerificationFactory(user=second_expert, profession="Physiotherapeutin")
    second = AnswerPageFactory(
        parent=question, author=second_expert, summary=SUMMARY, body=ANSWER_BODY
    )
    AcceptedAnswer.objects.create(question=question, answer=first, accepted_by=asker)
    HelpfulMark.objects.create(answer=first, user=asker)
    HelpfulMark.objects.create(answer=second, user=asker)
    HelpfulMark.objects.create(answer=second, user=person("Leserin Lea"))
    return question, first, second


@pytest.fixture
def post_page(german_sections, blog_index):
    author = person("Bloggerin Berta")
    return german_item(BlogPageFactory, parent=blog_index, author=author, title="Energie einteilen")


@pytest.fixture
def thread(post_page):
    """A comment by Olga with Paul's reply under it (Paul's German, Olga's English)."""
    olga = person("Olga Ost", language="en-gb")
    paul = person("Paul Pause")
    root = add_comment(post_page, olga, "Wie gehen Sie mit der Müdigkeit um?")
    add_comment(post_page, paul, "Vor allem mit Pausen.", parent=root)
    return root, olga, paul


# --- Questions -----------------------------------------------------------------


def test_the_questions_index_is_german_with_plurals(answered, question_index, question):
    QuestionPageFactory(
        parent=question_index,
        audience=Audience.EVERYONE,
        title="Hilft Kälte bei Fatigue?",
        summary=SUMMARY,
        body=BODY,
    )
    response = Client().get(question_index.url, **GERMAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fachleute fragen" in html
    assert "2 Fragen" in html
    assert "2 Antworten" in html and "0 Antworten" in html
    assert "Angenommene Antwort" in html and "Unbeantwortet" in html
    assert_german(response)
    # One question: the singular.
    one = Client().get(f"{question_index.url}?status=accepted", **GERMAN).content.decode()
    assert "1 Frage<" in one


def test_the_questions_index_filters_and_an_empty_list_are_german(
    question, question_index, condition
):
    response = Client().get(f"{question_index.url}?condition=nirgendwo", **GERMAN)
    html = response.content.decode()
    assert "Dieser Filter passt zu nichts" in html
    assert "Jede Erkrankung" in html and "Filtern" in html
    assert_german(response)
    empty = Client().get(f"{question_index.url}?status=accepted", **GERMAN)
    assert "Keine passenden Fragen." in empty.content.decode()
    assert_german(empty)


def test_a_question_with_answers_is_german_for_a_visitor(answered):
    question, first, second = answered
    response = Client().get(question.url, **GERMAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 Antworten" in html
    assert "Angenommene Antwort" in html
    assert "Geprüfte Fachperson · Neurologin" in html
    assert "1 Mitglied fand das hilfreich" in html
    assert "2 Mitglieder fanden das hilfreich" in html
    assert "Von unserer Redaktion geprüft." in html
    assert_german(response)


def test_a_question_with_answers_is_german_for_a_member(answered):
    question, first, second = answered
    reader = person("Leser Lutz")
    response = client_for(reader).get(question.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Das hat geholfen" in html
    assert "Kommentar schreiben" in html
    assert_german(response)


def test_the_asker_sees_the_wait_in_german_with_its_plural(question, asker):
    settings = QuestionSettings.for_site(Site.objects.get(is_default_site=True))
    for days, words in ((1, "innerhalb von 1 Tag;"), (2, "innerhalb von 2 Tagen;")):
        settings.answer_within_days = days
        settings.save()
        response = client_for(asker).get(question.url)
        html = response.content.decode()
        assert "Ihre Frage wartet auf eine Fachperson." in html
        assert words in html
        assert_german(response)


def test_accepting_and_thanking_answer_in_german(answered, asker):
    question, first, second = answered
    reader = person("Leser Lutz")
    client = client_for(reader)
    response = client.post(reverse("questions:helpful", args=[first.pk]))
    assert response.status_code == 303
    assert flashed(response) == [
        "Danke: Die Fachperson und andere Lesende sehen, dass diese Antwort geholfen hat."
    ]
    response = client_for(asker).post(reverse("questions:accept", args=[second.pk]))
    assert flashed(response) == [
        "Antwort angenommen. Sie wird jetzt zuerst angezeigt, als angenommene Antwort "
        "gekennzeichnet."
    ]
    refused = client.post(reverse("questions:accept", args=[first.pk]), **JSON)
    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "Nur die fragende Person oder ein Moderator ihrer Gemeinschaft kann eine Antwort annehmen."
    )
    page = client.post(reverse("questions:accept", args=[first.pk]))
    assert page.status_code == 403
    assert "Nicht möglich" in page.content.decode()
    assert_german(page)


def test_the_ask_form_is_german(german_sections, asker, condition):
    response = client_for(asker).get(ASK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fachleute antworten meist innerhalb von" in html
    assert "Unter meinem Anzeigenamen fragen" in html
    assert "Ihre Frage" in html and "Einzelheiten" in html
    assert_german(response)


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"title": ""}, None),
        ({"byline": "jemand-anderes"}, None),
        ({"conditions": ["999999"]}, None),
        ({"title": '<script>alert("x")</script>', "audience": "community:999999"}, None),
        ({"body": "y" * 200_000}, None),
        ("too many conditions", "Wählen Sie höchstens 5 Erkrankungen."),
    ],
)
def test_the_ask_forms_errors_are_german(german_sections, asker, condition, changes, words):
    if changes == "too many conditions":
        extra = [Condition.objects.create(name=f"Leiden {n}", slug=f"leiden-{n}") for n in range(5)]
        changes = {"conditions": [condition.pk, *(c.pk for c in extra)]}
    data = {
        "title": "Darf ich in die Sauna?",
        "body": "Ich vertrage Wärme schlecht. Was raten Sie?",
        "tags": "wärme",
        "byline": "name",
        "audience": "members",
        "action": "submit",
        **changes,
    }
    response = client_for(asker).post(ASK, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    if words:
        assert words in html
    assert_german(response, allowed=(data["title"], data["body"]))


# --- The experts' pages --------------------------------------------------------


def test_the_experts_pages_are_german(question, clinician):
    client = client_for(clinician)
    open_questions = client.get(reverse("questions:open"))
    assert open_questions.status_code == 200
    html = open_questions.content.decode()
    assert "Fragen, die in Ihren Bereichen (Schubförmige MS) auf eine Antwort warten" in html
    assert "Gefragt von" in html
    assert_german(open_questions, allowed=("Schubförmige MS",))
    assert_german(client.get(f"{reverse('questions:open')}?all=1"))

    areas = client.get(reverse("questions:areas"))
    assert "Meine Bereiche speichern" in areas.content.decode()
    assert_german(areas, allowed=("Schubförmige MS",))
    saved = client.post(reverse("questions:areas"), {"conditions": [question.conditions.get().pk]})
    assert flashed(saved) == ["Ihre Bereiche sind gespeichert."]

    claimed = client.post(reverse("questions:claim", args=[question.pk]))
    assert flashed(claimed)[-1].startswith("Sie können die Frage bis ")
    StandardReply.objects.create(name="Diagnose", text="Wir können Sie hier nicht beurteilen.")
    answer = client.get(reverse("questions:answer", args=[question.pk]))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Zur medizinischen Prüfung einreichen" in html
    assert "Oder mit einer Standardantwort antworten" in html
    assert_german(
        answer, allowed=("Schubförmige MS", "Diagnose", "Wir können Sie hier nicht beurteilen.")
    )

    invalid = client.post(reverse("questions:answer", args=[question.pk]), {"action": "save"})
    assert invalid.status_code == 400
    assert "Schreiben Sie Ihre Antwort oder wählen Sie eine Standardantwort." in (
        invalid.content.decode()
    )
    assert_german(
        invalid, allowed=("Schubförmige MS", "Diagnose", "Wir können Sie hier nicht beurteilen.")
    )


def test_a_claim_held_by_another_expert_is_refused_in_german(question, clinician, condition):
    other = person("Dr. Anders", group=roles.EXPERTS)
    ExpertVerificationFactory(user=other, conditions=[condition])
    client_for(other).post(reverse("questions:claim", args=[question.pk]))
    refused = client_for(clinician).post(reverse("questions:claim", args=[question.pk]))
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Eine andere Fachperson beantwortet diese Frage" in html
    assert_german(refused)


def test_question_notifications_read_german(answered, asker, clinician):
    from social.models import Notification

    question, first, second = answered
    from questions.notifications import notify_answer_published

    notify_answer_published(answer=first)
    assert Notification.objects.filter(recipient=asker).exists()
    response = client_for(asker).get(reverse("notifications:list"))
    html = response.content.decode()
    assert "hat Ihre Frage „Darf ich während eines Schubs Sport treiben?“ beantwortet." in html


# --- Comments under an item ----------------------------------------------------


def test_the_comment_list_and_form_are_german_with_plurals(post_page, thread):
    root, olga, paul = thread
    visitor = Client().get(post_page.url, **GERMAN)
    html = visitor.content.decode()
    assert "2 Kommentare" in html
    assert "Melden Sie sich an, um mitzudiskutieren" in html
    assert_german(visitor)

    member = person("Mitglied Mia")
    response = client_for(member).get(post_page.url)
    html = response.content.decode()
    assert "Kommentar schreiben" in html and "Kommentar senden" in html
    assert "Antwort senden" in html and "Ihre Antwort an Olga Ost" in html
    assert "Gemeinschaftsrichtlinien" in html
    assert_german(response)

    PageComment.objects.filter(pk=root.pk).update(is_removed=True, is_public=False)
    one = Client().get(post_page.url, **GERMAN).content.decode()
    assert "(1 Kommentar)" in one
    assert "Dieser Kommentar wurde entfernt." in one


def test_a_listing_card_counts_comments_in_german(post_page, thread, blog_index):
    response = Client().get(blog_index.url, **GERMAN)
    assert "2 Kommentare" in response.content.decode()
    assert_german(response)


def test_posting_a_comment_flashes_german(post_page):
    member = person("Mitglied Mia")
    for _ in range(3):
        add_comment(post_page, member, "Früher schon einmal.", ago=timedelta(days=2))
    client = client_for(member)
    response = client.post(
        reverse("discussion:post", args=[post_page.pk]), {"comment": "Danke für den Beitrag."}
    )
    assert response.status_code == 303
    assert flashed(response) == ["Ihr Kommentar ist veröffentlicht."]


def test_a_newcomers_held_comment_is_explained_in_german(post_page):
    newcomer = person("Neue Nora", trusted=False)
    client = client_for(newcomer)
    response = client.post(
        reverse("discussion:post", args=[post_page.pk]), {"comment": "Mein erster Kommentar."}
    )
    assert response.status_code == 303
    assert flashed(response)[0].startswith("Danke. Ihre ersten Kommentare liest ein Moderator")
    page = client.get(post_page.url)
    assert "Wartet auf Moderation" in page.content.decode()
    assert_german(page, allowed=("Mein erster Kommentar.",))


def test_a_refused_comment_is_german_as_json_and_as_a_page(post_page):
    member = person("Mitglied Mia", trusted=False)
    client = client_for(member)
    url = reverse("discussion:post", args=[post_page.pk])

    empty = client.post(url, {"comment": "   "}, **JSON)
    assert empty.status_code == 400
    body = empty.json()
    assert body["error"] == "Bitte prüfen Sie Ihren Kommentar."
    assert body["errors"]["comment"] == ["Schreiben Sie etwas, bevor Sie absenden."]
    page = client.post(url, {"comment": "   "})
    assert page.status_code == 400
    assert "Schreiben Sie etwas, bevor Sie absenden." in page.content.decode()
    assert_german(page)

    too_long = client.post(url, {"comment": "ä" * 3001}, **JSON)
    assert too_long.json()["errors"]["comment"] == [
        "Kommentare dürfen höchstens 3.000 Zeichen lang sein; dieser hat 3.001. "
        "Bitte kürzen Sie ihn."
    ]

    client.post(url, {"comment": "Erster Gedanke."})
    throttled = client.post(url, {"comment": "Noch ein Gedanke."}, **JSON)
    assert throttled.status_code == 429
    assert throttled.json()["error"] == (
        "Solange Sie neu bei Kindred sind, können Sie alle 30 Sekunden einen Kommentar "
        "senden. Bitte warten Sie einen Moment und senden Sie ihn erneut "
        "(Ihr Text bleibt erhalten)."
    )
    throttled_page = client.post(url, {"comment": "Noch ein Gedanke."})
    assert throttled_page.status_code == 429
    assert "Ihr Kommentar" in throttled_page.content.decode()
    assert_german(throttled_page, allowed=("Noch ein Gedanke.", "Erster Gedanke."))


def test_a_reply_to_a_gone_comment_is_refused_in_german(post_page, thread):
    root, olga, paul = thread
    member = person("Mitglied Mia")
    PageComment.objects.filter(pk=root.pk).update(is_removed=True, is_public=False)
    response = client_for(member).post(
        reverse("discussion:post", args=[post_page.pk]),
        {"comment": "Meine Antwort.", "parent": root.pk},
    )
    assert response.status_code == 400
    assert "ist nicht mehr verfügbar" in response.content.decode()
    assert_german(response, allowed=("Meine Antwort.",))


def test_the_reply_edit_and_report_pages_are_german(post_page, thread):
    root, olga, paul = thread
    client = client_for(paul)
    reply = client.get(reverse("discussion:reply", args=[root.pk]))
    assert reply.status_code == 200
    assert "Auf einen Kommentar antworten" in reply.content.decode()
    assert_german(reply, allowed=("Wie gehen Sie mit der Müdigkeit um?",))

    mine = add_comment(post_page, paul, "Frisch geschrieben.", ago=timedelta(minutes=1))
    edit = client.get(reverse("discussion:edit", args=[mine.pk]))
    assert "Ihren Kommentar ändern" in edit.content.decode()
    assert_german(edit, allowed=("Frisch geschrieben.",))
    edited = client.post(reverse("discussion:edit", args=[mine.pk]), {"comment": "Geändert."})
    assert flashed(edited)[-1].startswith("Ihr Kommentar ist geändert")
    late = add_comment(post_page, paul, "Alt.", ago=timedelta(hours=2))
    closed = client.get(reverse("discussion:edit", args=[late.pk]))
    assert closed.status_code == 403
    assert "kann nicht mehr geändert werden" in closed.content.decode()
    assert_german(closed)

    report = client.get(reverse("discussion:report", args=[root.pk]))
    html = report.content.decode()
    assert "Einen Kommentar melden" in html and "Spam oder Werbung" in html
    assert_german(report, allowed=("Wie gehen Sie mit der Müdigkeit um?",))
    invalid = client.post(reverse("discussion:report", args=[root.pk]), {"reason": "nein"})
    assert invalid.status_code == 400
    assert "Wählen Sie, warum Sie diesen Kommentar melden." in invalid.content.decode()
    assert_german(invalid, allowed=("Wie gehen Sie mit der Müdigkeit um?",))
    sent = client.post(reverse("discussion:report", args=[root.pk]), {"reason": "spam"})
    assert flashed(sent) == [
        "Danke für Ihre Meldung. Ein Moderator sieht sich diesen Kommentar an."
    ]
    again = client.post(reverse("discussion:report", args=[root.pk]), {"reason": "spam"}, **JSON)
    assert again.json()["error"] == (
        "Sie haben diesen Kommentar bereits gemeldet. Danke: Die Moderatoren sehen ihn sich an."
    )


# --- The reply email and its mute page ------------------------------------------


def _reply_email_to(post_page, thread):
    root, olga, paul = thread
    replier = person("Rita Rat")
    reply = add_comment(post_page, replier, "Kurze Spaziergänge helfen mir.", parent=root)
    send_reply_notifications.call(reply.pk)
    return {message.to[0]: message for message in mail.outbox}


def test_the_reply_email_is_german_for_a_german_member_and_english_for_an_english_one(
    post_page, thread
):
    root, olga, paul = thread
    emails = _reply_email_to(post_page, thread)
    to_paul, to_olga = emails[paul.email], emails[olga.email]

    assert (
        to_paul.subject
        == "[Kindred] Rita Rat hat in einer Diskussion zu „Energie einteilen“ geantwortet"
    )
    assert "Diskussion lesen und antworten:" in to_paul.body
    assert "Sie erhalten diese E-Mail, weil Sie in dieser Diskussion kommentiert haben." in (
        to_paul.body
    )
    assert_german(to_paul.subject)
    links = tuple(re.findall(r"https?://\S+", to_paul.body))  # addresses, not words
    assert_german(to_paul.body, allowed=("Kurze Spaziergänge helfen mir.", *links))

    assert to_olga.subject == "[Kindred] Rita Rat replied in a discussion on “Energie einteilen”"
    assert "Read the discussion and reply:" in to_olga.body
    assert "You get this email because you commented in this discussion." in to_olga.body


def test_the_mute_page_is_german(post_page, thread):
    root, olga, paul = thread
    emails = _reply_email_to(post_page, thread)
    url = re.search(r"(http://\S+/comments/mute/\S+/)", emails[paul.email].body).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    client = Client(**GERMAN)
    asking = client.get(f"/{path}")
    assert "Keine E-Mails mehr zu dieser Diskussion" in asking.content.decode()
    assert_german(asking)
    done = client.post(f"/{path}")
    assert "Erledigt: Sie erhalten keine E-Mails mehr" in done.content.decode()
    assert_german(done)
    invalid = client.get(reverse("discussion:mute", args=["kaputt"]))
    assert invalid.status_code == 400
    assert "Dieser Link ist ungültig oder abgelaufen." in invalid.content.decode()
    assert_german(invalid)
    # The member's own language wins over the browser's.
    token = mute_token(user_id=paul.pk, thread_id=root.thread_id)
    assert (
        "Keine E-Mails mehr"
        in client_for(paul).get(reverse("discussion:mute", args=[token])).content.decode()
    )


# --- Staff pages -----------------------------------------------------------------


@pytest.fixture
def german_editor(portal):
    return with_consent(
        UserFactory(group=roles.EDITORS, display_name="Redakteurin Rosa", language="de")
    )


def test_the_comment_queue_is_german_for_german_staff(post_page, thread, german_editor):
    root, olga, paul = thread
    add_comment(post_page, person("Neue Nora", trusted=False), "Bitte prüfen.", state="awaiting")
    CommentReport.objects.create(
        comment=root, reporter=paul, reason="abusive", text="Unfreundlich."
    )
    hidden = add_comment(post_page, paul, "Versteckt.")
    PageComment.objects.filter(pk=hidden.pk).update(is_public=False)
    client = client_for(german_editor)

    response = client.get(reverse("discussion_admin:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="de"' in html
    assert "Warten auf Moderation (1)" in html and "Gemeldet (1)" in html
    assert "Beleidigend oder belästigend" in html and "Freigeben" in html
    assert "Kommentar-Warteschlange" in html
    assert_german(
        part(response, "main"),
        allowed=(
            "Bitte prüfen.",
            "Unfreundlich.",
            "Versteckt.",
            "Wie gehen Sie mit der Müdigkeit um?",
            german_editor.get_username(),
            paul.get_username(),
            olga.get_username(),
        ),
    )
    approved = client.post(reverse("discussion_admin:moderate", args=[hidden.pk, "approve"]))
    assert flashed(approved) == ["Kommentar freigegeben: Er wird auf der Seite angezeigt."]


def test_the_questions_staff_pages_are_german_for_german_staff(question, clinician, portal):
    superuser = UserFactory(is_superuser=True, is_staff=True, display_name="Admin", language="de")
    StandardReply.objects.create(name="Diagnose", text="Wir können Sie hier nicht beurteilen.")
    client = client_for(superuser)
    for url, words in (
        (reverse("kindred_question_reports:waiting"), "Fragen, die auf eine Antwort warten"),
        (reverse("expert-verifications:index"), "Fachperson"),
        (reverse("standard-replies:index"), "Standardantworten"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert words in html, url
        assert_german(
            part(response, "main"),
            allowed=("Diagnose", "Neurologin", "Ärztekammer Nordrhein", "Dr. Nerv"),
        )
    verification = client.get(reverse("expert-verifications:index")).content.decode()
    assert "Fachperson" in verification and "Beruf" in verification
