"""Every submitted item, question, answer and comment is scanned in the background for a
medicine near an adverse event; a signal opens one case, never blocks publishing, and puts
"Possible adverse event" on the item in the reviewers' queue."""

from django.urls import reverse

import pytest

from discussion.models import PageComment
from moderation.services import review_approve
from safety.models import SafetyCase
from safety.tasks import scan_comment, scan_revision
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

SIGNAL = "Since I started Tecfidera I get terrible flushing every evening."
NEGATED = "Tecfidera has been fine for me, no side effects at all."


def submit(client, data):
    return client.post(
        reverse("authoring:write_new", args=("story",)), {**data, "action": "submit"}
    )


@pytest.fixture
def story_data(story_data):
    """The conftest's story, telling of a side effect."""
    return {**story_data, "body": f"## Treatment\n\n{SIGNAL}"}


def test_a_submitted_story_naming_a_medicine_and_an_event_opens_one_case(
    client, writer, story_data, django_capture_on_commit_callbacks
):
    client.force_login(writer)

    with django_capture_on_commit_callbacks(execute=True):
        submit(client, story_data)

    case = SafetyCase.objects.get()
    assert case.origin == SafetyCase.Origin.DETECTED
    assert case.status == SafetyCase.Status.NEW
    assert case.author == writer and case.page_id is not None and case.revision_id
    assert "dimethyl fumarate" in case.medicine.lower()
    assert "flushing" in case.event.lower()
    assert case.patient == case.reporter == "The author (Pacing Pat)"
    # The marks point at the words in the excerpt.
    marked = {case.excerpt[m["start"] : m["end"]].lower() for m in case.matches}
    assert {"tecfidera", "flushing"} <= marked
    assert case.lexicon_version
    # Running the scan again (a retry) opens nothing new.
    scan_revision.call(case.revision_id)
    assert SafetyCase.objects.count() == 1


def test_a_negated_mention_opens_no_case(
    client, writer, story_data, django_capture_on_commit_callbacks
):
    client.force_login(writer)

    with django_capture_on_commit_callbacks(execute=True):
        submit(client, {**story_data, "body": NEGATED})

    assert not SafetyCase.objects.exists()


def test_a_case_flags_the_item_for_reviewers_but_never_blocks_it(
    client, writer, editor, medic, story_data, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, story_data)
    case = SafetyCase.objects.get()
    client.force_login(editor)

    queue = client.get(reverse("kindred_review:queue")).content.decode()

    assert "Possible adverse event" in queue
    # Reviewers see the flag, not the case.
    assert case.reference not in queue
    page = case.page.specific
    review_approve(page=page, user=editor)
    review_approve(page=page, user=medic)
    page.refresh_from_db()
    assert page.live


def test_a_comment_is_scanned_once_posted(
    client, writer, blog_index, django_capture_on_commit_callbacks
):
    page = BlogPageFactory(parent=blog_index, title="Treatment diaries")
    client.force_login(writer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("discussion:post", args=[page.pk]), {"comment": SIGNAL})

    comment = PageComment.objects.get()
    case = SafetyCase.objects.get()
    assert case.comment_id == comment.pk and case.page_id == page.pk
    assert scan_comment.call(comment.pk) == "nothing"  # already has its case
    assert SafetyCase.objects.count() == 1


def test_a_scan_of_something_gone_does_nothing(portal):
    assert scan_revision.call(2**31 - 1) == "gone"
    assert scan_comment.call(2**31 - 1) == "gone"
    assert not SafetyCase.objects.exists()
