"""Sign-up: a member with two consent records, a random username and a confirmed address."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Consent
from core import consent, roles
from tests.accounts.conftest import STRONG_PASSWORD, link_in, mail_to

pytestmark = pytest.mark.django_db

User = get_user_model()
XSS = '<script>alert("x")</script>'


def test_signup_page_links_both_texts(client, portal):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/guidelines/"' in html
    assert 'href="/privacy/health-data/"' in html
    assert 'class="form"' in html
    assert "Kindred" in html and "Sign in" in html, "allauth pages use the site layout"


def test_signup_creates_member_with_consents_and_sends_confirmation(client, portal, signup_data):
    before = timezone.now()

    response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="river@example.org")
    assert user.display_name == "River Walker"
    assert list(user.groups.values_list("name", flat=True)) == [roles.MEMBERS]
    assert not user.is_staff and not user.is_superuser
    records = {record.kind: record for record in Consent.objects.filter(user=user)}
    assert set(records) == {consent.GUIDELINES, consent.HEALTH_DATA}
    for kind, record in records.items():
        assert record.version == consent.CURRENT[kind].version
        assert before <= record.given_at <= timezone.now()
        assert record.withdrawn_at is None
    address = EmailAddress.objects.get(user=user)
    assert address.primary and not address.verified
    [message] = mail.outbox
    assert message.to == ["river@example.org"]
    assert "confirm" in message.subject.lower()
    assert "/accounts/confirm-email/" in message.body


def test_username_is_random_and_never_from_the_email(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data(email="jane.doe@example.org"))
    client.post("/accounts/signup/", signup_data(email="jane.doe2@example.org"))

    first, second = User.objects.order_by("pk").values_list("username", flat=True)
    for username in (first, second):
        assert username.startswith("member-")
        assert len(username) == len("member-") + 12
        assert "jane" not in username and "doe" not in username
    assert first != second


def test_public_name_falls_back_to_a_neutral_name(portal):
    assert User(username="member-0123456789ab").public_name == "Kindred member"
    assert User(username="x", display_name="Ada").public_name == "Ada"


def test_unverified_member_cannot_sign_in_until_confirmed(client, portal, signup_data, clock):
    client.post("/accounts/signup/", signup_data())
    client.logout()
    mail.outbox.clear()
    clock.advance(3 * 60 + 1)  # allauth re-sends a link at most every 3 minutes

    response = client.post(
        "/accounts/login/", {"login": "river@example.org", "password": STRONG_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail_to("river@example.org")) == 1, "a fresh confirmation link is sent"


def test_confirmation_link_confirms_and_signs_in(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data())
    path = link_in(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert b'method="post"' in page.content, "confirming is a POST, never a GET"
    assert not EmailAddress.objects.get(email="river@example.org").verified

    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="river@example.org").verified
    assert client.get("/me/account/").status_code == 200, "signed in after confirming"


def test_confirmation_link_from_another_browser_confirms_without_signing_in(
    client, portal, signup_data
):
    client.post("/accounts/signup/", signup_data())
    path = link_in(mail.outbox[0])
    client.logout()

    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="river@example.org").verified
    assert "_auth_user_id" not in client.session
    login = client.post(
        "/accounts/login/", {"login": "river@example.org", "password": STRONG_PASSWORD}
    )
    assert login.status_code == 302 and login["Location"] == "/"


def test_expired_confirmation_link_does_not_confirm(client, portal, signup_data, clock):
    client.post("/accounts/signup/", signup_data())
    path = link_in(mail.outbox[0])

    clock.advance(timedelta(days=3, minutes=1).total_seconds())
    page = client.get(path)
    response = client.post(path)

    assert page.status_code == 200
    assert "expired" in page.content.decode()
    assert b'method="post" action="/accounts/confirm-email/' not in page.content
    assert response.status_code == 404
    assert not EmailAddress.objects.get(email="river@example.org").verified


def test_confirmation_link_still_works_just_before_three_days(client, portal, signup_data, clock):
    client.post("/accounts/signup/", signup_data())
    path = link_in(mail.outbox[0])

    clock.advance(timedelta(days=3, minutes=-1).total_seconds())
    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="river@example.org").verified


@pytest.mark.parametrize(
    "password",
    [
        "password123",  # common
        "qwertyuiop",  # common
        "short1!",  # too short
        "12345678901234",  # entirely numeric
        "river@example.org",  # the address itself
        "x" * 1025,  # beyond the length we hash
    ],
)
def test_weak_passwords_are_refused(client, portal, signup_data, password):
    response = client.post("/accounts/signup/", signup_data(password1=password, password2=password))

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not User.objects.filter(email="river@example.org").exists()
    assert mail.outbox == []


def test_mismatched_passwords_are_refused(client, portal, signup_data):
    response = client.post("/accounts/signup/", signup_data(password2=STRONG_PASSWORD + "x"))

    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize("missing", ["accept_guidelines", "consent_health_data"])
def test_both_consents_are_required(client, portal, signup_data, missing):
    response = client.post("/accounts/signup/", signup_data(**{missing: None}))

    assert response.status_code == 200
    assert not User.objects.exists()
    assert Consent.objects.count() == 0


@pytest.mark.parametrize("version", [None, "", "2019-01", "x" * 10_000])
def test_consent_to_a_text_not_on_screen_is_refused(client, portal, signup_data, version):
    response = client.post("/accounts/signup/", signup_data(health_data_version=version))

    assert response.status_code == 200
    assert "We updated this text" in response.content.decode()
    assert not User.objects.exists()
    current = consent.CURRENT[consent.HEALTH_DATA].version
    assert f'name="health_data_version" value="{current}"' in response.content.decode()


@pytest.mark.parametrize(
    "display_name",
    [
        "",
        " ",
        "A",
        "x" * 61,
        "x" * 10_000,
        "river@example.org",
        "me: river@example.org",
        "Eve\u202egnp.exe",  # right-to-left override
        "Null\x00byte",
        "Tab\tname",
        "Zero\u200bwidth",
    ],
)
def test_bad_display_names_are_refused(client, portal, signup_data, display_name):
    response = client.post("/accounts/signup/", signup_data(display_name=display_name))

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("display_name", "stored"),
    [
        ("  Sam  ", "Sam"),
        ("Tom's   dad", "Tom's dad"),
        ("Zoë & Ayşe", "Zoë & Ayşe"),
        ("👩\u200d👧 mum of two", "👩\u200d👧 mum of two"),
    ],
)
def test_display_names_are_trimmed_and_kept(client, portal, signup_data, display_name, stored):
    client.post("/accounts/signup/", signup_data(display_name=display_name))

    assert User.objects.get().display_name == stored


def test_xss_display_name_is_stored_as_text_and_rendered_escaped(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data(display_name=XSS[:60]))
    user = User.objects.get()
    assert user.display_name == XSS

    client.post(link_in(mail.outbox[0]))  # confirm, which signs in
    for path in ("/", "/me/account/"):
        html = client.get(path, follow=True).content.decode()
        assert XSS not in html, path
    # The name is used in the sign-in message, escaped there too.
    response = client.post("/accounts/logout/", follow=True)
    assert XSS not in response.content.decode()


def test_xss_in_every_field_is_never_reflected_raw(client, portal):
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": XSS,
            "email": XSS,
            "password1": XSS,
            "password2": XSS,
            "accept_guidelines": XSS,
            "consent_health_data": XSS,
            "guidelines_version": XSS,
            "health_data_version": XSS,
        },
    )

    assert response.status_code == 200
    assert XSS not in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "field", ["display_name", "email", "password1", "password2", "guidelines_version"]
)
def test_ten_thousand_characters_give_a_form_error(client, portal, signup_data, field):
    value = "a" * 10_000 if field != "email" else "a" * 9_990 + "@example.org"
    data = signup_data(**{field: value})
    if field == "password1":
        data["password2"] = value

    response = client.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not User.objects.exists()


def test_email_longer_than_the_database_column_is_refused(client, portal, signup_data):
    # 255-320 characters pass Django's form field but not a 254-character column.
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"
    assert 254 < len(email) <= 320

    response = client.post("/accounts/signup/", signup_data(email=email))

    assert response.status_code == 200
    assert not User.objects.exists()


def test_empty_and_odd_posts_never_fail(client, portal):
    for data in (
        {},
        {"display_name": ["a", "b"], "email": ["x@example.org", "y@example.org"]},
        {"accept_guidelines": "false", "consent_health_data": "0"},
        {"email": "not-an-email", "display_name": "\x00"},
    ):
        response = client.post("/accounts/signup/", data)
        assert response.status_code == 200, data
    assert not User.objects.exists()


def test_signed_in_member_is_sent_away_from_signup(client, member):
    client.force_login(member)

    assert client.get("/accounts/signup/").status_code == 302
