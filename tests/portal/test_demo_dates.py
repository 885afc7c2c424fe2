"""The demo's review record is backdated with its items: nothing is dated after what it led to."""

import io

from django.core.management import call_command

from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

import pytest

from core.models import ContentPage
from social.models import Notification

pytestmark = pytest.mark.django_db


def test_seeded_reviews_come_before_the_publications_they_precede(db):
    call_command("seed_demo", stdout=io.StringIO())
    published = list(ContentPage.objects.live().exclude(slug__startswith="synthetic-"))
    assert len(published) >= 15

    for page in published:
        name = page.title
        assert page.medically_reviewed_at is not None, f"{name}: went through the workflow"
        assert page.medically_reviewed_at <= page.first_published_at, name
        assert page.first_published_at <= page.last_published_at, name
        # The live revision holds the same record (it is what history shows).
        live = page.live_revision
        assert live.content["medically_reviewed_at"] == page.medically_reviewed_at.isoformat()
        assert live.created_at <= page.medically_reviewed_at, name

        revisions = Revision.page_revisions.filter(object_id=str(page.pk))
        assert all(r.created_at <= page.first_published_at for r in revisions), name
        states = WorkflowState.objects.for_instance(page)
        assert all(state.created_at <= page.first_published_at for state in states), name
        steps = list(
            TaskState.objects.filter(workflow_state__in=states)
            .select_related("task__reviewtask")
            .order_by("started_at")
        )
        assert [step.task.reviewtask.stage for step in steps] == ["editorial", "medical"], name
        editorial, medical = steps
        assert editorial.started_at <= editorial.finished_at <= medical.started_at, name
        assert medical.finished_at == page.medically_reviewed_at, name
        for entry in PageLogEntry.objects.filter(page_id=page.pk):
            assert entry.timestamp <= page.last_published_at, f"{name}: {entry.action}"
        for notification in Notification.objects.filter(page_id=page.pk):
            assert notification.created_at <= page.last_published_at, name
