"""Accounts in German (issue 18): sign-in, sign-up, passwords, email, the welcome steps,
the account and sessions pages, the texts members agree to, and allauth's emails.

A visitor asks in German (``Accept-Language: de``); a member has ``language = "de"``
saved. Every page, form error, flash message and email must read as German
(``tests.german``); the same email to an English member stays English.
"""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest
from allauth.usersessions.models import UserSession

from accounts import idle
from accounts.models import ConsentEvent
from accounts.services import consent_give
from accounts.views import _count
from core import consent, roles
from tests.accounts.conftest import STRONG_PASSWORD, link_in, mail_to, signup_post
from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD
from tests.german import ENGLISH, GERMAN, assert_german

pytestmark = pytest.mark.django_db


def german_member(**kwargs):
    kwargs.setdefault("display_name", "Waldläuferin")
    return UserFactory(group=roles.MEMBERS, language="de", **kwargs)


def signed_in(user, **headers):
    client = Client(**headers)
    client.force_login(user)
    return client


def german_email(message, *, allowed=()):
    links = tuple(re.findall(r"https?://\S+", message.body))
    assert_german(message.subject, allowed=allowed)
    assert_german(message.body, allowed=(*links, *allowed))


def flash_messages(response):
    return [str(message) for message in response.context["messages"]]


# --- Pages a visitor sees ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/login/?next=/write/",
        "/accounts/login/?next=/welcome/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-key/",
        "/accounts/password/reset/key/1-not-a-key/",
    ],
)
def test_visitor_account_pages_are_german(portal, path):
    response = Client(**GERMAN).get(path, follow=True)

    assert response.status_code == 200
    assert_german(response)


def test_the_sign_up_page_names_both_consents_in_german(portal):
    html = Client(**GERMAN).get("/accounts/signup/").content.decode()

    assert "Ich habe die Gemeinschaftsrichtlinien gelesen und akzeptiere sie." in html
    assert "Ich willige ausdrücklich ein" in html
    assert "Version 2026-11" in html, "the version identifier is unchanged"


@pytest.mark.parametrize("kind", [consent.GUIDELINES, consent.HEALTH_DATA])
def test_the_texts_members_agree_to_are_german(portal, kind):
    text = consent.CURRENT[kind]
    response = Client(**GERMAN).get(reverse(text.url_name))

    assert response.status_code == 200
    assert_german(response)
    html = response.content.decode()
    assert text.version in html
    assert text.version == "2026-11", "translating a text does not change its version"


@pytest.mark.parametrize("kind", [consent.GUIDELINES, consent.HEALTH_DATA])
def test_the_texts_members_agree_to_stay_english_for_english_visitors(portal, kind):
    text = consent.CURRENT[kind]
    html = Client(**ENGLISH).get(reverse(text.url_name)).content.decode()

    assert str(text.sections[0][0]) in html
    assert "Community guidelines" in html or "How we use your health information" in html


def test_the_throttled_sign_in_page_is_german(portal, member):
    client = Client(**GERMAN)
    response = None
    for _attempt in range(30):
        response = client.post("/accounts/login/", {"login": member.email, "password": "falsch"})
        if response.status_code == 429:
            break

    assert response.status_code == 429
    assert_german(response)


# --- Form errors -------------------------------------------------------------------


def test_a_wrong_password_is_refused_in_german(portal, member):
    response = Client(**GERMAN).post(
        "/accounts/login/", {"login": member.email, "password": "nicht-das-richtige"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "passen nicht zusammen" in html
    assert_german(response, allowed=(member.email,))


def test_a_sign_in_with_nothing_typed_is_refused_in_german(portal):
    response = Client(**GERMAN).post("/accounts/login/", {})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert_german(response)


@pytest.mark.parametrize(
    ("display_name", "words"),
    [
        ("x", "mindestens 2 Zeichen"),
        ("ich@example.org", "keine E-Mail-Adresse"),
        ("Un\u202esichtbar", "nur Buchstaben"),
    ],
)
def test_a_bad_display_name_is_refused_in_german(portal, display_name, words):
    response = Client(**GERMAN).post("/accounts/signup/", signup_post(display_name=display_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert words in html
    assert_german(response, allowed=(display_name, "river@example.org"))


def test_a_sign_up_with_missing_fields_and_no_consent_is_refused_in_german(portal):
    response = Client(**GERMAN).post(
        "/accounts/signup/",
        signup_post(
            display_name=None, email=None, accept_guidelines=None, consent_health_data=None
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte akzeptieren Sie die Gemeinschaftsrichtlinien" in html
    assert "Einwilligung zur Verarbeitung von Gesundheitsdaten" in html
    assert_german(response)


def test_a_consent_text_changed_while_reading_is_said_in_german(portal):
    response = Client(**GERMAN).post("/accounts/signup/", signup_post(guidelines_version="2020-01"))

    assert "Wir haben diesen Text geändert" in response.content.decode()
    assert_german(response, allowed=("River Walker", "river@example.org"))


def test_a_weak_new_password_is_refused_in_german(portal):
    member = german_member()
    client = Client(**GERMAN)
    client.post("/accounts/password/reset/", {"email": member.email})
    form_path = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    form = client.get(form_path)
    assert_german(form)
    response = client.post(form_path, {"password1": "password1", "password2": "password1"})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert_german(response)


# --- Emails ------------------------------------------------------------------------


def test_a_german_sign_up_gets_a_german_confirmation(portal):
    response = Client(**GERMAN).post("/accounts/signup/", signup_post())

    assert response.status_code == 302
    [message] = mail_to("river@example.org")
    german_email(message)
    assert message.subject == "[Kindred] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "/accounts/confirm-email/" in message.body
    assert "Guten Tag," in message.body and "Ihr Kindred-Team" in message.body


def test_an_english_sign_up_still_gets_an_english_confirmation(portal):
    Client(**ENGLISH).post("/accounts/signup/", signup_post())

    [message] = mail_to("river@example.org")
    assert message.subject == "[Kindred] Please confirm your email address"
    assert "Thank you for joining Kindred" in message.body


def test_a_sign_up_with_a_taken_address_is_told_in_german(portal):
    german_member(email="schon@example.org")

    Client(**GERMAN).post("/accounts/signup/", signup_post(email="schon@example.org"))

    [message] = mail_to("schon@example.org")
    german_email(message)
    assert message.subject == "[Kindred] Sie haben bereits ein Kindred-Konto"


def test_a_german_password_reset_arrives_in_german(portal, member):
    Client(**GERMAN).post("/accounts/password/reset/", {"email": member.email})

    [message] = mail.outbox
    german_email(message)
    assert message.subject == "[Kindred] Passwort zurücksetzen"


def test_a_reset_for_an_unknown_address_is_told_in_german(portal):
    Client(**GERMAN).post("/accounts/password/reset/", {"email": "niemand@example.org"})

    [message] = mail_to("niemand@example.org")
    german_email(message, allowed=("niemand@example.org",))


def test_a_german_member_gets_german_account_emails_whatever_the_browser(portal):
    member = german_member()
    english_browser = Client(**ENGLISH)

    english_browser.post("/accounts/password/reset/", {"email": member.email})

    [reset] = mail.outbox
    german_email(reset)
    form_path = english_browser.get(link_in(reset), follow=True).redirect_chain[-1][0]
    english_browser.post(form_path, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    told = [m for m in mail.outbox if m is not reset]
    assert [m.subject for m in told] == ["[Kindred] Ihr Passwort wurde zurückgesetzt"]
    german_email(told[0], allowed=("Mozilla", "Chrome", "Safari"))
    assert re.search(r"am \d{1,2}\. \w+ \d{4} um \d\d:\d\d \(UTC\)", told[0].body), told[0].body


def test_an_english_member_still_gets_english_account_emails(portal, member):
    Client(**GERMAN).post("/accounts/password/reset/", {"email": member.email})
    mail.outbox.clear()
    member.language = "en-gb"
    member.save(update_fields=["language"])

    Client(**GERMAN).post("/accounts/password/reset/", {"email": member.email})

    [message] = mail.outbox
    assert message.subject == "[Kindred] Reset your password"
    assert "Someone, probably you, asked to reset the password" in message.body


def test_a_password_change_notice_goes_out_in_german(portal):
    member = german_member()
    client = signed_in(member)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Kindred] Ihr Passwort wurde geändert"
    german_email(message)


# --- Pages a German member sees ----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/me/account/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/sessions/",
        "/welcome/",
        "/welcome/profile/",
        "/welcome/start/",
        "/me/account/consent/health-data/withdraw/",
    ],
)
def test_member_account_pages_are_german(portal, path):
    member = german_member()
    response = signed_in(member, **ENGLISH).get(path, follow=True)

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert_german(response, allowed=(member.email,))


def test_the_account_page_in_german_names_dates_and_consents(portal):
    member = german_member()
    for kind in consent.KINDS:
        consent_give(user=member, kind=kind, channel=ConsentEvent.Channel.SIGN_UP)

    html = signed_in(member).get("/me/account/").content.decode()

    assert "Ihr Konto" in html
    assert "Sie haben der aktuellen Version (2026-11) am" in html
    assert "Gemeinschaftsrichtlinien" in html and "Wie wir Ihre Gesundheitsdaten verwenden" in html


def test_choosing_german_on_the_account_page_makes_it_german(portal, member):
    client = signed_in(member, **ENGLISH)
    assert client.get("/me/account/")["Content-Language"] == "en-gb"

    response = client.post("/language/", {"language": "de", "next": "/me/account/"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/me/account/")
    assert_german(response, allowed=(member.email,))
    member.refresh_from_db()
    assert member.language == "de"


def test_the_sessions_page_in_german_names_other_browsers(portal):
    member = german_member()
    client = signed_in(member)
    other = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0")
    other.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})
    UserSession.objects.filter(user=member).update(
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0"
    )

    response = client.get("/accounts/sessions/")

    html = response.content.decode()
    assert "Firefox unter Windows" in html
    assert "Sie werden abgemeldet, wenn" in html
    assert_german(response, allowed=(member.email, "Mozilla", "Firefox", "Windows", "Win"))


# --- Flash messages ----------------------------------------------------------------


def test_signing_out_other_sessions_is_told_in_german(portal):
    member = german_member()

    response = signed_in(member).post("/accounts/sessions/", follow=True)

    assert flash_messages(response) == ["Sie waren nirgendwo sonst angemeldet."]
    assert_german(response, allowed=(member.email,))


def test_welcome_steps_say_saved_in_german(portal):
    member = german_member()
    client = signed_in(member)

    first = client.post("/welcome/", {}, follow=True)
    second = client.post("/welcome/profile/", {"visibility": "members"}, follow=True)

    assert flash_messages(first) == ["Ihre Erkrankungen und Themen sind gespeichert."]
    assert flash_messages(second) == ["Gespeichert, wer Ihr Profil sehen kann."]
    assert_german(second)


def test_an_invalid_welcome_choice_is_refused_in_german(portal):
    member = german_member()

    response = signed_in(member).post("/welcome/profile/", {"visibility": "nobody-at-all"})

    assert "Wählen Sie aus der angezeigten Liste." in response.content.decode()
    assert_german(response)


def test_withdrawing_and_giving_consent_is_told_in_german(portal):
    member = german_member()
    consent_give(user=member, kind=consent.HEALTH_DATA, channel=ConsentEvent.Channel.SIGN_UP)
    client = signed_in(member)

    withdrawn = client.post("/me/account/consent/health-data/withdraw/", follow=True)
    given = client.post(f"/me/account/consent/{consent.HEALTH_DATA}/give/", follow=True)

    [withdrawn_message] = flash_messages(withdrawn)
    assert withdrawn_message.startswith(
        "Ihre Einwilligung zur Verarbeitung von Gesundheitsdaten ist widerrufen."
    )
    assert_german(withdrawn_message)
    assert_german(withdrawn, allowed=(member.email,))
    assert flash_messages(given) == [
        "Vielen Dank. Wir haben Ihre Zustimmung zu „Wie wir Ihre Gesundheitsdaten verwenden“ "
        "gespeichert."
    ]


def test_signing_in_and_out_is_told_in_german(portal):
    member = german_member()
    client = Client(**GERMAN)

    signed = client.post(
        "/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}, follow=True
    )
    out = client.post("/accounts/logout/", follow=True)

    assert "Willkommen, Waldläuferin. Sie sind angemeldet." in flash_messages(signed)
    assert "Sie haben sich abgemeldet." in flash_messages(out)


# --- Plurals and durations ---------------------------------------------------------


def test_durations_and_counts_take_the_german_plural():
    from django.utils import translation

    with translation.override("de"):
        assert idle.describe(86400) == "1 Tag"
        assert idle.describe(2 * 86400) == "2 Tage"
        assert idle.describe(3600) == "1 Stunde"
        assert idle.describe(2 * 3600) == "2 Stunden"
        assert idle.describe(60) == "1 Minute"
        assert idle.describe(120) == "2 Minuten"
        assert _count(["a"]) == "1 Beitrag"
        assert _count(["a", "b"]) == "2 Beiträge"
    with translation.override("en-gb"):
        assert idle.describe(86400) == "1 day"
        assert idle.describe(2 * 86400) == "2 days"
        assert _count(["a", "b"]) == "2 items"
