"""Signal receivers: a page sent for review and a comment posted are screened.

Crisis words are looked for at once, in the submitting request (a regular expression,
no dictionary to load), so the item is held before any reviewer can approve it and the
moderators are told now. The adverse-event scan is queued for the worker once the
transaction commits (``safety.tasks``).
"""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from wagtail.models import WorkflowState
from wagtail.signals import workflow_submitted

from . import declarations
from .services import crisis_signal_open
from .tasks import scan_comment, scan_revision
from .text import page_text


def on_workflow_submitted(sender: type, instance: WorkflowState, user: Any = None, **kwargs):
    revision = instance.content_object.get_latest_revision()
    if revision is None:
        return
    page = revision.as_object()
    crisis_signal_open(
        text=page_text(page),
        author=getattr(page, "author", None),
        page=instance.content_object,
        revision=revision,
    )
    transaction.on_commit(partial(scan_revision.enqueue, revision.pk))


def on_comment_saved(sender: type, instance: Any, created: bool = False, **kwargs):
    # Crisis words in a comment are caught by discussion's posting service itself: it
    # must hold the comment before it is shown. Kindred's comments are a subclass of
    # xtd's (discussion.PageComment), which Django announces under its own class.
    from django_comments_xtd.models import XtdComment

    if created and not kwargs.get("raw") and isinstance(instance, XtdComment):
        transaction.on_commit(partial(scan_comment.enqueue, instance.pk))


def connect() -> None:
    """Called once from ``SafetyConfig.ready``."""
    workflow_submitted.connect(
        on_workflow_submitted, sender=WorkflowState, dispatch_uid="safety.workflow_submitted"
    )
    post_save.connect(on_comment_saved, dispatch_uid="safety.comment_saved")
    # A saved declaration or helpline shows at once (the footer reads it from the cache).
    declarations.connect()
