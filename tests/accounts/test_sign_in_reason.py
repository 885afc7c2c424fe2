"""The sign-in page says why someone was sent there, naming only pages it knows.

A person who joined but has not confirmed their address cannot sign in, so
opening /write/ lands them on the sign-in page: it must tell them to sign in to
write and, if they just joined, to confirm their address first.
"""

from urllib.parse import quote

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.sign_in import GENERIC_REASON, JUST_JOINED, sign_in_reason
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def login_page(client, next_url):
    response = client.get(f"/accounts/login/?next={quote(next_url, safe='')}")
    assert response.status_code == 200
    return response.content.decode()


def test_unconfirmed_new_member_opening_write_is_told_why(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data())
    assert len(mail.outbox) == 1, "the confirmation link was sent, not yet followed"

    bounced = client.get("/write/")

    assert bounced.status_code == 302
    assert bounced["Location"] == "/accounts/login/?next=/write/"
    html = client.get(bounced["Location"]).content.decode()
    assert "Sign in to write." in html
    assert "Just joined? Confirm your address first: we sent you a link." in html


def test_unconfirmed_member_signing_in_from_there_is_sent_to_confirm(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data())
    client.logout()

    response = client.post(
        "/accounts/login/?next=/write/",
        {"login": "river@example.org", "password": STRONG_PASSWORD, "next": "/write/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("next_url", "reason"),
    [
        ("/write/", "Sign in to write."),
        ("/write/experience-story/", "Sign in to write."),
        ("/me/contributions/", "Sign in to see your contributions."),
        ("/me/contributions/12/edit/", "Sign in to see your contributions."),
        ("/me/profile/", "Sign in to edit your profile."),
        ("/me/account/", "Sign in to see your account."),
        ("/me/blocked/", "Sign in to manage whom you block and mute."),
        ("/feed/", "Sign in to see your feed."),
        ("/feed/?page=2", "Sign in to see your feed."),
        ("/notifications/", "Sign in to see your notifications."),
        ("/notifications/settings/", "Sign in to see your notifications."),
        ("/people/", "Sign in to see people like you."),
    ],
)
def test_members_only_pages_are_named(client, portal, next_url, reason):
    html = login_page(client, next_url)

    assert reason in html
    assert JUST_JOINED in html


def test_welcome_is_named_without_the_confirm_hint(client, portal):
    # Only reached after confirming from another browser: confirmed already.
    html = login_page(client, "/welcome/")

    assert "Sign in to finish setting up your account." in html
    assert JUST_JOINED not in html


@pytest.mark.parametrize(
    "next_url",
    [
        "/some/page/",  # a page of the site the list does not name
        "/write/../admin/",  # not the write page, whatever it starts with
        "/writers/",
        f"/{XSS}/",
        "/write/\x00",
    ],
)
def test_other_local_pages_get_the_generic_reason(client, portal, next_url):
    html = login_page(client, next_url)

    assert GENERIC_REASON in html
    assert "Sign in to write." not in html
    assert XSS not in html


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/write/",
        "//evil.example/write/",
        "/\\evil.example/write/",
        "javascript:alert(1)",
        "",
        "/write/" + "a" * 10_000,  # longer than any address of ours
    ],
)
def test_no_reason_for_a_next_that_leads_elsewhere_or_nowhere(client, portal, next_url):
    html = login_page(client, next_url)

    assert GENERIC_REASON not in html
    assert "Sign in to write." not in html
    assert "evil.example" not in html.split('name="next"')[0], "nothing echoed above the form"


def test_plain_sign_in_page_has_no_reason(client, portal):
    html = client.get("/accounts/login/").content.decode()

    assert GENERIC_REASON not in html and JUST_JOINED not in html


def test_the_reason_stays_after_a_failed_attempt(client, portal, member):
    response = client.post(
        "/accounts/login/?next=/feed/",
        {"login": member.email, "password": "wrong password here", "next": "/feed/"},
    )

    assert response.status_code == 200
    assert "Sign in to see your feed." in response.content.decode()


@pytest.mark.parametrize("value", [None, 42, ["/write/"], b"/write/"])
def test_wrong_types_have_no_reason(value):
    assert sign_in_reason(value) is None


def test_signing_in_from_there_still_leads_to_the_page(client, portal, member):
    from tests.factories.users import TEST_PASSWORD

    response = client.post(
        "/accounts/login/?next=/write/",
        {"login": member.email, "password": TEST_PASSWORD, "next": "/write/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/write/"


def test_the_reason_costs_no_query(client, portal):
    client.get("/accounts/login/")  # the site and menu caches are warm for both
    with CaptureQueriesContext(connection) as plain:
        client.get("/accounts/login/")
    with CaptureQueriesContext(connection) as with_reason:
        html = client.get("/accounts/login/?next=/write/").content.decode()

    assert "Sign in to write." in html
    assert len(with_reason.captured_queries) == len(plain.captured_queries)
