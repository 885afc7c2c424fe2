"""Safety, moderation and the access log in German (issue 18): "Report a side effect"
(the form, its errors, the thanks, the pause), the sponsor's declaration, crisis help,
personal-data hints, "Who saw your data", the Safety inbox and a case, crisis signals,
the review queue and the audit reports in the admin, and the staff emails.

Visitors ask with ``Accept-Language: de``; members and staff have ``language = "de"``.
In the Wagtail admin the staff account's Wagtail profile says German too (Wagtail
chooses the admin's language from it); the checks read the page's ``<main>`` (what
Kindred renders there), not Wagtail's own menu.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import PageLogEntry, Site
from wagtail.users.models import UserProfile

import pytest
from bs4 import BeautifulSoup

from audit.models import AccessPurpose, AccessWhat
from audit.selectors import viewer_reference
from audit.services import access_record
from core import roles
from moderation.services import page_submit_for_review
from safety.models import CrisisSignal, SafetySettings
from safety.staff_mail import staff_email_queue
from tests.factories import BlogPageFactory, UserFactory
from tests.german import ENGLISH_ONLY, GERMAN, assert_german, german_item
from tests.safety.test_deadlines import make_case

pytestmark = pytest.mark.django_db

REPORT = "/safety/report/"
SENT = "/safety/report/sent/"
LINKS = re.compile(r"https?://\S+")

# The site's own words (content, set by its editors): in German here.
DECLARATION = "Diese Website wird von einem Arzneimittelhersteller unterstützt."
SCHEME = "das Meldesystem des BfArM"
WORDS = "Seit ich Examplimab nehme, habe ich Ausschlag an den Armen und mir ist schwindelig."


@pytest.fixture
def german_site(portal):
    """The site's declaration and reporting scheme in German (its editors' content)."""
    settings = SafetySettings.for_site(Site.objects.get(is_default_site=True))
    settings.sponsor_declaration = DECLARATION
    settings.reporting_scheme_name = SCHEME
    settings.reporting_scheme_url = "https://www.bfarm.de/"
    settings.emergency_text = "Wenn Sie in akuter Gefahr sind, rufen Sie sofort 112 an."
    settings.save()
    return settings


def german_reader(user):
    """``user`` reads German on the site and in Wagtail's admin (whose language is the
    Wagtail profile's, not the member's setting)."""
    user.language = "de"
    user.save(update_fields=["language"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "de"
    profile.save()
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def main(response):
    """The admin page's ``<main>``: what Kindred renders, without Wagtail's menu."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    found = soup.find("main")
    assert found is not None
    return str(found)


def flashes(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def pv_de(portal):
    return german_reader(UserFactory(group=roles.PHARMACOVIGILANCE, display_name="Petra Vigil"))


@pytest.fixture
def editor_de(portal):
    return german_reader(UserFactory(group=roles.EDITORS, display_name="Erika Redaktion"))


@pytest.fixture
def author(portal):
    return UserFactory(group=roles.MEMBERS, display_name="Waldläuferin")


@pytest.fixture
def post(blog_index, author):
    return german_item(
        BlogPageFactory, parent=blog_index, author=author, title="Mein Alltag mit Erschöpfung"
    )


@pytest.fixture
def case(post, author):
    excerpt = "Seit Fingolimod habe ich starke Kopfschmerzen."
    return make_case(
        opened=timezone.localdate() - timezone.timedelta(days=20),
        excerpt=excerpt,
        medicine="Fingolimod",
        event="Kopfschmerzen",
        matches=[
            {"start": 5, "end": 15, "kind": "medicine", "label": "Fingolimod"},
            {
                "start": excerpt.index("Kopfschmerzen"),
                "end": excerpt.index("Kopfschmerzen") + 13,
                "kind": "event",
                "label": "Kopfschmerzen",
            },
        ],
        page=post,
        author=author,
        patient="Die Autorin",
        reporter="Die Autorin",
    )


# --- "Report a side effect" ------------------------------------------------------------


def test_the_report_page_is_german_for_a_german_visitor(client, german_site):
    response = client.get(REPORT, **GERMAN)

    assert response.status_code == 200
    assert_german(response, allowed=(SCHEME,))
    html = response.content.decode()
    assert "Nebenwirkung melden" in html
    # The footer's declaration is labelled in German on every page.
    assert "Erklärung des Sponsors:" in html


def test_hostile_and_invalid_input_is_answered_in_german_with_400(client, german_site):
    response = client.post(
        REPORT,
        {
            "what_happened": "   ",
            "medicine": "x" * 300,
            "when": "<script>alert(1)</script>",
            "contact": "<img src=x onerror=alert(1)>",
        },
        **GERMAN,
    )

    assert response.status_code == 400
    assert_german(response, allowed=(SCHEME, "<script>alert(1)</script>"))
    html = response.content.decode()
    assert "Bitte prüfen Sie die unten markierten Felder." in html
    assert "Sagen Sie uns, was passiert ist" in html
    assert "Das Arzneimittel darf höchstens 200 Zeichen lang sein (es sind 300)." in html
    assert "Geben Sie eine E-Mail-Adresse oder eine Telefonnummer" in html


def test_a_too_long_report_is_refused_with_the_limit_written_the_german_way(client, german_site):
    response = client.post(REPORT, {"what_happened": "x" * 5000}, **GERMAN)

    assert response.status_code == 400
    assert_german(response, allowed=(SCHEME,))
    assert "höchstens 4.000 Zeichen" in response.content.decode()


def test_a_sent_report_thanks_in_german(client, german_site):
    response = client.post(REPORT, {"what_happened": WORDS}, follow=True, **GERMAN)

    assert response.redirect_chain[-1][0] == SENT
    assert_german(response, allowed=(SCHEME,))
    assert "Vielen Dank für Ihre Meldung" in response.content.decode()


def test_too_many_reports_pause_in_german(client, german_site, settings):
    settings.SAFETY_REPORT_THROTTLE_RATE = "1/h"
    client.post(REPORT, {"what_happened": WORDS}, **GERMAN)

    response = client.post(REPORT, {"what_happened": WORDS}, **GERMAN)

    assert response.status_code == 429
    assert_german(response, allowed=(SCHEME,))
    assert "Ihre letzte Meldung wurde nicht gesendet." in response.content.decode()


def test_a_german_member_reports_about_what_they_read(german_site, post):
    reader = UserFactory(group=roles.MEMBERS, language="de", display_name="Leserin")
    client = signed_in(reader)

    item = client.get(post.url)
    response = client.get(f"{REPORT}?item={post.pk}")

    # The link under the item, in German, carrying the item's id as plain digits.
    assert f'href="{REPORT}?item={post.pk}"' in item.content.decode()
    assert "Nebenwirkung melden</a> – zu einem Arzneimittel" in item.content.decode()
    assert response.status_code == 200
    assert_german(response, allowed=(SCHEME,))
    assert "Zu dem, was Sie gelesen haben" in response.content.decode()

    sent = client.post(REPORT, {"what_happened": WORDS, "item": post.pk}, follow=True)
    assert_german(sent, allowed=(SCHEME,))
    assert re.search(r"Ihre Kennung ist <strong>KS-\d+</strong>", sent.content.decode())


def test_the_report_email_is_in_each_recipients_language(client, german_site):
    german_pv = UserFactory(group=roles.PHARMACOVIGILANCE, language="de", display_name="Petra")
    english_pv = UserFactory(group=roles.PHARMACOVIGILANCE, language="en-gb", display_name="Rowan")
    mail.outbox.clear()

    client.post(REPORT, {"what_happened": WORDS, "serious": "on"}, **GERMAN)

    by_address = {message.to[0]: message for message in mail.outbox}
    german_message = by_address[german_pv.email]
    english_message = by_address[english_pv.email]
    assert_german(german_message.subject)
    assert_german(german_message.body, allowed=tuple(LINKS.findall(german_message.body)))
    assert "(schwerwiegend)" in german_message.subject
    assert "Meldung fällig bis" in german_message.body
    assert english_message.subject.startswith("Kindred: side-effect report KS-")
    assert english_message.subject.endswith("(serious)")
    assert "Triage due by" in english_message.body
    assert "Hello Rowan," in english_message.body


def test_the_crisis_email_is_in_each_moderators_language(portal):
    german_editor = UserFactory(group=roles.EDITORS, language="de", display_name="Erika")
    english_editor = UserFactory(group=roles.EDITORS, language="en-gb", display_name="Rowan")
    mail.outbox.clear()

    staff_email_queue(
        users=[german_editor, english_editor],
        template="safety/emails/crisis_signal",
        context={"where": "a comment", "link": "https://kindred.example/admin/safety/crisis/"},
        key="i18n-test-crisis",
    )

    by_address = {message.to[0]: message for message in mail.outbox}
    german_message = by_address[german_editor.email]
    assert_german(german_message.subject)
    assert_german(german_message.body, allowed=tuple(LINKS.findall(german_message.body)))
    assert "soeben gesendeten Kommentar" in german_message.body
    english_message = by_address[english_editor.email]
    assert english_message.subject == "Kindred: a crisis signal waits for a moderator"
    assert "Words in a comment sent just now" in english_message.body


# --- Help, hints and the access log on the site ----------------------------------------


def test_crisis_help_is_german():
    help_ = {
        "emergency_text": "Wenn Sie in akuter Gefahr sind, rufen Sie sofort 112 an.",
        "countries": [
            {
                "name": "Deutschland",
                "helplines": [
                    {
                        "name": "TelefonSeelsorge",
                        "numbers": [
                            {"tel": "08001110111", "shown": "0800 111 0 111"},
                            {"tel": "08001110222", "shown": "0800 111 0 222"},
                        ],
                        "hours": "rund um die Uhr",
                        "url": "https://www.telefonseelsorge.de/",
                    }
                ],
            }
        ],
    }
    with translation.override("de"):
        html = render_to_string("safety/includes/crisis_help.html", {"crisis_help": help_})

    assert_german(html, allowed=("TelefonSeelsorge",))
    assert "Sie sind nicht allein" in html
    assert "0800 111 0 111</a> oder <a" in html


def test_personal_data_hints_are_german(portal):
    writer = UserFactory(group=roles.MEMBERS, language="de", display_name="Schreiberin")
    url = reverse("safety:personal_data_hints")

    hints = signed_in(writer).post(url, {"text": "Ruf mich an: 07700 900123"})
    refused = Client().post(url, {"text": "07700 900123"}, **GERMAN)

    assert [hint["label"] for hint in hints.json()["hints"]] == ["Telefonnummer"]
    assert refused.status_code == 401
    assert_german(refused.json()["error"])


def who_saw_your_data(author, *, viewer):
    """``author``'s "Who saw your data", in German, after ``viewer`` opened a safety case
    about something they wrote."""
    author.language = "de"
    author.save(update_fields=["language"])
    access_record(
        viewer=viewer,
        subject=author,
        what=AccessWhat.SAFETY_CASE,
        purpose=AccessPurpose.SAFETY,
        object_ref="case:1",
    )
    return signed_in(author).get(reverse("audit:mine"))


def test_who_saw_your_data_is_german(german_site, pv_de, author):
    response = who_saw_your_data(author, viewer=pv_de)

    assert response.status_code == 200
    assert_german(response)
    html = response.content.decode()
    assert "Pharmakovigilanz" in html
    assert "Ein Sicherheitsfall zu etwas, das Sie geschrieben haben" in html


def _viewer_id_whose_reference_spells_english() -> int:
    """An account id whose pseudonymous reference holds an English word among its hex
    letters (``S-4BE4BF`` reads "BE"): the reference depends on the id, which depends on
    the order the tests ran in, so without choosing one this case came up by chance."""
    for viewer_id in range(1_000_000, 1_100_000):
        letters = re.findall(r"[A-Z]+", viewer_reference(viewer_id)[2:])
        if any(word.lower() in ENGLISH_ONLY for word in letters):
            return viewer_id
    raise AssertionError("no id in the range gives such a reference")


def test_a_reference_that_happens_to_spell_english_is_not_read_as_interface(german_site, author):
    """A reference is a code, not words: marked ``translate="no"`` (a browser's
    translator leaves it alone, and the German check with it), whatever letters it has."""
    viewer = german_reader(
        UserFactory(
            pk=_viewer_id_whose_reference_spells_english(),
            group=roles.PHARMACOVIGILANCE,
            display_name="Petra Vigil",
        )
    )

    response = who_saw_your_data(author, viewer=viewer)

    assert response.status_code == 200
    reference = viewer_reference(viewer.pk)
    marked = BeautifulSoup(response.content.decode(), "html.parser").find(
        string=re.compile(re.escape(reference))
    )
    assert marked is not None and marked.parent.get("translate") == "no"
    assert_german(response)


# --- The Safety inbox and a case -------------------------------------------------------


def test_the_safety_inbox_is_german(pv_de, case):
    response = signed_in(pv_de).get(reverse("safety_cases:index"))

    assert response.status_code == 200
    assert_german(main(response), allowed=("Fingolimod", "Kopfschmerzen", case.reference))
    html = main(response)
    assert "1 überfällig" in html
    assert re.search(r"seit \d+ Tagen überfällig", html)
    assert "Nächste Frist" in html


def test_a_case_page_its_print_and_a_note_are_german(pv_de, case):
    client = signed_in(pv_de)
    allowed = (
        "Fingolimod",
        "Kopfschmerzen",
        "Die Autorin",
        case.reference,
        case.author.get_username(),
    )

    page = client.get(reverse("safety_cases:edit", args=[case.pk]))
    printed = client.get(reverse("safety_cases:print", args=[case.pk]))
    noted = client.post(
        reverse("safety_cases:note_add", args=[case.pk]),
        {"text": "Mit der Autorin gesprochen."},
        follow=True,
    )
    refused = client.post(
        reverse("safety_cases:edit", args=[case.pk]),
        {"status": "not_reportable", "not_reportable_reason": " "},
    )

    assert page.status_code == 200
    assert_german(main(page), allowed=allowed)
    assert printed.status_code == 200
    assert_german(printed, allowed=allowed)
    assert '<html lang="de">' in printed.content.decode()
    assert any(message.startswith("Notiz hinzugefügt.") for message in flashes(noted))
    assert_german(main(noted), allowed=(*allowed, "Mit der Autorin gesprochen."))
    assert "Geben Sie an, warum der Fall nicht meldepflichtig ist" in refused.content.decode()


def test_opening_a_case_by_hand_is_german(editor_de, post):
    client = signed_in(editor_de)
    url = reverse("kindred_safety:open_page", args=[post.pk])

    form = client.get(url)
    invalid = client.post(url, {"excerpt": ""})
    opened = client.post(url, {"excerpt": "Seit Fingolimod habe ich Kopfschmerzen."}, follow=True)

    assert form.status_code == 200
    assert_german(main(form), allowed=(post.title,))
    assert invalid.status_code == 400
    assert_german(main(invalid), allowed=(post.title,))
    assert any(
        "Fall eröffnet; die Gruppe Pharmakovigilanz wird ihn sehen." in message
        for message in flashes(opened)
    )


# --- Crisis signals, the review queue, personal data -----------------------------------


def test_crisis_signals_are_german(editor_de, post, author):
    text = "Manchmal will ich nicht mehr leben."
    signal = CrisisSignal.objects.create(
        page=post,
        author=author,
        excerpt=text,
        matches=[{"start": 10, "end": len(text) - 1, "kind": "crisis", "label": "Krise"}],
    )
    client = signed_in(editor_de)

    listing = client.get(reverse("safety_crisis:index"))
    empty_note = client.post(
        reverse("safety_crisis:handle", args=[signal.pk]), {"note": " "}, follow=True
    )
    handled = client.post(
        reverse("safety_crisis:handle", args=[signal.pk]),
        {"note": "Mitglied angeschrieben; es ist in Sicherheit."},
        follow=True,
    )

    assert_german(main(listing), allowed=(post.title, text))
    assert "Wartend (1)" in main(listing)
    assert flashes(empty_note)
    for message in flashes(empty_note):
        assert_german(message)
    assert any(message.startswith("Signal bearbeitet.") for message in flashes(handled))
    assert_german(
        main(handled), allowed=(post.title, text, "Mitglied angeschrieben; es ist in Sicherheit.")
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 Beitrag wartet auf Ihre Entscheidung"),
        (2, "2 Beiträge warten auf Ihre Entscheidung"),
    ],
)
def test_the_review_queue_is_german_with_its_plurals(
    blog_index, author, editor_de, count, expected
):
    titles = ["Mein Weg zurück", "Gute Tage, schlechte Tage"][:count]
    for title in titles:
        page = german_item(
            BlogPageFactory, parent=blog_index, author=author, title=title, publish=False
        )
        page_submit_for_review(page=page, user=author)

    response = signed_in(editor_de).get(reverse("kindred_review:queue"))

    assert response.status_code == 200
    html = main(response)
    assert expected in html
    assert_german(html, allowed=tuple(titles))


def test_the_personal_data_page_is_german(blog_index, author, editor_de):
    page = german_item(
        BlogPageFactory,
        parent=blog_index,
        author=author,
        title="Anruf beim Arzt",
        summary="Meine Nummer ist 07700 900123.",
        publish=False,
    )
    page_submit_for_review(page=page, user=author)

    response = signed_in(editor_de).get(reverse("kindred_personal_data:page", args=[page.pk]))

    assert response.status_code == 200
    html = main(response)
    assert_german(html, allowed=("Anruf beim Arzt", "Meine Nummer ist 07700 900123."))
    assert "(1 Hinweis)" in html
    assert "Telefonnummer" in html


# --- The access log and the audit trail -------------------------------------------------


def test_the_access_log_and_the_audit_trail_are_german(portal):
    officer = german_reader(UserFactory(group=roles.DATA_PROTECTION, display_name="Dana Schutz"))
    client = signed_in(officer)

    access = client.get(reverse("kindred_audit:access"))
    trail = client.get(reverse("kindred_audit_trail:index"))
    refused = signed_in(german_reader(UserFactory(group=roles.EDITORS))).get(
        reverse("kindred_audit_trail:index")
    )

    assert access.status_code == 200
    assert_german(main(access))
    assert trail.status_code == 200
    # The entries' "Type" column names other apps' models (their own verbose names, not
    # this area's strings; "Question index", "Home page").
    types = tuple(
        str(content_type.name)[:1].upper() + str(content_type.name)[1:]
        for content_type in ContentType.objects.filter(
            pk__in=PageLogEntry.objects.values("content_type")
        )
    )
    assert_german(main(trail), allowed=types)
    assert refused.status_code == 403
    assert_german(refused)
