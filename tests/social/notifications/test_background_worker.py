"""Notification emails go through the database queue and the real worker, as in production."""

from django.core import mail

import pytest
from django_tasks_db.models import DBTaskResult

from moderation.services import page_submit_for_review, review_approve
from social.models import EmailDelivery, Notification, NotificationKind
from social.notifications.services import notify_new_follower
from tests.concurrency import DATABASE_BACKGROUND, run_background_worker
from tests.factories import BlogPageFactory, ExpertArticlePageFactory, UserFactory

from .conftest import follow, prefer

# The worker takes its own transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@DATABASE_BACKGROUND
def test_an_immediate_email_waits_for_the_worker_then_is_sent(portal):
    followee = prefer(
        UserFactory(group="Members", display_name="Followed Flo"),
        NotificationKind.NEW_FOLLOWER,
        EmailDelivery.IMMEDIATE,
    )
    follower = UserFactory(group="Members", display_name="Fan Fay")

    # Outside a test transaction, on_commit runs at once: the task is queued.
    notify_new_follower(follower=follower, followee=followee)

    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("send_notification_email")

    run_background_worker()

    (message,) = mail.outbox
    assert message.to == [followee.email]
    assert "Fan Fay started following you." in message.body
    assert follower.email not in message.message().as_string()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert Notification.objects.get().emailed_at is not None


@DATABASE_BACKGROUND
def test_a_first_publication_is_announced_by_the_worker(blog_index):
    author = UserFactory(group="Members", display_name="Author Ada")
    reader = prefer(
        UserFactory(group="Members"), NotificationKind.FOLLOWED_ITEM, EmailDelivery.IMMEDIATE
    )
    follow(reader, author)

    page = BlogPageFactory(parent=blog_index, author=author, title="Heat and fatigue")

    # The signal receiver only queued the work.
    assert not Notification.objects.exists()
    run_background_worker()  # the followers' notices, which queue the email
    run_background_worker()  # the email

    notification = Notification.objects.get()
    assert (notification.recipient, notification.page_id) == (reader, page.pk)
    (message,) = mail.outbox
    assert "Heat and fatigue" in message.body
    assert "by Author Ada" in message.body


@DATABASE_BACKGROUND
def test_review_decisions_run_later_still_say_which_step_published(expert_index, editor, medic):
    """Both approvals are in before the worker runs, as with a busy queue: the
    editorial one is still "approved" and only the medical one "published"."""
    expert = UserFactory(group="Experts", display_name="Dr Later")
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=article, user=expert)
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)
    article.refresh_from_db()
    assert article.live

    run_background_worker()

    verbs = list(
        Notification.objects.filter(recipient=expert, kind=NotificationKind.REVIEW_DECISION)
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    # One unread notice per item: the publication replaced the approval.
    assert verbs == ["published"]
    # Each decision was emailed, the approval as "approved" (the reviewers are
    # emailed about their queue too).
    to_expert = [message for message in mail.outbox if message.to == [expert.email]]
    assert len(to_expert) == 2
    assert "published" not in to_expert[0].subject.lower()
    assert "published" in to_expert[1].subject.lower()
