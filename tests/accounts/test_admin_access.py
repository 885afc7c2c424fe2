"""One sign-in for everyone: staff reach the admin through it, members never do."""

from urllib.parse import quote

import pytest

from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user, next_url=None):
    path = "/accounts/login/" + (f"?next={quote(next_url)}" if next_url else "")
    return client.post(path, {"login": user.email, "password": TEST_PASSWORD})


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("", "/accounts/login/"),
        ("?next=/admin/pages/", "/accounts/login/?next=%2Fadmin%2Fpages%2F"),
    ],
)
def test_admin_login_redirects_to_the_one_sign_in_keeping_next(client, portal, query, location):
    response = client.get(f"/admin/login/{query}")

    assert response.status_code == 302
    assert response["Location"] == location


def test_admin_sends_anonymous_visitors_to_the_sign_in(client, portal):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_editor_signs_in_through_allauth_and_lands_in_the_admin(client, editor):
    response = sign_in(client, editor, next_url="/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/users/", "/admin/reports/"])
def test_member_signed_in_through_allauth_cannot_reach_the_admin(client, member, path):
    assert sign_in(client, member).status_code == 302
    assert client.get("/me/account/").status_code == 200, "signed in"

    response = client.get(path, follow=True)

    # Turned away to the home page with the admin's message, not bounced
    # between the admin and the sign-in page for ever.
    assert response.status_code == 200
    final_path = response.redirect_chain[-1][0]
    assert final_path == "/"
    if path == "/admin/":
        assert "You do not have permission to access the admin" in response.content.decode()
    assert len(response.redirect_chain) <= 4


def test_member_signing_in_with_an_admin_next_is_turned_away_once(client, member):
    response = sign_in(client, member, next_url="/admin/")

    assert response["Location"] == "/admin/"
    followed = client.get("/admin/", follow=True)
    assert followed.redirect_chain[-1][0] == "/"


def test_sign_in_refuses_to_redirect_off_site(client, member):
    response = sign_in(client, member, next_url="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_staff_without_a_confirmed_address_cannot_sign_in(client, portal):
    from tests.factories import UserFactory

    unconfirmed = UserFactory(verified_email=False, is_staff=True)

    response = sign_in(client, unconfirmed)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
