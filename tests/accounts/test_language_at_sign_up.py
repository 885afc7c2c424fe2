"""A member keeps the language they joined in (issue 18): their pages on every device and
every email, including those the worker sends later, follow it until they change it."""

from django.contrib.auth import get_user_model
from django.test import Client

import pytest

from tests.accounts.conftest import signup_post

pytestmark = pytest.mark.django_db


def _sign_up(accept_language: str, email: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=accept_language).post(
        "/accounts/signup/", signup_post(email=email)
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("accept_language", "saved"),
    [("de-DE,de;q=0.9", "de"), ("en-GB", "en-gb"), ("fr-FR", "en-gb")],
)
def test_the_language_of_the_sign_up_is_saved(portal, accept_language, saved):
    _sign_up(accept_language, "river@example.org")

    assert get_user_model().objects.get(email="river@example.org").language == saved


def test_the_demo_has_a_german_speaking_member_who_reads_german(portal):
    from portal.demo.seed import demo_accounts_ensure

    accounts = demo_accounts_ensure()
    member = accounts["mitglied"]
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    browser.force_login(member)

    response = browser.get("/me/account/")

    assert member.language == "de"
    assert response["Content-Language"] == "de"
