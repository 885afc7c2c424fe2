"""Existing duplicate unread notifications: the newest stays unread, the others are marked
read, and only then does the database hold one unread per reader, item and kind."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from social.models import Notification, NotificationKind
from tests.factories import BlogPageFactory, UserFactory
from tests.migrations import migrate

BEFORE = [("social", "0002_follows_blocks_notifications")]
AFTER = [("social", "0004_notification_one_unread_per_item")]
REVIEW = NotificationKind.REVIEW_DECISION


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_restored")
def test_older_duplicates_are_marked_read_before_the_constraint(blog_index):
    reader, other = UserFactory(), UserFactory()
    page, second_page = BlogPageFactory(parent=blog_index), BlogPageFactory(parent=blog_index)
    migrate(BEFORE)
    now = timezone.now()

    def made(recipient, verb, hours_ago, *, on=page, kind=REVIEW, read=False):
        row = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            page=on,
            verb=verb,
            read_at=now if read else None,
        )
        Notification.objects.filter(pk=row.pk).update(created_at=now - timedelta(hours=hours_ago))
        return row.pk

    piled = [made(reader, "approved", hours) for hours in (30, 20, 10)]
    newest = made(reader, "published", 1)
    already_read = made(reader, "approved", 40, read=True)
    alone = [
        made(other, "published", 5),  # another reader
        made(reader, "approved", 5, on=second_page),  # another item
        made(reader, "", 5, kind=NotificationKind.FOLLOWED_ITEM),  # another kind
    ]

    migrate(AFTER)

    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))
    assert unread == {newest, *alone}
    assert Notification.objects.filter(pk__in=piled, read_at__isnull=False).count() == 3
    assert Notification.objects.get(pk=already_read).read_at is not None
    # And from now on the database refuses a second unread one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=reader, kind=REVIEW, page=page)
