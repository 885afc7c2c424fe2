"""Reply emails to the people taking part in a thread, and the one-click mute link."""

import re
import time
from datetime import timedelta

from django.core import mail, signing
from django.test import Client
from django.urls import reverse

import pytest

from discussion.models import PageComment, ThreadMute
from discussion.notifications import MUTE_SALT, mute_token, send_reply_notifications
from discussion.services import comment_moderate
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(post_page, other, commenter):
    """A thread: ``other`` started it, ``commenter`` replied; plus a comment in another thread."""
    root = add_comment(post_page, other, "How do you manage fatigue?")
    add_comment(post_page, commenter, "Naps, mostly.", parent=root)
    bystander = with_consent(UserFactory(group="Members", display_name="Bystander Bea"))
    add_comment(post_page, bystander, "A separate thread")
    return root


def _reply(client, page, parent, text, capture):
    with capture(execute=True):
        return client.post(
            reverse("discussion:post", args=[page.pk]), {"comment": text, "parent": parent.pk}
        )


def _pause(user):
    """Move ``user``'s comments a minute into the past, as if the pace limit had passed."""
    for comment in PageComment.objects.filter(user=user):
        PageComment.objects.filter(pk=comment.pk).update(
            submit_date=comment.submit_date - timedelta(minutes=1)
        )


def _mute_url(message):
    return re.search(r"(http://\S+/comments/mute/\S+/)", message.body).group(1)


def test_a_reply_emails_the_thread_participants_but_not_the_replier(
    client, post_page, thread, trusted, other, commenter, django_capture_on_commit_callbacks
):
    client.force_login(trusted)

    response = _reply(
        client, post_page, thread, "Pacing helped me.", django_capture_on_commit_callbacks
    )

    assert response.status_code == 303
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [other.email, commenter.email]
    )
    message = mail.outbox[0]
    assert "Regular Robin replied" in message.subject
    assert post_page.title in message.subject
    assert "Pacing helped me." in message.body
    assert "/comments/" in message.body and "/link/" in message.body
    # The replier's address is never handed to the others.
    assert trusted.email not in message.body
    assert trusted.email not in str(message.message())


def test_emails_carry_one_click_unsubscribe_headers(
    client, post_page, thread, trusted, django_capture_on_commit_callbacks
):
    client.force_login(trusted)
    _reply(client, post_page, thread, "Hello", django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{_mute_url(message)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    rendered = message.message()
    assert rendered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_comment_starting_a_thread_emails_nobody(
    client, post_page, thread, trusted, django_capture_on_commit_callbacks
):
    client.force_login(trusted)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("discussion:post", args=[post_page.pk]), {"comment": "New topic"})

    assert mail.outbox == []


def test_a_held_reply_emails_nobody_until_approved(
    client, post_page, thread, other, moderator, django_capture_on_commit_callbacks
):
    newcomer = with_consent(UserFactory(group="Members", display_name="Newcomer Ned"))
    client.force_login(newcomer)

    _reply(client, post_page, thread, "Held reply", django_capture_on_commit_callbacks)
    assert mail.outbox == []

    held = PageComment.objects.get(comment="Held reply")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(moderator=moderator, comment=held, action="approve")

    assert len(mail.outbox) == 2
    assert all("Newcomer Ned replied" in message.subject for message in mail.outbox)


def test_mute_get_asks_and_changes_nothing(
    client, post_page, thread, trusted, other, django_capture_on_commit_callbacks
):
    client.force_login(trusted)
    _reply(client, post_page, thread, "Hello", django_capture_on_commit_callbacks)
    url = _mute_url(next(m for m in mail.outbox if m.to == [other.email]))

    response = Client().get(url)

    assert response.status_code == 200
    assert "Stop emails about this discussion" in response.content.decode()
    assert not ThreadMute.objects.exists()


def test_mute_post_without_session_or_csrf_mutes_that_thread_only(
    client, post_page, thread, trusted, other, django_capture_on_commit_callbacks
):
    other_thread = add_comment(post_page, other, "Another thread of Olive's")
    client.force_login(trusted)
    _reply(client, post_page, thread, "First reply", django_capture_on_commit_callbacks)
    url = _mute_url(next(m for m in mail.outbox if m.to == [other.email]))

    # What a mail client does for one-click unsubscribe: no cookies, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "no more emails about replies in this discussion" in response.content.decode()
    assert ThreadMute.objects.filter(user=other, thread=thread).exists()

    mail.outbox.clear()
    _pause(trusted)
    _reply(client, post_page, thread, "Second reply", django_capture_on_commit_callbacks)
    recipients = [message.to[0] for message in mail.outbox]
    assert other.email not in recipients  # muted
    assert len(recipients) == 1  # the other participant still hears

    # Another thread of the same member is not muted.
    mail.outbox.clear()
    _pause(trusted)
    _reply(client, post_page, other_thread, "Elsewhere", django_capture_on_commit_callbacks)
    assert [message.to[0] for message in mail.outbox] == [other.email]


def test_muting_twice_is_harmless(client, thread, other):
    url = reverse("discussion:mute", args=[mute_token(user_id=other.pk, thread_id=thread.pk)])

    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    assert ThreadMute.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJ1IjoxLCJ0IjoxfQ:1tXyZa:forgedsignatureforgedsignatureAAAA",
        signing.dumps({"u": 1, "t": 1}, salt="some-other-salt"),
        signing.dumps({"u": "1", "t": [1]}, salt=MUTE_SALT),
        "x" * 300,
    ],
    # Named: signed tokens carry the time they were made, and pytest-xdist's workers must
    # collect the same test names.
    ids=["garbage", "forged-signature", "another-salt", "wrong-types", "oversized"],
)
def test_forged_tokens_are_refused(client, thread, token):
    get = client.get(reverse("discussion:mute", args=[token]))
    post = client.post(reverse("discussion:mute", args=[token]))

    assert get.status_code == post.status_code == 400
    assert "not valid or has expired" in post.content.decode()
    assert not ThreadMute.objects.exists()


def test_expired_tokens_are_refused(client, thread, other):
    # Signed with the real key and salt, 61 days ago (the limit is 60).
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 61 * 24 * 3600)

    expired = PastSigner(salt=MUTE_SALT).sign_object(
        {"u": other.pk, "t": thread.pk}, serializer=signing.JSONSerializer
    )

    response = client.post(reverse("discussion:mute", args=[expired]))

    assert response.status_code == 400
    assert not ThreadMute.objects.exists()


def test_a_token_for_a_thread_that_is_gone_is_refused(client, other):
    url = reverse("discussion:mute", args=[mute_token(user_id=other.pk, thread_id=999999)])

    assert client.post(url).status_code == 400


def test_no_email_about_a_reply_no_longer_visible(post_page, thread, trusted):
    reply = add_comment(
        post_page, trusted, "Hidden before the task ran", parent=thread, state="hidden"
    )

    assert send_reply_notifications.call(reply.pk) == 0
    assert mail.outbox == []


def test_no_email_to_deactivated_members(
    client, post_page, thread, trusted, other, commenter, django_capture_on_commit_callbacks
):
    other.is_active = False
    other.save()
    client.force_login(trusted)

    _reply(client, post_page, thread, "Hello", django_capture_on_commit_callbacks)

    assert [message.to[0] for message in mail.outbox] == [commenter.email]


def test_reply_emails_follow_each_participants_preference_and_every_one_is_told_on_the_site(
    client, post_page, thread, trusted, other, commenter, django_capture_on_commit_callbacks
):
    from social.models import Notification, NotificationKind, NotificationPreference

    NotificationPreference.objects.create(
        user=other, kind=NotificationKind.COMMENT_REPLY, email="off"
    )
    client.force_login(trusted)

    _reply(client, post_page, thread, "Pacing helped me.", django_capture_on_commit_callbacks)

    assert [message.to[0] for message in mail.outbox] == [commenter.email]
    assert "/notifications/unsubscribe/" in mail.outbox[0].body
    told = Notification.objects.filter(kind=NotificationKind.COMMENT_REPLY, actor=trusted)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([other.pk, commenter.pk])
