"""Background work for notifications: one immediate email, the daily digests,
the followers' notices when an item is first published, and review decisions.

All run on the "background" backend (the database queue and its worker,
``manage.py run_worker --backend background --queue-name '*'``). Emails go
through the outbox (``core.mail``): these tasks decide and store them, the
outbox sends them, retrying while the mail server is down.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone, translation

from wagtail.models import TaskState, WorkflowState

from django_tasks import task

from core.i18n import language_for
from core.mail import email_queue
from core.models import ContentPage
from moderation.models import ReviewTask
from social.models import EmailDelivery, Notification

from . import emails, selectors, services


@task(backend="background")
def send_notification_email(notification_id: int) -> int:
    """Email one notification at once, if it is still pending, wanted and readable; returns 0/1.

    The recipient's preference is read again here: a member who switched the
    kind off (or to the digest) since it was queued gets no email.
    """
    notification = (
        Notification.objects.select_related("recipient", "actor__profile")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return 0
    recipient = notification.recipient
    if (
        selectors.email_preference(user=recipient, kind=notification.kind)
        != EmailDelivery.IMMEDIATE
    ):
        return 0
    # Worded in the recipient's language: what apps above social resolve
    # (their sentences, an item's type) is said while the entries are made.
    with translation.override(language_for(recipient)):
        (entry,) = selectors.notification_entries(user=recipient, notifications=[notification])
        if not entry.available:
            return 0
        message = emails.notification_email(recipient=recipient, entry=entry)
    if not message.to or not message.to[0]:
        return 0
    # Marked emailed and put in the outbox together: a run that finds it marked
    # (a second worker, or this task again after its worker died) sends nothing,
    # and the outbox delivers it, retrying while the mail server is down.
    with transaction.atomic():
        if not services.notification_mark_emailed(notification_ids=[notification.pk]):
            return 0
        email_queue(
            message=message,
            # The same row is reused for a later event about the same item.
            key=f"notification:{notification.pk}:{notification.created_at.isoformat()}",
        )
    return 1


@task(backend="background")
def notify_followed_publication(page_id: int, published_at: str) -> int:
    """Run ``services.notify_followed_publication`` for a page Wagtail just published."""
    page = ContentPage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    published = datetime.fromisoformat(published_at) if published_at else None
    return services.notify_followed_publication(page=page, published_at=published)


def send_digest(*, user: AbstractUser, notifications: list[Notification]) -> int:
    """One email to ``user`` listing ``notifications`` that are still readable; returns 0/1.

    The notifications are claimed (``emailed_at``) before sending, whether
    they can still be shown or not: an item unpublished since is dropped from
    this digest and never comes back in a later one.
    """
    ids = [notification.pk for notification in notifications]
    claimed_at = timezone.now()
    # Claimed and put in the outbox together (see send_notification_email):
    # the outbox retries while the mail server is down.
    with transaction.atomic():
        if not services.notification_mark_emailed(notification_ids=ids, at=claimed_at):
            return 0
        # Only those this run claimed (another run may have taken some).
        mine = list(
            selectors.notifications_for(user=user)
            .filter(pk__in=ids, emailed_at=claimed_at)
            .order_by("created_at", "pk")
        )
        # In the recipient's language (see send_notification_email).
        with translation.override(language_for(user)):
            entries = [
                entry
                for entry in selectors.notification_entries(user=user, notifications=mine)
                if entry.available
            ]
            if not entries:
                return 0
            message = emails.digest_email(recipient=user, entries=entries)
        key = f"digest:{user.pk}:{claimed_at.isoformat()}"
        return 1 if email_queue(message=message, key=key) else 0


@task(backend="background")
def send_daily_digests() -> int:
    """Send each member their daily digest (see ``selectors.pending_digest``); returns how many.

    Idempotent: what a digest lists is marked emailed, so a second run the
    same day sends nothing, and a member with nothing pending gets nothing.
    """
    pending = {}
    for notification in selectors.pending_digest():
        pending.setdefault(notification.recipient_id, []).append(notification)
    users = get_user_model().objects.in_bulk(list(pending))
    return sum(
        send_digest(user=users[user_id], notifications=notifications)
        for user_id, notifications in pending.items()
        if user_id in users
    )


# How each outcome of a review decision is stored on the notification.
REVIEW_NOTIFICATION_VERBS = {
    emails.APPROVED: "approved",
    emails.PUBLISHED: "published",
    emails.CHANGES_REQUESTED: "changes_requested",
}


def _is_final_step(task_state: TaskState) -> bool:
    """Whether ``task_state`` is the workflow's last task (its approval publishes).

    Decided from the workflow, not from the page's state when the worker runs:
    by then the editorial approval's task also finds the page published.
    """
    last_task_id = (
        task_state.workflow_state.workflow.workflow_tasks.order_by("-sort_order")
        .values_list("task_id", flat=True)
        .first()
    )
    return last_task_id == task_state.task_id


def _review_outcome(*, task_state: TaskState, page: ContentPage, action: str) -> str:
    if action == "reject":
        return emails.CHANGES_REQUESTED
    if (
        page.live
        and task_state.workflow_state.status == WorkflowState.STATUS_APPROVED
        and _is_final_step(task_state)
    ):
        return emails.PUBLISHED
    return emails.APPROVED


@task(backend="background")
def send_review_decision_email(task_state_id: int, action: str) -> None:
    """Notify the page's author of one review decision (approve or reject), and email
    them if their preference for review decisions is "immediate".

    Queued by ``signals`` when Wagtail announces a review step's decision; only
    Kindred's review steps (``ReviewTask``) are told to authors.
    """
    task_state = (
        TaskState.objects.select_related("workflow_state", "task").filter(pk=task_state_id).first()
    )
    if task_state is None:
        return
    review_task = task_state.task.specific
    if not isinstance(review_task, ReviewTask):
        return
    page = task_state.workflow_state.content_object.specific
    author = getattr(page, "author", None) or page.owner
    if author is None or not author.is_active:
        return
    outcome = _review_outcome(task_state=task_state, page=page, action=action)
    notification, delivery = services.notify_review_decision(
        page=page, author=author, verb=REVIEW_NOTIFICATION_VERBS[outcome]
    )
    if delivery != EmailDelivery.IMMEDIATE or not author.email:
        return
    # Only what is meant for the author: an editorial approval's note is
    # for the medical reviewer (ReviewTask.comment_reaches_author).
    comment = (
        task_state.comment
        if review_task.comment_reaches_author(approved=action == "approve")
        else ""
    )
    message = emails.review_decision_email(
        author=author, page=page, task_state=task_state, outcome=outcome, comment=comment
    )
    # Into the outbox with the notification marked emailed, in one transaction:
    # the outbox retries while the mail server is down, and this task, run
    # again after its worker died, queues nothing twice (one decision, one email).
    with transaction.atomic():
        services.notification_mark_emailed(notification_ids=[notification.pk])
        email_queue(message=message, key=f"review:{task_state.pk}:{action}")
