"""Nobody can lock a member out (issue 10, finding 5).

Failed sign-ins stay limited per client address and per account, but a browser
that has signed in to the account before counts on its own, and a password
reset lifts the account's limit at once. Deployments must say how many
proxies to trust (a system check).
"""

from django.core import mail
from django.core.checks import Error, Warning, run_checks
from django.test import Client

import pytest

from accounts import devices
from tests.accounts.conftest import link_in, mail_to
from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PER_ACCOUNT_PER_HOUR = 30  # "login_failed": "...,30/h/key"
NEW_PASSWORD = "lantern-harbour-quiet-77"


@pytest.fixture
def victim(portal):
    return UserFactory(email="victim@example.org", username="calm-heron-5")


def attempt(client, password, login="victim@example.org"):
    return client.post("/accounts/login/", {"login": login, "password": password})


def signed_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def owners_browser(user, address="192.0.2.10"):
    """A browser in which ``user`` signed in (and out) before."""
    client = Client(REMOTE_ADDR=address)
    assert attempt(client, TEST_PASSWORD, login=user.email).status_code == 302
    client.post("/accounts/logout/")
    assert not signed_in_as(client, user)
    return client


def strangers_fail(login, count=PER_ACCOUNT_PER_HOUR):
    """``count`` wrong passwords for ``login``, each from another address."""
    for number in range(count):
        client = Client(REMOTE_ADDR=f"10.7.{number // 200}.{number % 200 + 1}")
        assert attempt(client, f"guess-{number}-wrong", login=login).status_code == 200


@pytest.mark.parametrize("login", ["victim@example.org", "calm-heron-5"])
def test_strangers_cannot_lock_the_owner_out_of_a_browser_they_used_before(victim, login):
    owner = owners_browser(victim)
    strangers_fail(login)
    # The account's shared allowance is used up: a new browser is refused...
    assert attempt(Client(REMOTE_ADDR="198.51.100.3"), TEST_PASSWORD, login=login).status_code == (
        429
    )

    # ...but the owner's browser signs in with the right password.
    response = attempt(owner, TEST_PASSWORD, login=login)

    assert response.status_code == 302
    assert signed_in_as(owner, victim)


def test_the_owner_is_not_paused_by_strangers_behind_the_same_address(victim):
    # Behind a proxy counted wrongly every visitor shares one address.
    owner = owners_browser(victim, address="192.0.2.99")
    for number in range(8):
        attempt(Client(REMOTE_ADDR="192.0.2.99"), f"guess-{number}", login=f"x{number}@e.org")
    assert attempt(Client(REMOTE_ADDR="192.0.2.99"), TEST_PASSWORD).status_code == 429

    assert attempt(owner, TEST_PASSWORD).status_code == 302
    assert signed_in_as(owner, victim)


def test_a_trusted_browser_is_still_limited_on_its_own(victim):
    owner = owners_browser(victim)
    for number in range(6):  # "login_failed_trusted_device": "6/m/key,..."
        assert attempt(owner, f"guess-{number}-wrong").status_code == 200

    assert attempt(owner, TEST_PASSWORD).status_code == 429


def test_a_browser_is_trusted_only_for_the_accounts_it_signed_in_to(victim):
    other = UserFactory(email="other@example.org")
    browser = owners_browser(other)
    strangers_fail("victim@example.org")

    assert attempt(browser, TEST_PASSWORD).status_code == 429
    assert not signed_in_as(browser, victim)


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "garbage",
        "x" * 5000,
        "<script>alert(1)</script>",
        "eyJkIjoiYSIsImwiOltdfQ:1abc:forged",
    ],
)
def test_a_forged_or_broken_cookie_is_a_stranger(victim, cookie):
    strangers_fail("victim@example.org")
    client = Client(REMOTE_ADDR="198.51.100.4")
    client.cookies[devices.COOKIE_NAME] = cookie

    assert attempt(client, TEST_PASSWORD).status_code == 429


def test_a_cookie_signed_for_one_account_cannot_be_edited_to_name_another(victim):
    other = UserFactory(email="other@example.org")
    browser = owners_browser(other)
    value = browser.cookies[devices.COOKIE_NAME].value
    device = devices.trusted_device(_request_with(value), "other@example.org")
    assert device
    strangers_fail("victim@example.org")
    tampered = value.replace(value.split(":")[0], value.split(":")[0][::-1])
    browser.cookies[devices.COOKIE_NAME] = tampered

    assert attempt(browser, TEST_PASSWORD).status_code == 429


def _request_with(cookie_value):
    from django.test import RequestFactory

    request = RequestFactory().get("/accounts/login/")
    request.COOKIES[devices.COOKIE_NAME] = cookie_value
    return request


def test_the_cookie_names_no_address_and_goes_only_to_the_sign_in_pages(victim):
    browser = owners_browser(victim)
    cookie = browser.cookies[devices.COOKIE_NAME]

    assert cookie["path"] == "/accounts/"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "victim" not in cookie.value and "calm-heron" not in cookie.value


def test_the_pause_page_says_how_the_owner_gets_back_in(victim):
    strangers_fail("victim@example.org")

    response = attempt(Client(REMOTE_ADDR="198.51.100.5"), TEST_PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "reset your password" in page
    assert "victim@example.org" not in page


def test_the_pause_page_is_the_same_for_an_unknown_address(victim):
    strangers_fail("victim@example.org")
    strangers_fail("nobody@example.org")

    known = attempt(Client(REMOTE_ADDR="198.51.100.6"), TEST_PASSWORD)
    unknown = attempt(Client(REMOTE_ADDR="198.51.100.6"), TEST_PASSWORD, login="nobody@example.org")

    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


@pytest.mark.parametrize("login", ["victim@example.org", "calm-heron-5"])
def test_a_password_reset_lifts_the_account_limit_at_once(victim, login):
    strangers_fail(login)
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert attempt(owner, TEST_PASSWORD, login=login).status_code == 429

    owner.post("/accounts/password/reset/", {"email": victim.email})
    (message,) = mail_to(victim.email)
    form_url = owner.get(link_in(message))["Location"]
    response = owner.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    owner.post("/accounts/logout/")
    mail.outbox.clear()

    response = attempt(Client(REMOTE_ADDR="198.51.100.8"), NEW_PASSWORD, login=login)

    assert response.status_code == 302


def test_the_sign_in_page_with_a_trusted_browser_makes_few_queries(
    victim, django_assert_max_num_queries
):
    owner = owners_browser(victim)
    # 4 since issue 15: the footer's sponsor declaration, read once per site on a cold cache.
    with django_assert_max_num_queries(4):
        owner.get("/accounts/login/")


# --- the deployment check ----------------------------------------------------------


def deploy_messages():
    return [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id and message.id.startswith("portal.")
    ]


def test_deploy_check_warns_when_the_proxy_count_is_not_set(settings):
    settings.TRUSTED_PROXY_COUNT_SET = False

    (message,) = deploy_messages()

    assert isinstance(message, Warning)
    assert message.id == "portal.W001"
    assert "TRUSTED_PROXY_COUNT" in message.hint


@pytest.mark.parametrize("count", [0, 2])
def test_deploy_check_is_quiet_when_the_proxy_count_is_set(settings, count):
    settings.TRUSTED_PROXY_COUNT_SET = True
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count

    assert deploy_messages() == []


def test_deploy_check_refuses_a_negative_count(settings):
    settings.TRUSTED_PROXY_COUNT_SET = True
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = -1

    (message,) = deploy_messages()

    assert isinstance(message, Error)


def test_a_trusted_client_ip_header_replaces_the_count(settings):
    settings.TRUSTED_PROXY_COUNT_SET = False
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    assert deploy_messages() == []


def test_the_check_is_for_deployments_only(settings):
    settings.TRUSTED_PROXY_COUNT_SET = False

    assert [m for m in run_checks() if m.id and m.id.startswith("portal.")] == []
