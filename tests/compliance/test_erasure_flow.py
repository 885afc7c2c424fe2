"""Delete my account: the page, the password, the choice, the 7-day wait, signing in cancels it."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from allauth.usersessions.models import UserSession

from compliance.models import ErasureRequest
from core import roles
from tests.factories import UserFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/me/account/delete/"
ACCOUNT = "/me/account/"
LOGIN = "/accounts/login/"
XSS = '<script>alert("x")</script>'


def signed_in(user, ip="192.0.2.10"):
    browser = Client(REMOTE_ADDR=ip)
    browser.force_login(user)
    UserSession.objects.create(
        user=user, session_key=browser.session.session_key, ip=ip, user_agent="Firefox/128.0"
    )
    return browser


@pytest.fixture
def joined(portal):
    return UserFactory(group=roles.MEMBERS, display_name="Rowan Ash")


def test_the_account_page_links_to_the_erasure_page(joined):
    browser = signed_in(joined)
    response = browser.get(ACCOUNT)
    assert response.status_code == 200
    assert 'href="/me/account/delete/"' in response.content.decode()


def test_the_page_says_what_will_happen_and_asks_for_password_and_choice(
    joined, django_assert_max_num_queries
):
    browser = signed_in(joined)
    with django_assert_max_num_queries(12):
        response = browser.get(PAGE)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    text = response.content.decode()
    for words in (
        "What is removed",
        "What is kept, without your name",
        "We wait 7 days",
        "If you sign in during those 7 days, nothing is deleted",
        "receipt",
        'name="password"',
        'value="remove"',
        'value="keep"',
        "Former member",
    ):
        assert words in text
    assert not ErasureRequest.objects.exists()


def test_the_page_is_for_members_only(portal, client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_right_password_requests_erasure_in_7_days_signs_out_everywhere_and_emails(
    joined, mailoutbox
):
    browser = signed_in(joined)
    other = signed_in(joined, ip="192.0.2.20")
    before = timezone.now()

    response = browser.post(PAGE, {"password": TEST_PASSWORD, "published_items": "keep"})

    assert response.status_code == 200
    assert "Your account will be deleted" in response.content.decode()
    request = ErasureRequest.objects.get()
    assert request.user == joined
    assert request.status == "pending"
    assert request.published_items == "keep"
    assert before + timedelta(days=7) <= request.due_at <= timezone.now() + timedelta(days=7)
    # Signed out here and in the other browser: no session of the member is left.
    assert not UserSession.objects.filter(user=joined).exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(joined.pk)
    ]
    for client in (browser, other):
        assert client.get(ACCOUNT).status_code == 302
    (message,) = mailoutbox
    assert message.to == [joined.email]
    assert "Sign in before then and nothing is deleted" in message.body
    assert "stay on the site without your name" in message.body
    entry = ModelLogEntry.objects.get(action="kindred.erasure.request")
    assert entry.user_id == joined.pk
    assert "Rowan" not in entry.label


def test_a_wrong_password_is_refused_and_nothing_is_created(joined, mailoutbox):
    browser = signed_in(joined)
    response = browser.post(PAGE, {"password": "not it", "published_items": "remove"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert not ErasureRequest.objects.exists()
    assert mailoutbox == []
    assert browser.get(ACCOUNT).status_code == 200


def test_password_tries_are_throttled_per_account(joined, mailoutbox):
    """Five tries an hour: the sixth, even with the right password, changes nothing (429)."""
    browser = signed_in(joined)
    for _ in range(5):
        wrong = browser.post(PAGE, {"password": "guess", "published_items": "remove"})
        assert wrong.status_code == 400
    right = browser.post(PAGE, {"password": TEST_PASSWORD, "published_items": "remove"})
    assert right.status_code == 429
    assert "Too many tries with the password" in right.content.decode()
    assert not ErasureRequest.objects.exists()
    assert mailoutbox == []
    # Another member's allowance is their own.
    other = signed_in(UserFactory(group=roles.MEMBERS))
    response = other.post(PAGE, {"password": TEST_PASSWORD, "published_items": "remove"})
    assert response.status_code == 200
    assert ErasureRequest.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"password": TEST_PASSWORD},
        {"published_items": "remove"},
        {"password": TEST_PASSWORD, "published_items": "everything"},
        {"password": TEST_PASSWORD, "published_items": XSS},
        {"password": XSS, "published_items": "remove"},
        {"password": "x" * 5000, "published_items": "remove"},
        {"password": [TEST_PASSWORD, "b"], "published_items": ["keep", XSS]},
    ],
)
def test_hostile_input_gets_a_clear_answer_never_an_erasure(joined, data):
    browser = signed_in(joined)
    response = browser.post(PAGE, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Please check the fields marked below. Nothing has been changed." in text
    assert XSS not in text
    assert not ErasureRequest.objects.exists()


def test_get_changes_nothing_and_other_methods_are_refused(joined):
    browser = signed_in(joined)
    browser.get(PAGE, {"password": TEST_PASSWORD, "published_items": "remove"})
    assert browser.put(PAGE).status_code == 405
    assert browser.delete(PAGE).status_code == 405
    assert not ErasureRequest.objects.exists()


def test_a_post_without_csrf_is_refused(joined):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(joined)
    response = browser.post(PAGE, {"password": TEST_PASSWORD, "published_items": "remove"})
    assert response.status_code == 403
    assert not ErasureRequest.objects.exists()


def test_signing_in_during_the_wait_cancels_it(joined):
    browser = signed_in(joined)
    browser.post(PAGE, {"password": TEST_PASSWORD, "published_items": "remove"})
    request = ErasureRequest.objects.get()

    again = Client()
    response = again.post(LOGIN, {"login": joined.email, "password": TEST_PASSWORD}, follow=True)

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert request.cancelled_at is not None
    assert "your account will not be deleted" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="kindred.erasure.cancel").count() == 1
    # A new request can be made after the cancellation.
    response = again.post(PAGE, {"password": TEST_PASSWORD, "published_items": "remove"})
    assert response.status_code == 200
    assert ErasureRequest.objects.filter(status="pending").count() == 1


def test_signing_in_without_a_request_changes_nothing(joined):
    response = Client().post(LOGIN, {"login": joined.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not ModelLogEntry.objects.filter(action="kindred.erasure.cancel").exists()
