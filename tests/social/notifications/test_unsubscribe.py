"""One-click unsubscribe: GET asks, POST (no session, no CSRF) switches that kind off."""

import re
import time
from urllib.parse import quote

from django.core import mail, signing
from django.test import Client
from django.urls import reverse

import pytest

from social.models import EmailDelivery, NotificationKind, NotificationPreference
from social.notifications.emails import UNSUBSCRIBE_SALT, unsubscribe_token
from social.notifications.selectors import email_preference, email_preferences
from social.notifications.services import notify_new_follower
from tests.factories import UserFactory

from .conftest import prefer

pytestmark = pytest.mark.django_db

FOLLOWER = NotificationKind.NEW_FOLLOWER


@pytest.fixture
def email_link(author, django_capture_on_commit_callbacks):
    """The unsubscribe link from a real "new follower" email to ``author``."""
    prefer(author, FOLLOWER, EmailDelivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_follower(follower=UserFactory(display_name="Fan Fay"), followee=author)
    (message,) = mail.outbox
    link = re.search(r"(http://\S+/notifications/unsubscribe/\S+/)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Fan Fay started following you." in message.body
    return link.removeprefix("http://127.0.0.1:8000").removeprefix("http://testserver")


def test_get_asks_and_changes_nothing(email_link, author):
    response = Client().get(email_link)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop emails about someone follows me?" in html
    assert '<form method="post"' in html
    assert email_preference(user=author, kind=FOLLOWER) == EmailDelivery.IMMEDIATE
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_post_without_session_or_csrf_switches_that_kind_off_only(email_link, author):
    # What a mail client does for one-click unsubscribe: no cookies, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(email_link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "you will get no more emails about someone follows me" in response.content.decode()
    assert {kind: email for kind, _label, email in email_preferences(user=author)} == {
        "new_follower": "off",
        "followed_item": "daily",
        "comment_reply": "immediate",
        "review_decision": "immediate",
        "community_invitation": "immediate",
        "community_decision": "immediate",
        "question_for_expert": "immediate",
        "question_answered": "immediate",
    }
    # And it holds: the next follower is on the site only.
    mail.outbox.clear()
    notify_new_follower(follower=UserFactory(), followee=author)
    assert mail.outbox == []


def test_twice_is_harmless(email_link, author):
    client = Client(enforce_csrf_checks=True)

    assert client.post(email_link).status_code == 200
    assert client.post(email_link).status_code == 200
    assert NotificationPreference.objects.filter(user=author).count() == 1


def test_the_digest_link_switches_off_every_kind_sent_in_the_digest(author):
    prefer(author, NotificationKind.COMMENT_REPLY, EmailDelivery.DAILY)
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=author.pk, kind="digest")]
    )

    assert "the daily digest" in Client().get(url).content.decode()
    Client(enforce_csrf_checks=True).post(url)

    assert {kind: email for kind, _label, email in email_preferences(user=author)} == {
        "new_follower": "off",
        "followed_item": "off",
        "comment_reply": "off",
        "review_decision": "immediate",
        "community_invitation": "immediate",
        "community_decision": "immediate",
        "question_for_expert": "immediate",
        "question_answered": "immediate",
    }


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJ1IjoxLCJrIjoibmV3X2ZvbGxvd2VyIn0:1tXyZa:forgedsignatureforgedsignatureAAAA",
        signing.dumps({"u": 1, "k": "new_follower"}, salt="discussion.thread-mute"),
        signing.dumps({"u": "1", "k": "new_follower"}, salt=UNSUBSCRIBE_SALT),
        signing.dumps({"u": 1, "k": "everything"}, salt=UNSUBSCRIBE_SALT),
        signing.dumps([1, "new_follower"], salt=UNSUBSCRIBE_SALT),
        "x" * 300,
        "<img src=x onerror=alert(1)>",
    ],
    # Named: signed tokens carry the time they were made, and pytest-xdist's workers must
    # collect the same test names.
    ids=[
        "garbage",
        "forged-signature",
        "another-salt",
        "user-as-text",
        "unknown-kind",
        "a-list",
        "oversized",
        "markup",
    ],
)
def test_forged_tokens_are_refused_clearly(author, token):
    url = f"/notifications/unsubscribe/{quote(token, safe='')}/"

    get = Client().get(url)
    post = Client(enforce_csrf_checks=True).post(url)

    assert get.status_code == post.status_code == 400
    assert "not valid or has expired" in post.content.decode()
    assert "<img src=x" not in post.content.decode()
    assert not NotificationPreference.objects.exists()


def test_expired_tokens_are_refused(author):
    # Signed with the real key and salt, 61 days ago (the limit is 60).
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 61 * 24 * 3600)

    expired = PastSigner(salt=UNSUBSCRIBE_SALT).sign_object(
        {"u": author.pk, "k": "new_follower"}, serializer=signing.JSONSerializer
    )

    response = Client().post(reverse("notifications:unsubscribe", args=[expired]))

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_token_for_an_account_that_is_gone_is_refused(author):
    token = unsubscribe_token(user_id=author.pk, kind="new_follower")
    author.is_active = False
    author.save()

    response = Client().post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_other_methods_are_refused(author):
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=author.pk, kind="digest")]
    )

    assert Client().put(url).status_code == 405
    assert Client().delete(url).status_code == 405
