"""Signal receivers for notifications: they only queue background work.

Whether a publication is the first one, and who hears about it, is decided
by ``services.notify_followed_publication`` in the worker.

Review decisions are announced from Wagtail's own workflow signals, so the
review step (``moderation.models.ReviewTask``) knows nothing of notifications:
a step approved while the workflow goes on (``task_approved``), the last step
approved, which finishes the workflow and publishes (``workflow_approved``),
and changes requested at any step (``task_rejected``). One decision, one
announcement: the last step's ``task_approved`` is left to
``workflow_approved``, which Wagtail sends first.
"""

from functools import partial
from typing import Any

from django.db import transaction

from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import page_published, task_approved, task_rejected, workflow_approved

from core.models import ContentPage

from .tasks import notify_followed_publication, send_review_decision_email


def on_page_published(sender: type, instance: Page, **kwargs: Any) -> None:
    if not isinstance(instance, ContentPage):
        return
    # The timestamp of this publish, so the worker can tell a first
    # publication from a later republish even if it runs late.
    published_at = instance.last_published_at.isoformat() if instance.last_published_at else ""
    # After commit: the worker must see the page live.
    transaction.on_commit(partial(notify_followed_publication.enqueue, instance.pk, published_at))


def _announce(task_state: TaskState, action: str) -> None:
    # Queued at once, in the reviewer's transaction (the task row commits with
    # the decision); the worker decides what the author hears.
    send_review_decision_email.enqueue(task_state.pk, action)


def on_task_approved(sender: type, instance: TaskState, **kwargs: Any) -> None:
    if instance.workflow_state.status == WorkflowState.STATUS_APPROVED:
        return  # the workflow's last step: announced by on_workflow_approved
    _announce(instance, "approve")


def on_task_rejected(sender: type, instance: TaskState, **kwargs: Any) -> None:
    _announce(instance, "reject")


def on_workflow_approved(sender: type, instance: WorkflowState, **kwargs: Any) -> None:
    # Finishing leaves the last step as the current one: its approval finished it.
    task_state = instance.current_task_state
    if task_state is not None and task_state.status == TaskState.STATUS_APPROVED:
        _announce(task_state, "approve")


def connect() -> None:
    """Called once from ``SocialConfig.ready``."""
    page_published.connect(on_page_published, dispatch_uid="social.notifications.page_published")
    task_approved.connect(on_task_approved, dispatch_uid="social.notifications.task_approved")
    task_rejected.connect(on_task_rejected, dispatch_uid="social.notifications.task_rejected")
    workflow_approved.connect(
        on_workflow_approved, dispatch_uid="social.notifications.workflow_approved"
    )
