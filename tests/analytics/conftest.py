"""Rows of review history and community activity, made directly with known times."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.models import Page, TaskState, Workflow, WorkflowState

import pytest

from moderation.models import ReviewTask
from portal.setup import WORKFLOW_NAME
from tests.factories import BlogPageFactory

EDITORIAL = ReviewTask.Stage.EDITORIAL
MEDICAL = ReviewTask.Stage.MEDICAL


def review_step(
    *, page, stage, started, finished=None, status=None, by=None, comment="", workflow_status=None
):
    """A review step of ``page`` at ``stage`` that started at ``started`` (and finished)."""
    status = status or (TaskState.STATUS_APPROVED if finished else TaskState.STATUS_IN_PROGRESS)
    workflow_state = WorkflowState.objects.create(
        content_type=ContentType.objects.get_for_model(page),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        workflow=Workflow.objects.get(name=WORKFLOW_NAME),
        status=workflow_status
        or (
            WorkflowState.STATUS_IN_PROGRESS
            if status == TaskState.STATUS_IN_PROGRESS
            else WorkflowState.STATUS_APPROVED
        ),
        requested_by=page.author,
    )
    state = TaskState.objects.create(
        workflow_state=workflow_state,
        revision=page.latest_revision or page.save_revision(user=page.author),
        task=ReviewTask.objects.get(stage=stage),
        status=status,
        finished_at=finished,
        finished_by=by,
        comment=comment,
        content_type=ContentType.objects.get_for_model(ReviewTask),
    )
    TaskState.objects.filter(pk=state.pk).update(started_at=started)
    return state


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def hours_ago(now):
    return lambda hours: now - timedelta(hours=hours)


@pytest.fixture
def item(blog_index, member):
    """A draft by ``member`` (each call another one)."""
    counter = iter(range(10_000))
    return lambda title=None: BlogPageFactory(
        parent=blog_index,
        author=member,
        publish=False,
        title=title or f"Draft in review {next(counter)}",
    )
