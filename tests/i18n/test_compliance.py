"""Data rights and writing in German (issue 18): "Download my data", "Delete my account",
"Who saw my data", the writing forms, My contributions, the preview bar, refusals, and
the emails these send.

A member with ``language = "de"`` gets every page, form error, flash message, refusal
and email in German (``tests.german``); the same email to an English member stays
English.
"""

import re
from datetime import timedelta

from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

import pytest
from bs4 import BeautifulSoup

from audit.services import access_record
from authoring import services
from authoring.kinds import KINDS
from compliance.models import DataExport
from compliance.services.erasure import erasure_perform, erasure_request_create
from compliance.services.exports import export_request
from core import roles
from tests.authoring.conftest import with_consent
from tests.compliance.test_export_world import read_zip
from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD
from tests.german import assert_german

pytestmark = pytest.mark.django_db

ACCOUNT = "/me/account/"
EXPORT_REQUEST = "/me/data/export/"
ERASURE = "/me/account/delete/"
ACCESS = "/me/access/"
LINK = re.compile(r"https?://\S+?(/me/data/download/[^\s/]+/)")
EDIT = re.compile(r"/me/contributions/(\d+)/edit/")

# What the German member writes: content, in German.
GERMAN_POST = {
    "title": "Mein Alltag mit Erschöpfung",
    "summary": "Wie ich meine Kräfte einteile.",
    "body": "## Der Anfang\n\nIch war **immer müde**.",
    "tags": "müdigkeit, ruhephasen",
    "audience": "everyone",
}
GERMAN_STORY = {
    **GERMAN_POST,
    "condition": "",
    "treatments": "physiotherapie",
    "year_of_diagnosis": "2019",
    "byline": "name",
}


@pytest.fixture(autouse=True)
def _private_export_root(settings, tmp_path):
    settings.KINDRED_EXPORT_ROOT = tmp_path / "exports"


def german_member(**kwargs):
    kwargs.setdefault("display_name", "Waldläuferin")
    return UserFactory(group=roles.MEMBERS, language="de", **kwargs)


def english_member(**kwargs):
    kwargs.setdefault("display_name", "Rowan Ash")
    return UserFactory(group=roles.MEMBERS, language="en-gb", **kwargs)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def german_email(message, *, allowed=()):
    assert_german(message.subject, allowed=allowed)
    assert_german(message.body, allowed=allowed)


def flash_messages(response):
    return [str(message) for message in response.context["messages"]]


def section(response, anchor):
    """The account page's section ``anchor``, as HTML."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    found = soup.find(id=anchor)
    assert found is not None, anchor
    return str(found)


@pytest.fixture
def deutsch(portal):
    return german_member()


@pytest.fixture
def writer_de(portal):
    return with_consent(german_member(display_name="Schreiberin"))


@pytest.fixture
def download(deutsch, mailoutbox):
    """``deutsch``'s signed-in client and the download path from the email that says the
    copy is ready: asked for the way a member asks, through the account page's button."""
    client = signed_in(deutsch)
    client.post(EXPORT_REQUEST)
    return client, LINK.search(mailoutbox[-1].body).group(1)


# --- Download my data ---------------------------------------------------------------


def test_the_account_pages_data_sections_are_german(deutsch):
    response = signed_in(deutsch).get(ACCOUNT)

    assert response.status_code == 200
    download = section(response, "download-my-data")
    assert_german(download)
    assert "Meine Daten herunterladen" in download
    assert_german(section(response, "delete-my-account"))


def test_asking_for_a_copy_says_so_in_german_and_emails_a_german_link(deutsch, mailoutbox):
    client = signed_in(deutsch)

    response = client.post(EXPORT_REQUEST, follow=True)

    assert response.status_code == 200
    [message] = flash_messages(response)
    assert_german(message)
    assert "Wir erstellen eine Kopie Ihrer Daten" in message
    # The section now says the copy is ready, with the link's time in German.
    ready = section(response, "download-my-data")
    assert_german(ready)
    assert "Bereit" in ready and " um " in ready
    [email] = mailoutbox
    # The link's token is letters at random: not words.
    german_email(email, allowed=(LINK.search(email.body).group(0),))
    assert "Ihrer Daten" in email.body


def test_the_ready_email_to_an_english_member_is_english(portal, mailoutbox):
    member = english_member()

    signed_in(member).post(EXPORT_REQUEST)

    [email] = mailoutbox
    assert email.subject == "[Kindred] Your copy of your data is ready"
    assert "The copy of your data you asked for is ready." in email.body
    assert " at " in email.body


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("pending", "Wird erstellt"),
        ("downloaded", "Heruntergeladen"),
        ("expired", "Abgelaufen"),
        ("failed", "Fehlgeschlagen"),
    ],
)
def test_each_state_of_the_last_request_is_german(deutsch, status, words):
    export = DataExport.objects.create(user=deutsch, status="failed")
    now = timezone.now()
    DataExport.objects.filter(pk=export.pk).update(
        status=status,
        ready_at=now if status in ("downloaded", "expired") else None,
        expires_at=now if status in ("downloaded", "expired") else None,
        downloaded_at=now if status == "downloaded" else None,
    )

    html = section(signed_in(deutsch).get(ACCOUNT), "download-my-data")

    assert_german(html)
    assert words in html


def test_the_daily_limit_is_said_in_german(deutsch):
    client = signed_in(deutsch)
    for _number in range(3):
        export = export_request(user=deutsch).export
        DataExport.objects.filter(pk=export.pk).update(status="failed")

    response = client.post(EXPORT_REQUEST, follow=True)

    [message] = flash_messages(response)
    assert_german(message)
    assert "3 Mal" in message
    limit = section(response, "download-my-data")
    assert_german(limit)
    assert "Sie können morgen wieder anfragen" in limit


def test_the_download_page_and_its_refusals_are_german(download):
    client, path = download

    page = client.get(path)
    assert page.status_code == 200
    assert_german(page)
    assert "Sie können sie einmal herunterladen." in page.content.decode()

    download = client.post(path)
    assert download.status_code == 200
    files = read_zip(b"".join(download.streaming_content))

    used = client.get(path)
    assert used.status_code == 410
    assert_german(used)
    assert "Dieser Link wurde bereits benutzt" in used.content.decode()

    # The archive's own page is in the member's language (field names stay machine names).
    index = BeautifulSoup(files["index.html"].decode(), "html.parser")
    assert index.html["lang"] == "de"
    for names in index.find_all("dl"):
        names.decompose()
    assert_german(str(index))
    assert "Ihre Daten von Kindred" in str(index)


def test_an_expired_link_is_refused_in_german(deutsch, download):
    client, path = download
    export = DataExport.objects.get(user=deutsch)
    DataExport.objects.filter(pk=export.pk).update(
        ready_at=export.ready_at - timedelta(hours=25),
        expires_at=export.expires_at - timedelta(hours=25),
    )

    response = client.get(path)

    assert response.status_code == 410
    assert_german(response)
    assert "Dieser Link ist abgelaufen" in response.content.decode()


def test_a_forged_link_is_refused_in_german(deutsch):
    response = signed_in(deutsch).get("/me/data/download/not-a-real-token/")

    assert response.status_code == 404
    assert_german(response)
    assert "Link nicht gefunden" in response.content.decode()


# --- Delete my account --------------------------------------------------------------


def test_the_erasure_page_is_german(deutsch):
    response = signed_in(deutsch).get(ERASURE)

    assert response.status_code == 200
    assert_german(response)
    text = response.content.decode()
    assert "Mein Konto in 7 Tagen löschen" in text
    assert "Ohne meinen Namen behalten" in text


def test_a_wrong_password_is_refused_in_german(deutsch):
    response = signed_in(deutsch).post(
        ERASURE, {"password": "falsch-falsch", "published_items": "remove"}
    )

    assert response.status_code == 400
    assert_german(response)
    assert "Das ist nicht Ihr Passwort." in response.content.decode()


def test_the_request_page_and_email_are_german(deutsch, mailoutbox):
    response = signed_in(deutsch).post(
        ERASURE, {"password": TEST_PASSWORD, "published_items": "keep"}
    )

    assert response.status_code == 200
    # Signed out now: the page answers in the language the request was made in.
    assert_german(response)
    assert "Ihr Konto wird gelöscht" in response.content.decode()
    [email] = mailoutbox
    german_email(email)
    assert "7 Tagen" in email.subject


def test_the_receipt_is_german_for_a_german_member(deutsch, mailoutbox):
    request = erasure_request_create(user=deutsch, published_items="remove")

    erasure_perform(request=request, now=request.due_at + timedelta(minutes=1))

    receipt = mailoutbox[-1]
    german_email(receipt)
    assert "Was wir entfernt oder anonymisiert haben:" in receipt.body


def test_the_erasure_emails_to_an_english_member_are_english(portal, mailoutbox):
    member = english_member()
    request = erasure_request_create(user=member, published_items="remove")
    erasure_perform(request=request, now=request.due_at + timedelta(minutes=1))

    requested, receipt = mailoutbox[0], mailoutbox[-1]

    assert requested.subject == "Your Kindred account will be deleted in 7 days"
    assert "You asked us to delete your Kindred account." in requested.body
    assert receipt.subject == "Your Kindred account has been deleted"
    assert "What we removed or anonymised:" in receipt.body


# --- Who saw my data ----------------------------------------------------------------


def test_who_saw_my_data_is_german(deutsch, editor):
    access_record(viewer=editor, subject=deutsch, what="account", purpose="support")

    response = signed_in(deutsch).get(ACCESS)

    assert response.status_code == 200
    assert_german(response)


# --- Writing ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/write/", "/write/blog/", "/write/story/"])
def test_the_writing_pages_are_german(writer_de, path):
    response = signed_in(writer_de).get(path)

    assert response.status_code == 200
    assert_german(response)


def test_the_new_forms_name_their_kind_in_german(writer_de):
    client = signed_in(writer_de)

    assert "<h1>Neuer Blogbeitrag</h1>" in client.get("/write/blog/").content.decode()
    assert "<h1>Neuer Erfahrungsbericht</h1>" in client.get("/write/story/").content.decode()


def test_the_expert_article_form_is_german(expert):
    expert.language = "de"
    expert.save(update_fields=["language"])
    with_consent(expert)

    response = signed_in(expert).get("/write/article/")

    assert response.status_code == 200
    assert_german(response)
    assert "<h1>Neuer Fachartikel</h1>" in response.content.decode()


def test_without_consent_the_writer_is_told_in_german(deutsch):
    response = signed_in(deutsch).get("/write/blog/")

    assert response.status_code == 403
    assert_german(response)


def test_a_draft_its_edit_form_preview_and_contributions_are_german(writer_de):
    client = signed_in(writer_de)

    saved = client.post("/write/blog/", {**GERMAN_POST, "action": "save"}, follow=True)

    assert saved.status_code == 200
    [message] = flash_messages(saved)
    assert message == "Entwurf gespeichert. Nur Sie können ihn sehen."
    assert_german(saved)
    pk = EDIT.search(saved.redirect_chain[-1][0]).group(1)

    preview = client.get(f"/me/contributions/{pk}/preview/")
    assert preview.status_code == 200
    bar = str(BeautifulSoup(preview.content.decode(), "html.parser").find(class_="preview-bar"))
    assert_german(bar)
    assert 'Stand: <span class="state">Entwurf</span>' in bar

    listing = client.get("/me/contributions/")
    assert_german(listing)
    assert "Zur Prüfung einreichen" in listing.content.decode()

    submitted = client.post(f"/me/contributions/{pk}/submit/", follow=True)
    [message] = flash_messages(submitted)
    assert_german(message)
    assert_german(submitted)
    assert "Wartet auf redaktionelle Prüfung" in submitted.content.decode()

    # Sent again while it is with a reviewer: refused, in German, at the refusal's status.
    again = client.post(f"/me/contributions/{pk}/submit/")
    assert again.status_code == 400
    assert_german(again)
    assert "Dieser Beitrag liegt bereits bei einem Prüfer." in again.content.decode()

    # The edit form of an item in review refuses too.
    edit = client.get(f"/me/contributions/{pk}/edit/")
    assert edit.status_code == 400
    assert_german(edit)

    withdrawn = client.post(f"/me/contributions/{pk}/withdraw/", follow=True)
    [message] = flash_messages(withdrawn)
    assert_german(message)

    edit = client.get(f"/me/contributions/{pk}/edit/")
    assert edit.status_code == 200
    assert_german(edit, allowed=(GERMAN_POST["body"],))
    assert "„Mein Alltag mit Erschöpfung“ bearbeiten" in edit.content.decode()


def test_hostile_and_oversized_input_is_refused_in_german(writer_de):
    hostile = '<script>alert("x")</script>'
    too_long = "x" * 20_001
    tag = "t" * 41

    response = signed_in(writer_de).post(
        "/write/story/",
        {
            **GERMAN_STORY,
            "title": hostile,
            "summary": "",
            "body": too_long,
            "tags": tag,
            "treatments": ", ".join(f"behandlung{n}" for n in range(9)),
            "year_of_diagnosis": "2999",
            "audience": "community-99999",
            "action": "submit",
        },
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert hostile not in text
    assert_german(response, allowed=(hostile, too_long, tag))
    for words in (
        "Dieses Feld ist erforderlich.",
        "Jedes Thema darf höchstens 40 Zeichen lang sein.",
        "Geben Sie höchstens 8 Behandlungen an.",
        "Das Jahr der Diagnose kann nicht in der Zukunft liegen.",
        "Wählen Sie einen der aufgeführten Leserkreise.",
    ):
        assert words in text, words


def test_references_errors_are_german(expert):
    expert.language = "de"
    expert.save(update_fields=["language"])
    with_consent(expert)

    response = signed_in(expert).post(
        "/write/article/",
        {
            **GERMAN_POST,
            "credentials": "Fachärztin für Neurologie",
            "references": "Eine Studie | javascript:alert(1)",
            "action": "save",
        },
    )

    assert response.status_code == 400
    assert_german(response, allowed=("javascript:alert(1)", "Eine Studie | javascript:alert(1)"))
    assert "„javascript:alert(1)“ ist keine Webadresse." in response.content.decode()


def test_the_daily_limit_on_new_items_is_said_in_german(writer_de):
    client = signed_in(writer_de)
    for number in range(services.NEW_MEMBER_DAILY_NEW_ITEMS):
        client.post("/write/blog/", {**GERMAN_POST, "title": f"Entwurf {number}", "action": "save"})

    response = client.post("/write/blog/", {**GERMAN_POST, "action": "save"})

    assert response.status_code == 429
    assert_german(response)
    assert "Sie haben heute 5 neue Beiträge begonnen" in response.content.decode()


def test_the_audience_page_of_a_published_item_is_german(writer_de):
    page = services.contribution_save_draft(
        user=writer_de,
        kind=KINDS["blog"],
        data={**GERMAN_POST, "body": [], "tags": []},
    )
    page.save_revision().publish()

    response = signed_in(writer_de).get(f"/me/contributions/{page.pk}/audience/")

    assert response.status_code == 200
    assert_german(response)
    done = signed_in(writer_de).post(
        f"/me/contributions/{page.pk}/audience/", {"audience": "members"}, follow=True
    )
    [message] = flash_messages(done)
    assert_german(message)


# --- Plurals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "Mein Konto in 1 Tag löschen"), (2, "Mein Konto in 2 Tagen löschen")],
)
def test_the_days_of_the_wait_take_the_right_german_form(number, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate trimmed count days=wait_days %}"
        "Delete my account in {{ days }} day{% plural %}"
        "Delete my account in {{ days }} days{% endblocktranslate %}"
    )

    with translation.override("de"):
        assert template.render(Context({"wait_days": number})) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "Geben Sie höchstens 1 Thema an."), (2, "Geben Sie höchstens 2 Themen an.")],
)
def test_the_tag_limit_takes_the_right_german_form(number, expected):
    from authoring.forms import _too_many

    with translation.override("de"):
        assert _too_many("tag", number) == expected
