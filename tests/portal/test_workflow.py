"""The binding two-step review: editorial, then medical, never by the author."""

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.models import TaskState, WorkflowState

import pytest

from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from tests.factories import BlogPageFactory, ExpertArticlePageFactory, UserFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(expert_index, expert):
    page = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=page, user=expert)
    return page


def current_step(page):
    task_state = page.current_workflow_task_state
    return task_state.task.specific.stage if task_state else None


def test_submitted_article_waits_for_editorial_review(article):
    article.refresh_from_db()
    assert not article.live
    assert current_step(article) == "editorial"


def test_editorial_approval_alone_does_not_publish(article, editor):
    review_approve(page=article, user=editor)

    article.refresh_from_db()
    assert not article.live
    assert current_step(article) == "medical"


def test_medical_approval_publishes_and_records_the_reviewer(article, editor, medic):
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)

    article.refresh_from_db()
    assert article.live
    assert article.medically_reviewed_by == medic
    approval = TaskState.objects.get(
        workflow_state__object_id=str(article.pk), task__reviewtask__stage="medical"
    )
    assert article.medically_reviewed_at == approval.finished_at
    # The record is part of the published revision, so history shows it too.
    assert article.live_revision.content["medically_reviewed_by"] == medic.pk


def test_medically_reviewed_line_is_shown_on_the_article(client, article, editor, medic):
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)

    response = client.get(article.url)

    assert response.status_code == 200
    assert "Medically reviewed by Dr Medical Reviewer" in response.content.decode()


def test_medical_reviewer_cannot_skip_the_editorial_step(article, medic):
    with pytest.raises(PermissionDenied):
        review_approve(page=article, user=medic)
    article.refresh_from_db()
    assert not article.live


def test_editor_cannot_approve_their_own_page(blog_index, portal):
    author = UserFactory(group="Editors")
    page = BlogPageFactory(parent=blog_index, author=author, publish=False)
    page_submit_for_review(page=page, user=author)

    task = page.current_workflow_task
    assert task.get_actions(page, author) == []
    assert not task.get_task_states_user_can_moderate(author).exists()
    with pytest.raises(PermissionDenied):
        review_approve(page=page, user=author)
    with pytest.raises(PermissionDenied):
        task.on_action(page.current_workflow_task_state, author, "approve")


def test_superuser_cannot_approve_their_own_page_either(blog_index, superuser):
    page = BlogPageFactory(parent=blog_index, author=superuser, publish=False)
    page_submit_for_review(page=page, user=superuser)

    with pytest.raises(PermissionDenied):
        review_approve(page=page, user=superuser)


def test_own_page_cannot_be_approved_through_the_admin(client, blog_index, editor, portal):
    page = BlogPageFactory(parent=blog_index, author=editor, publish=False)
    page_submit_for_review(page=page, user=editor)
    task_state = page.current_workflow_task_state
    client.force_login(editor)

    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
    )

    # Wagtail answers a refused admin action by redirecting to the dashboard.
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_reviewer_approves_through_the_admin(client, article, editor):
    task_state = article.current_workflow_task_state
    client.login(username=editor.username, password=TEST_PASSWORD)

    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk)),
        {"comment": "Clear and kind."},
    )

    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert current_step(article) == "medical"


def test_member_of_another_group_gets_no_review_actions(article, member, expert):
    task = article.current_workflow_task
    assert task.get_actions(article, member) == []
    assert task.get_actions(article, expert) == []


def test_changes_requested_returns_page_to_author_with_comment(client, article, editor, expert):
    mail.outbox.clear()
    review_request_changes(page=article, user=editor, comment="Please cite the trial.")

    state = article.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Please cite the trial."
    article.refresh_from_db()
    assert not article.live
    # The author is told by email, comment included...
    to_author = [message for message in mail.outbox if expert.email in message.to]
    assert to_author, "the author was not emailed"
    assert "Please cite the trial." in to_author[0].body
    # ...and sees it on the site, where they write (experts have no admin).
    client.force_login(expert)
    response = client.get(reverse("authoring:contributions"))
    assert response.status_code == 200
    assert "Please cite the trial." in response.content.decode()


def test_resubmission_after_changes_starts_review_again(article, editor, medic, expert):
    review_approve(page=article, user=editor)
    review_request_changes(page=article, user=medic, comment="Add a reference.")

    article.summary = "Now with a reference."
    page_submit_for_review(page=article, user=expert)

    assert current_step(article) == "editorial"
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)
    article.refresh_from_db()
    assert article.live
    assert article.summary == "Now with a reference."


def test_edit_after_editorial_approval_needs_editorial_approval_again(article, editor, medic):
    review_approve(page=article, user=editor)
    # The medical reviewer corrects a sentence while the page waits for them.
    article.summary = "Corrected by the medical reviewer."
    article.save_revision(user=medic)

    review_approve(page=article, user=medic)

    article.refresh_from_db()
    assert not article.live, "an edit after approval must not publish without re-approval"
    assert current_step(article) == "editorial"
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)
    article.refresh_from_db()
    assert article.live
    assert article.summary == "Corrected by the medical reviewer."


def test_published_page_edit_goes_through_review_again(article, editor, medic, expert):
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)
    article.refresh_from_db()
    live_summary = article.summary

    article.summary = "A later edit."
    page_submit_for_review(page=article, user=expert)

    article.refresh_from_db()
    assert article.summary == live_summary, "the live version must not change before review"
    assert article.has_unpublished_changes
    assert current_step(article) == "editorial"


def test_emails_go_to_the_next_reviewers_and_the_author(expert_index, expert, editor, medic):
    mail.outbox.clear()
    page = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=page, user=expert)
    assert any(editor.email in message.to for message in mail.outbox)
    assert not any(medic.email in message.to for message in mail.outbox)

    mail.outbox.clear()
    review_approve(page=page, user=editor)
    assert any(medic.email in message.to for message in mail.outbox)

    mail.outbox.clear()
    review_approve(page=page, user=medic)
    assert any(expert.email in message.to for message in mail.outbox)


def test_reviewer_queue_on_dashboard(client, article, editor, medic):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert article.title in response.content.decode()

    # Not yet the medical reviewer's turn.
    client.force_login(medic)
    assert article.title not in client.get(reverse("wagtailadmin_home")).content.decode()

    review_approve(page=article, user=editor)
    assert article.title in client.get(reverse("wagtailadmin_home")).content.decode()
