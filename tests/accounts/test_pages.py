"""Every allauth page renders inside Kindred's layout, in plain British English."""

import pytest

from tests.accounts.test_email_and_password import reauthenticate

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Join Kindred"),
    ("/accounts/password/reset/", "Reset your password"),
    ("/accounts/password/reset/done/", "Check your email"),
    ("/accounts/confirm-email/", "Check your email"),
    ("/guidelines/", "Community guidelines"),
    ("/privacy/health-data/", "How we use your health information"),
]
MEMBER_PAGES = [
    ("/me/account/", "Your account"),
    ("/accounts/logout/", "Sign out"),
    ("/accounts/password/change/", "Change your password"),
    ("/accounts/email/", "Change your email address"),
    ("/accounts/reauthenticate/", "Confirm it is you"),
]


def assert_site_layout(response, heading):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert f"<h1>{heading}</h1>" in html
    assert "Menu:" not in html, "allauth's bare layout is not used"
    assert "<script" not in html, "no scripts on account pages"


@pytest.mark.parametrize(("path", "heading"), ANONYMOUS_PAGES)
def test_anonymous_pages_use_the_site_layout(client, portal, path, heading):
    assert_site_layout(client.get(path), heading)


@pytest.mark.parametrize(("path", "heading"), MEMBER_PAGES)
def test_member_pages_use_the_site_layout(client, member, path, heading):
    client.force_login(member)
    if path == "/accounts/email/":
        reauthenticate(client, member)

    assert_site_layout(client.get(path), heading)
