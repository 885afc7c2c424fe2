"""The demo's review record is backdated with its items: nothing is dated after what it led to."""

import io

from django.core.management import call_command

from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

import pytest

from core.models import ContentPage
from questions.models import AnswerPage, QuestionPage
from social.models import Notification, NotificationKind

# The review steps each kind of item passes (issue 13: questions one editorial
# step, answers one medical step); every other item both.
STEPS = {QuestionPage: ["editorial"], AnswerPage: ["medical"]}
# What happens to a question after its publication, and is dated then: an
# answer accepted, the asker told of an answer.
LATER_ACTIONS = {"kindred.answer.accept"}
LATER_NOTICES = {NotificationKind.QUESTION_ANSWERED}

pytestmark = pytest.mark.django_db


def test_seeded_reviews_come_before_the_publications_they_precede(db):
    call_command("seed_demo", stdout=io.StringIO())
    published = list(ContentPage.objects.live().exclude(slug__startswith="synthetic-"))
    assert len(published) >= 15

    for page in published:
        name = page.title
        steps_expected = STEPS.get(page.specific_class, ["editorial", "medical"])
        reviewed = page.medically_reviewed_at
        if "medical" in steps_expected:
            assert reviewed is not None, f"{name}: went through the workflow"
            assert reviewed <= page.first_published_at, name
        else:
            assert reviewed is None, f"{name}: has no medical step"
        assert page.first_published_at <= page.last_published_at, name
        # The live revision holds the same record (it is what history shows).
        live = page.live_revision
        assert live.content["medically_reviewed_at"] == (reviewed and reviewed.isoformat())
        assert live.created_at <= page.first_published_at, name

        revisions = Revision.page_revisions.filter(object_id=str(page.pk))
        assert all(r.created_at <= page.first_published_at for r in revisions), name
        states = WorkflowState.objects.for_instance(page)
        assert all(state.created_at <= page.first_published_at for state in states), name
        steps = list(
            TaskState.objects.filter(workflow_state__in=states)
            .select_related("task__reviewtask")
            .order_by("started_at")
        )
        assert [step.task.reviewtask.stage for step in steps] == steps_expected, name
        for earlier, later in zip(steps, steps[1:], strict=False):
            assert earlier.started_at <= earlier.finished_at <= later.started_at, name
        assert steps[-1].finished_at == page.first_published_at, name
        for entry in PageLogEntry.objects.filter(page_id=page.pk).exclude(action__in=LATER_ACTIONS):
            assert entry.timestamp <= page.last_published_at, f"{name}: {entry.action}"
        for notification in Notification.objects.filter(page_id=page.pk).exclude(
            kind__in=LATER_NOTICES
        ):
            assert notification.created_at <= page.last_published_at, name
