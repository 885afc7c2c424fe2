"""Step 4: blog posts and stories published through the workflow before now get their review.

They passed the same medical review step as expert articles, but only expert
articles recorded it. The record is read back from the workflow: the approved
medical task on the live revision. Items published without one stay empty and
say so on the page.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    ContentPage = apps.get_model("portal", "ContentPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    pages = ContentPage.objects.filter(
        live=True, live_revision__isnull=False, medically_reviewed_at__isnull=True
    )
    for page in pages.only("pk", "live_revision"):
        approval = (
            TaskState.objects.filter(
                revision_id=page.live_revision_id,
                status="approved",
                task__reviewtask__stage="medical",
            )
            .order_by("-finished_at")
            .first()
        )
        if approval is None or approval.finished_at is None:
            continue
        ContentPage.objects.filter(pk=page.pk).update(
            medically_reviewed_by_id=approval.finished_by_id,
            medically_reviewed_at=approval.finished_at,
        )
        # The revision carries the record too, as publish_reviewed writes it.
        revision = Revision.objects.get(pk=page.live_revision_id)
        revision.content["medically_reviewed_by"] = approval.finished_by_id
        revision.content["medically_reviewed_at"] = approval.finished_at.isoformat()
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_contentpage_medical_review"),
        ("blogs", "0003_move_medical_review_to_contentpage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
