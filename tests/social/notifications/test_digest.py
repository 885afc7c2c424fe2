"""The daily digest: one email per member listing what waits, once, and only what may be shown."""

import re
from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from social.models import EmailDelivery, Notification, NotificationKind
from social.notifications.services import _deliver
from social.notifications.tasks import send_daily_digests
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory

from .conftest import prefer

pytestmark = pytest.mark.django_db

FOLLOWED = NotificationKind.FOLLOWED_ITEM


def told(recipient, page, kind=FOLLOWED, actor=None):
    """Set-up: a notification as the services store it (whom they pick is tested elsewhere)."""
    ((notification, _delivery),) = _deliver(
        recipient_ids=[recipient.pk], kind=kind, page=page, actor=actor, email=False
    )
    return notification


@pytest.fixture
def pages(blog_index, author):
    return [
        BlogPageFactory(parent=blog_index, author=author, title=f"Digest item {n}")
        for n in range(1, 4)
    ]


def test_three_pending_notifications_make_one_email_with_three_items(reader, pages, author):
    for page in pages:
        told(reader, page, actor=author)

    assert send_daily_digests.call() == 1

    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert "3 new notifications" in message.subject
    for page in pages:
        assert f"“{page.title}”" in message.body
        assert page.url in message.body
    assert message.body.count("Author Ada") == 3
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_running_twice_sends_nothing_the_second_time(reader, pages):
    told(reader, pages[0])

    assert send_daily_digests.call() == 1
    assert send_daily_digests.call() == 0
    assert len(mail.outbox) == 1


def test_a_member_with_nothing_pending_gets_nothing(reader, member, pages):
    told(reader, pages[0])

    send_daily_digests.call()

    assert [message.to for message in mail.outbox] == [[reader.email]]


def test_mixed_preferences_only_the_daily_kinds_are_in_the_digest(reader, pages, author):
    prefer(reader, NotificationKind.NEW_FOLLOWER, EmailDelivery.OFF)
    prefer(reader, NotificationKind.COMMENT_REPLY, EmailDelivery.DAILY)
    told(reader, pages[0])  # followed item: daily by default
    told(reader, None, kind=NotificationKind.NEW_FOLLOWER, actor=author)  # off
    reply = told(reader, pages[1], kind=NotificationKind.COMMENT_REPLY, actor=author)
    reply.comment_id = None  # a reply no longer visible is dropped
    reply.save()
    other = UserFactory(group="Members")
    prefer(other, FOLLOWED, EmailDelivery.IMMEDIATE)
    told(other, pages[2])  # immediate: not the digest's business

    assert send_daily_digests.call() == 1

    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert pages[0].title in message.body
    assert "started following you" not in message.body
    assert pages[1].title not in message.body
    assert "1 new notification" in message.subject


def test_items_unpublished_since_are_left_out_and_not_sent_later(reader, pages):
    told(reader, pages[0])
    told(reader, pages[1])
    pages[1].unpublish()

    send_daily_digests.call()

    (message,) = mail.outbox
    assert pages[0].title in message.body
    assert pages[1].title not in message.body
    # Published again tomorrow, it does not come back in a later digest.
    pages[1].save_revision().publish()
    mail.outbox.clear()
    assert send_daily_digests.call() == 0


def test_nothing_readable_means_no_email(reader, pages):
    told(reader, pages[0])
    pages[0].unpublish()

    assert send_daily_digests.call() == 0
    assert mail.outbox == []


def test_anonymous_items_never_name_their_author(story_index, reader, author):
    story = ExperienceStoryPageFactory(
        parent=story_index, author=author, is_anonymous=True, title="My first relapse"
    )
    # Even if a notification had recorded the author (say the item was made
    # anonymous after publication), the digest renders from the page as it is.
    told(reader, story, actor=author)

    send_daily_digests.call()

    (message,) = mail.outbox
    assert "My first relapse" in message.body
    assert "Author Ada" not in message.body
    assert author.email not in message.message().as_string()


def test_old_notifications_beyond_the_window_are_not_sent(reader, pages):
    notification = told(reader, pages[0])
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )

    assert send_daily_digests.call() == 0


def test_digest_unsubscribe_links_name_each_kind_and_the_digest(reader, pages, author):
    prefer(reader, NotificationKind.NEW_FOLLOWER, EmailDelivery.DAILY)
    told(reader, pages[0])
    told(reader, None, kind=NotificationKind.NEW_FOLLOWER, actor=author)

    send_daily_digests.call()

    (message,) = mail.outbox
    links = re.findall(r"http://\S+/notifications/unsubscribe/\S+/", message.body)
    assert len(set(links)) == 3  # one per kind present, one for the whole digest
    assert message.extra_headers["List-Unsubscribe"] == f"<{links[-1]}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert all(link.startswith(settings.KINDRED_BASE_URL) for link in links)


def test_the_command_queues_the_digest_or_sends_it_now(reader, pages):
    told(reader, pages[0])
    out = StringIO()

    # Test settings run the "background" backend at once, so queueing sends too.
    call_command("send_digests", stdout=out)
    assert "Queued" in out.getvalue()
    assert len(mail.outbox) == 1

    told(reader, pages[1])
    call_command("send_digests", "--now", stdout=out)
    assert "Sent 1 digest email(s)." in out.getvalue()
    assert len(mail.outbox) == 2
