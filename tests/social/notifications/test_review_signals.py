"""Review decisions reach their author from Wagtail's own workflow signals (issue 11).

The review step (``moderation.models.ReviewTask``) no longer announces anything:
``social.notifications.signals`` listens to ``task_approved``, ``task_rejected``
and ``workflow_approved``. So a decision made through Wagtail's API rather than
the step's ``on_action`` still reaches the author, once per decision.
"""

from django.core import mail

from wagtail.models import TaskState

import pytest

from moderation.services import page_submit_for_review
from social.models import Notification, NotificationKind
from tests.factories import ExpertArticlePageFactory

pytestmark = pytest.mark.django_db


def _current_task_state(page):
    page.refresh_from_db()
    return page.current_workflow_task_state.specific


def _review_emails(user):
    return [m for m in mail.outbox if m.to == [user.email] and "Kindred" in m.subject]


def _notices(user):
    return list(
        Notification.objects.filter(recipient=user, kind=NotificationKind.REVIEW_DECISION)
        .order_by("pk")
        .values_list("verb", flat=True)
    )


@pytest.fixture
def article(expert_index, expert):
    page = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=page, user=expert)
    mail.outbox.clear()
    return page


def test_a_step_approved_through_wagtails_api_is_announced(article, expert, editor):
    # TaskState.approve is what Wagtail's own views end in; ReviewTask.on_action is not called.
    _current_task_state(article).approve(user=editor)

    assert _notices(expert) == ["approved"]
    (message,) = _review_emails(expert)
    assert message.subject == f"[Kindred] Approved at editorial review: {article.title}"


def test_changes_requested_through_wagtails_api_are_announced(article, expert, editor):
    _current_task_state(article).reject(user=editor, comment="Cite the trial.")

    assert _notices(expert) == ["changes_requested"]
    (message,) = _review_emails(expert)
    assert "Cite the trial." in message.body


def test_the_approval_that_publishes_is_announced_once_as_published(article, expert, editor, medic):
    _current_task_state(article).approve(user=editor)
    mail.outbox.clear()

    # workflow_approved and the last step's task_approved both fire: one announcement.
    _current_task_state(article).approve(user=medic, comment="Clear and accurate.")

    article.refresh_from_db()
    assert article.live
    assert _notices(expert) == ["published"]
    (message,) = _review_emails(expert)
    assert message.subject == f"[Kindred] Published: {article.title}"
    assert "Clear and accurate." in message.body


def test_a_task_state_that_is_gone_by_the_time_the_worker_runs_sends_nothing(article, expert):
    from social.notifications.tasks import send_review_decision_email

    missing = (TaskState.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    send_review_decision_email.call(missing, "approve")

    assert _notices(expert) == []
    assert mail.outbox == []
