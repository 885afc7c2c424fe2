"""Telling authors what reviewers decided, on the site and by email, through a background task.

Wagtail's own approval and rejection emails point at the admin, which
members never use; Kindred replaces them (see ``PortalConfig.ready``) with
one notification per decision (``social.notifications``, kind
"review_decision") and, by the author's preference for that kind (at once by
default), one email that links to the author's own pages on the site, plus
the admin for authors who work there.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from django_tasks import task

APPROVED = "approved"
PUBLISHED = "published"
CHANGES_REQUESTED = "changes requested"


def site_url(path):
    """``path`` (from ``reverse``) as an absolute link on the public address, for emails.

    ``KINDRED_BASE_URL`` is where the site is served (`make run` sets it from
    HOST and PORT); every email builds its links from it, never from a
    request's Host or a fixed address.
    """
    return settings.KINDRED_BASE_URL.rstrip("/") + path


def page_link(page):
    """The absolute link to ``page`` on the public address, or "" if it has no address.

    Built from the page's path, not ``page.full_url``: that comes from
    Wagtail's Site row, which is only as current as the last `setup_portal`.
    """
    url_parts = page.get_url_parts()
    return site_url(url_parts[2]) if url_parts else ""


def review_decision_notify(*, task_state, action):
    """Queue the email telling the author of ``task_state``'s page what was decided."""
    send_review_decision_email.enqueue(task_state.pk, action)


def _is_final_step(task_state):
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


# How each outcome is stored on the notification.
NOTIFICATION_VERBS = {
    APPROVED: "approved",
    PUBLISHED: "published",
    CHANGES_REQUESTED: "changes_requested",
}


@task(backend="background")
def send_review_decision_email(task_state_id, action):
    """Notify the page's author of one review decision (approve or reject), and email
    them if their preference for review decisions is "immediate"."""
    from wagtail.models import TaskState, WorkflowState

    from core.mail import email_queue
    from social.models import EmailDelivery
    from social.notifications.emails import unsubscribe_headers, unsubscribe_url
    from social.notifications.services import notification_mark_emailed, notify_review_decision

    task_state = (
        TaskState.objects.select_related("workflow_state", "task").filter(pk=task_state_id).first()
    )
    if task_state is None:
        return
    page = task_state.workflow_state.content_object.specific
    author = getattr(page, "author", None) or page.owner
    if author is None or not author.is_active:
        return
    if action == "reject":
        outcome = CHANGES_REQUESTED
    elif (
        page.live
        and task_state.workflow_state.status == WorkflowState.STATUS_APPROVED
        and _is_final_step(task_state)
    ):
        outcome = PUBLISHED
    else:
        outcome = APPROVED
    notification, delivery = notify_review_decision(
        page=page, author=author, verb=NOTIFICATION_VERBS[outcome]
    )
    if delivery != EmailDelivery.IMMEDIATE or not author.email:
        return
    unsubscribe = unsubscribe_url(user_id=author.pk, kind=notification.kind)
    context = {
        "author": author,
        "title": page.draft_title or page.title,
        "outcome": outcome,
        "step": task_state.task.name,
        # Only what is meant for the author: an editorial approval's note is
        # for the medical reviewer (ReviewTask.comment_reaches_author).
        "comment": (
            task_state.comment
            if task_state.task.specific.comment_reaches_author(approved=action == "approve")
            else ""
        ),
        "page_url": page_link(page) if page.live else "",
        "contributions_url": site_url(reverse("authoring:contributions")),
        "admin_url": (
            site_url(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
            if author.has_perm("wagtailadmin.access_admin")
            else ""
        ),
        "unsubscribe_url": unsubscribe,
    }
    subject = " ".join(render_to_string("emails/review_decision_subject.txt", context).split())
    body = render_to_string("emails/review_decision.txt", context)
    message = EmailMessage(
        subject, body, to=[author.email], headers=unsubscribe_headers(unsubscribe)
    )
    # Into the outbox with the notification marked emailed, in one transaction:
    # the outbox retries while the mail server is down, and this task, run
    # again after its worker died, queues nothing twice (one decision, one email).
    with transaction.atomic():
        notification_mark_emailed(notification_ids=[notification.pk])
        email_queue(message=message, key=f"review:{task_state.pk}:{action}")
