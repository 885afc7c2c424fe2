"""Password reset, password change and email change, end to end through the outbox."""

from django.core import mail
from django.test import Client

import pytest
from allauth.account.models import EmailAddress

from tests.accounts.conftest import STRONG_PASSWORD, link_in, mail_to
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "amber-meadow-kettle-17"


def sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_password_reset_by_link(client, member):
    client.post("/accounts/password/reset/", {"email": member.email})
    [message] = mail.outbox
    assert "username" not in message.body.lower(), "random usernames are not mailed"

    # allauth swaps the key in the link for a session-held one, then shows the form.
    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200
    form_path = form_page.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert sign_in(Client(), member.email, NEW_PASSWORD).status_code == 302
    assert sign_in(Client(), member.email, TEST_PASSWORD).status_code == 200
    assert any("password was reset" in m.subject for m in mail.outbox), "owner is told"


def test_used_reset_link_does_not_work_twice(client, member):
    client.post("/accounts/password/reset/", {"email": member.email})
    path = link_in(mail.outbox[0])
    form_path = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client().get(path, follow=True)

    assert again.status_code == 200
    assert "does not work" in again.content.decode()


def test_reset_refuses_a_weak_password(client, member):
    client.post("/accounts/password/reset/", {"email": member.email})
    form_path = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(form_path, {"password1": "password1", "password2": "password1"})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_password_change_needs_the_current_password(client, member):
    client.force_login(member)

    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it-at-all", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    right = client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert wrong.status_code == 200
    assert right.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert [m.subject for m in mail_to(member.email)] == ["[Kindred] Your password was changed"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"oldpassword": "x" * 10_000, "password1": "y" * 10_000, "password2": "y" * 10_000},
        {"oldpassword": TEST_PASSWORD, "password1": "y" * 10_000, "password2": "y" * 10_000},
        {"oldpassword": ["a", "b"], "password1": "<script>", "password2": "<script>"},
    ],
)
def test_password_change_survives_hostile_input(client, member, data):
    client.force_login(member)

    response = client.post("/accounts/password/change/", data)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def reauthenticate(client, member):
    """Enter the password again, as allauth asks before the address can change."""
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_email_change_asks_for_the_password_first(client, member):
    client.force_login(member)

    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert mail.outbox == []
    page = client.get(response["Location"])
    assert "Confirm it is you" in page.content.decode()
    wrong = client.post(response["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200
    assert mail.outbox == []


def test_email_change_needs_the_password_then_a_confirmed_link(client, member):
    old_email = member.email
    client.force_login(member)
    reauthenticate(client, member)

    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "new-address@example.org"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == old_email, "nothing changes until the new address is confirmed"
    [confirmation] = mail_to("new-address@example.org")
    client.post(link_in(confirmation))

    member.refresh_from_db()
    assert member.email == "new-address@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "new-address@example.org"
    ], "one address per account"
    assert any("address was changed" in m.subject for m in mail_to(old_email)), "old address told"
    assert sign_in(Client(), "new-address@example.org", TEST_PASSWORD).status_code == 302


def test_changing_to_a_registered_address_reveals_nothing(client, member, editor):
    client.force_login(member)
    reauthenticate(client, member)

    taken = client.post("/accounts/email/", {"action_add": "", "email": editor.email})

    assert taken.status_code == 302, "accepted like any other address"
    member.refresh_from_db()
    assert member.email != editor.email


@pytest.mark.parametrize("email", ["", "not-an-address", "a" * 10_000, "a" * 250 + "@b.org"])
def test_email_change_refuses_bad_addresses(client, member, email):
    client.force_login(member)
    reauthenticate(client, member)

    response = client.post("/accounts/email/", {"action_add": "", "email": email})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert EmailAddress.objects.filter(user=member).count() == 1


@pytest.mark.parametrize("email", ['"<script>"@example.org', ["a@example.org", "b@example.org"]])
def test_email_change_shows_odd_but_valid_addresses_escaped(client, member, email):
    client.force_login(member)
    reauthenticate(client, member)

    response = client.post("/accounts/email/", {"action_add": "", "email": email})
    page = client.get("/accounts/email/")

    assert response.status_code == 302
    assert page.status_code == 200
    assert "<script>" not in page.content.decode()
    assert EmailAddress.objects.filter(user=member).count() == 2, "current and pending only"


def test_login_survives_hostile_input(client, portal):
    for data in (
        {},
        {"login": "a" * 10_000, "password": "b" * 10_000},
        {"login": ["a", "b"], "password": ["c", "d"]},
        {"login": "<script>alert(1)</script>", "password": "x"},
        {"login": "\x00", "password": "\x00"},
    ):
        response = client.post("/accounts/login/", data)
        assert response.status_code == 200, data
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_password_reset_survives_hostile_input(client, portal):
    for data in ({}, {"email": "a" * 10_000}, {"email": "<script>"}, {"email": ["a", "b"]}):
        response = client.post("/accounts/password/reset/", data)
        assert response.status_code == 200, data
        assert "<script>" not in response.content.decode()
    assert mail.outbox == []


def test_logout_is_a_post(client, member):
    client.force_login(member)

    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert client.get("/me/account/").status_code == 200, "a GET signs nobody out"

    client.post("/accounts/logout/")
    assert client.get("/me/account/").status_code == 302


def test_new_member_signs_up_confirms_and_changes_password(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data())
    client.post(link_in(mail.outbox[0]))

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": STRONG_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert sign_in(Client(), "river@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/confirm-email/" + "a" * 10_000 + "/",
        "/accounts/confirm-email/Mg:1xWncQ:forged/",
        "/accounts/password/reset/key/1-" + "b" * 5_000 + "/",
        "/accounts/password/reset/key/zz-set-password/",
    ],
)
def test_forged_or_huge_keys_are_refused_politely(client, portal, path):
    page = client.get(path, follow=True)
    posted = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert page.status_code == 200
    assert "not valid" in page.content.decode()
    assert posted.status_code in (200, 302, 404)
