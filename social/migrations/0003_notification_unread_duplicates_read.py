"""Before one unread notification per reader, item and kind is enforced (0004): of the
unread notifications that repeat a reader, item and kind, keep the newest unread and
mark the others read.

They are superseded by the newest (which says what happened last), so no digest
sends them: a digest only lists unread notifications.
"""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone


def mark_older_duplicates_read(apps, schema_editor):
    Notification = apps.get_model("social", "Notification")
    unread = Notification.objects.filter(read_at__isnull=True, page__isnull=False)
    repeated = (
        unread.order_by()
        .values("recipient_id", "page_id", "kind")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
    )
    now = timezone.now()
    for group in repeated.iterator():
        ids = list(
            unread.filter(
                recipient_id=group["recipient_id"], page_id=group["page_id"], kind=group["kind"]
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids[1:]).update(read_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0002_follows_blocks_notifications"),
    ]

    operations = [
        # Nothing to undo: marking read loses no notification.
        migrations.RunPython(mark_older_duplicates_read, migrations.RunPython.noop),
    ]
