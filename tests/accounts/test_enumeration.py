"""Sign-up, sign-in and password reset answer the same whether an address is registered."""

from django.core import mail
from django.test import Client

import pytest

from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db

REGISTERED = "known@example.org"
UNKNOWN = "stranger@example.org"


@pytest.fixture
def registered(portal):
    return UserFactory(email=REGISTERED)


def normalised(response, email):
    """The body with the CSRF token and the address typed blanked out."""
    return without_csrf_tokens(response.content).replace(email, "EMAIL")


def both(post):
    """``post(client, email)`` for a registered, then an unknown address, each in a fresh client."""
    results = []
    for email in (REGISTERED, UNKNOWN):
        client = Client()
        response = post(client, email)
        followed = client.get(response["Location"]) if response.status_code == 302 else response
        results.append((response, followed, email))
    return results


def assert_identical(results):
    (first, first_page, first_email), (second, second_page, second_email) = results
    assert first.status_code == second.status_code
    assert first.get("Location") == second.get("Location")
    assert first_page.status_code == second_page.status_code
    assert normalised(first_page, first_email) == normalised(second_page, second_email)


def test_signup_answers_the_same_for_a_registered_address(registered, signup_data):
    results = both(lambda client, email: client.post("/accounts/signup/", signup_data(email=email)))

    assert_identical(results)
    assert results[0][0].status_code == 302
    # The owner is told by email instead; the newcomer gets a confirmation link.
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "already have a Kindred account" in subjects[REGISTERED]
    assert "confirm" in subjects[UNKNOWN]
    assert registered.consents.count() == 0, "no consent recorded for an existing account"


def test_signup_with_a_registered_address_in_other_case_is_treated_the_same(
    registered, signup_data
):
    client = Client()
    response = client.post("/accounts/signup/", signup_data(email=REGISTERED.upper()))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert [message.to for message in mail.outbox] == [[REGISTERED]]


def test_login_failure_is_the_same_for_unknown_address_and_wrong_password(registered):
    results = both(
        lambda client, email: client.post(
            "/accounts/login/", {"login": email, "password": "not-the-password-1"}
        )
    )

    assert_identical(results)
    response, _page, _email = results[0]
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_login_failure_by_username_says_the_same(registered):
    by_username = Client().post(
        "/accounts/login/", {"login": registered.username, "password": "wrong-password-1"}
    )
    by_unknown_name = Client().post(
        "/accounts/login/", {"login": "nobody-here", "password": "wrong-password-1"}
    )

    assert by_username.status_code == by_unknown_name.status_code == 200
    assert normalised(by_username, registered.username) == normalised(
        by_unknown_name, "nobody-here"
    )


def test_password_reset_answers_the_same_for_both(registered):
    results = both(lambda client, email: client.post("/accounts/password/reset/", {"email": email}))

    assert_identical(results)
    assert results[0][0].status_code == 302
    messages = {message.to[0]: message for message in mail.outbox}
    assert "/accounts/password/reset/key/" in messages[REGISTERED].body
    assert "no Kindred account" in messages[UNKNOWN].body


def test_registered_member_can_still_sign_in(client, registered):
    response = client.post("/accounts/login/", {"login": REGISTERED, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(registered.pk)
