"""One press of Submit writes one revision, and a refused or failed submit writes nothing half-way.

"Submit for review" on the edit form saves the text and sends it in one
transaction; the Submit button on "My contributions" sends the draft already
saved, as it is, without copying it into another revision.
"""

from django.db import OperationalError
from django.urls import reverse

from wagtail.models import Revision, Workflow, WorkflowState

import pytest

from authoring import services
from authoring.selectors import CHANGES_REQUESTED, contribution_state
from experience_stories.models import ExperienceStoryPage
from moderation.services import review_request_changes
from tests.factories import ExperienceStoryPageFactory

pytestmark = pytest.mark.django_db

WRITE_STORY = reverse("authoring:write_new", args=("story",))


def revisions_of(page):
    return Revision.objects.filter(object_id=str(page.pk)).count()


def edit_url(page):
    return reverse("authoring:edit", args=(page.pk,))


def submit_url(page):
    return reverse("authoring:submit", args=(page.pk,))


def in_review_with_newest_revision(page):
    """The one active workflow of ``page`` is at its first step, holding its newest revision."""
    page.refresh_from_db()
    (state,) = WorkflowState.objects.active().filter(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    return state.current_task_state.revision_id == page.latest_revision_id


@pytest.fixture
def draft(writer, story_index):
    """A draft of the writer's, saved once (one revision)."""
    return ExperienceStoryPageFactory(
        parent=story_index, author=writer, publish=False, title="Pacing, a draft"
    )


def test_save_and_submit_of_a_new_item_writes_one_revision(client, writer, story_data):
    client.force_login(writer)

    response = client.post(WRITE_STORY, {**story_data, "action": "submit"})

    assert response.status_code == 302
    story = ExperienceStoryPage.objects.get()
    assert revisions_of(story) == 1
    assert in_review_with_newest_revision(story)


def test_save_and_submit_of_an_edited_draft_writes_one_revision(client, writer, draft, story_data):
    client.force_login(writer)
    before = revisions_of(draft)

    response = client.post(
        edit_url(draft), {**story_data, "title": "Pacing, finished", "action": "submit"}
    )

    assert response.status_code == 302
    assert revisions_of(draft) == before + 1
    assert in_review_with_newest_revision(draft)
    assert draft.latest_revision.content["title"] == "Pacing, finished"


def test_the_submit_button_sends_the_saved_draft_without_a_new_revision(client, writer, draft):
    client.force_login(writer)
    saved = draft.latest_revision_id

    response = client.post(submit_url(draft))

    assert response.status_code == 302
    assert revisions_of(draft) == 1
    assert in_review_with_newest_revision(draft)
    assert draft.latest_revision_id == saved


def test_resubmitting_after_changes_requested_writes_no_revision(client, writer, draft, editor):
    client.force_login(writer)
    client.post(submit_url(draft))
    review_request_changes(page=draft, user=editor, comment="Please remove the ward name.")
    assert contribution_state(draft).state == CHANGES_REQUESTED
    before = revisions_of(draft)

    response = client.post(submit_url(draft))

    assert response.status_code == 302
    assert revisions_of(draft) == before
    assert in_review_with_newest_revision(draft)
    # The old review was closed, not left beside the new one.
    assert WorkflowState.objects.filter(object_id=str(draft.pk)).count() == 2


def test_the_submit_button_over_the_daily_limit_writes_nothing(client, writer, draft, monkeypatch):
    monkeypatch.setattr(services, "NEW_MEMBER_DAILY_SUBMISSIONS", 0)
    client.force_login(writer)

    response = client.post(submit_url(draft))

    assert response.status_code == 429
    assert "tomorrow" in response.content.decode()
    assert revisions_of(draft) == 1
    assert not WorkflowState.objects.filter(object_id=str(draft.pk)).exists()


def test_save_and_submit_over_the_daily_limit_keeps_one_draft_and_says_so(
    client, writer, draft, story_data, monkeypatch
):
    monkeypatch.setattr(services, "NEW_MEMBER_DAILY_SUBMISSIONS", 0)
    client.force_login(writer)

    response = client.post(
        edit_url(draft), {**story_data, "title": "Pacing, finished", "action": "submit"}
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert "Your draft is saved" in html
    # The refusal page offers the saved draft.
    assert reverse("authoring:preview", args=(draft.pk,)) in html
    assert revisions_of(draft) == 2
    draft.refresh_from_db()
    assert draft.latest_revision.content["title"] == "Pacing, finished"
    assert not WorkflowState.objects.filter(object_id=str(draft.pk)).exists()


def test_a_submit_that_fails_half_way_leaves_neither_revision_nor_review(
    client, writer, draft, story_data, monkeypatch
):
    # The database gives up while the workflow starts, after the text was saved.
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Workflow, "start", locked)
    client.force_login(writer)

    response = client.post(
        edit_url(draft), {**story_data, "title": "Pacing, finished", "action": "submit"}
    )

    assert response.status_code == 503
    assert revisions_of(draft) == 1
    draft.refresh_from_db()
    assert draft.latest_revision.content["title"] == "Pacing, a draft"
    assert not WorkflowState.objects.filter(object_id=str(draft.pk)).exists()


def test_the_submit_press_costs_the_same_queries_however_many_items(
    client, writer, story_index, django_assert_max_num_queries
):
    client.force_login(writer)
    drafts = [
        ExperienceStoryPageFactory(parent=story_index, author=writer, publish=False)
        for _ in range(2)
    ]

    # About 50 queries (saving a copy of the draft first took about 100).
    with django_assert_max_num_queries(75) as first:
        client.post(submit_url(drafts[0]))
    for _ in range(8):
        ExperienceStoryPageFactory(parent=story_index, author=writer, publish=False)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.post(submit_url(drafts[1]))
