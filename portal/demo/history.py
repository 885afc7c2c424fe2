"""Moving a demo item's review record back in time, all of it, in the order it happened."""

from datetime import timedelta

from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from core.models import ContentPage
from social.models import Notification

# How long before publication a demo item was submitted and passed editorial review.
SUBMITTED_BEFORE = timedelta(days=2, hours=3)
EDITORIAL_BEFORE = timedelta(days=1, hours=2)


def backdate_review_history(page, *, published):
    """Move a just-published demo item's whole review record back to ``published``.

    The item really went through the workflow a moment ago; every record of
    that (revisions, the workflow and its task states, the page history,
    the medical review on the page and in its live revision, the review
    notifications) moves with it, in the order it happened: submitted, passed
    editorial review a day later, medically approved and published at
    ``published``. Nothing may be dated after the publication it led to. An
    item whose workflow has no medical step (a question) keeps no medical review.
    """

    submitted = published - SUBMITTED_BEFORE
    editorial = published - EDITORIAL_BEFORE
    key = str(page.pk)
    Revision.page_revisions.filter(object_id=key).update(created_at=submitted)
    states = WorkflowState.objects.for_instance(page)
    states.update(created_at=submitted)
    finished = {}
    # The last step is the approval that published (the medical one, or a
    # question's only step); any step before it ended with the editorial review.
    steps = list(TaskState.objects.filter(workflow_state__in=states).order_by("started_at", "pk"))
    for position, task_state in enumerate(steps):
        last = position == len(steps) - 1
        finished[task_state.pk] = published if last else editorial
        TaskState.objects.filter(pk=task_state.pk).update(
            started_at=editorial if last else submitted,
            finished_at=finished[task_state.pk],
        )
    for entry in PageLogEntry.objects.filter(page_id=page.pk):
        if entry.action == "wagtail.publish":
            timestamp = published
        elif entry.action.startswith("wagtail.workflow.approve"):
            task_state_id = (entry.data or {}).get("workflow", {}).get("task_state_id")
            timestamp = finished.get(task_state_id, editorial)
        else:
            timestamp = submitted
        PageLogEntry.objects.filter(pk=entry.pk).update(timestamp=timestamp)
    ContentPage.objects.filter(pk=page.pk).update(
        first_published_at=published,
        last_published_at=published,
        latest_revision_created_at=submitted,
    )
    if ContentPage.objects.filter(pk=page.pk, medically_reviewed_at__isnull=False).exists():
        ContentPage.objects.filter(pk=page.pk).update(medically_reviewed_at=published)
        live_revision = Revision.objects.get(
            pk=ContentPage.objects.get(pk=page.pk).live_revision_id
        )
        live_revision.content["medically_reviewed_at"] = published.isoformat()
        live_revision.save(update_fields=["content"])
    notifications = Notification.objects.filter(page_id=page.pk)
    notifications.filter(verb="approved").update(created_at=editorial)
    notifications.exclude(verb="approved").update(created_at=published)
