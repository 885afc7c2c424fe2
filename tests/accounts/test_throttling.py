"""Failed sign-ins are throttled per client and per account, and never lock anyone out for good."""

from django.test import Client

import pytest

from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
PER_CLIENT_PER_MINUTE = 6  # "login_failed": "6/m/ip,30/h/key"
PER_ACCOUNT_PER_HOUR = 30


@pytest.fixture
def victim(portal):
    return UserFactory(email="victim@example.org")


def attempt(client, password, login="victim@example.org"):
    return client.post("/accounts/login/", {"login": login, "password": password})


def test_seventh_failure_in_a_minute_is_refused_even_with_the_right_password(victim):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(PER_CLIENT_PER_MINUTE):
        response = attempt(attacker, f"guess-{number}-wrong")
        assert response.status_code == 200, number

    response = attempt(attacker, TEST_PASSWORD)

    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    assert 'class="site-header"' in response.content.decode(), "friendly page in the site layout"
    assert "_auth_user_id" not in attacker.session


def test_throttle_per_client_covers_every_account(victim, portal):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(PER_CLIENT_PER_MINUTE):
        attempt(attacker, "wrong-password-1", login=f"someone{number}@example.org")

    assert attempt(attacker, TEST_PASSWORD).status_code == 429


def test_another_client_can_still_sign_in(victim):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(PER_CLIENT_PER_MINUTE + 3):
        attempt(attacker, f"guess-{number}-wrong")

    owner = Client(REMOTE_ADDR=ELSEWHERE)
    response = attempt(owner, TEST_PASSWORD)

    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(victim.pk)


def test_no_lock_out_once_the_minute_has_passed(victim, clock):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(PER_CLIENT_PER_MINUTE + 2):
        attempt(attacker, f"guess-{number}-wrong")
    assert attempt(attacker, TEST_PASSWORD).status_code == 429

    clock.advance(61)
    response = attempt(attacker, TEST_PASSWORD)

    assert response.status_code == 302
    assert attacker.session["_auth_user_id"] == str(victim.pk)


def test_successful_sign_ins_do_not_use_up_the_allowance(victim):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(PER_CLIENT_PER_MINUTE + 2):
        assert attempt(client, TEST_PASSWORD).status_code == 302
        client.logout()


def test_account_throttle_stops_a_distributed_guesser_then_lifts(victim, clock):
    # Many clients, one account: the per-account limit (30 an hour) holds,
    # well under the 100 failures an hour the bar allows.
    for number in range(PER_ACCOUNT_PER_HOUR):
        client = Client(REMOTE_ADDR=f"10.0.{number // 200}.{number % 200 + 1}")
        assert attempt(client, f"guess-{number}-wrong").status_code == 200

    fresh_client = Client(REMOTE_ADDR=ELSEWHERE)
    assert attempt(fresh_client, TEST_PASSWORD).status_code == 429

    clock.advance(60 * 60 + 1)
    assert attempt(fresh_client, TEST_PASSWORD).status_code == 302
