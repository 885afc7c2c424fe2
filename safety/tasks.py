"""The background scans for adverse events (queued by ``safety.signals``).

They run in the worker, not in the request: the medicine dictionary takes a second or
two to load, and a submission must not wait for it. Each task reads its source again by
id (a task carries ids, never text), and running one twice opens no second case
(``SafetyCase``'s partial unique constraints).
"""

from wagtail.models import Revision

from django_tasks import task

from .services import adverse_event_case_open
from .text import page_text


@task(backend="background")
def scan_revision(revision_id: int) -> str:
    """Scan the revision sent for review; returns what it found, for the task's result."""
    revision = Revision.objects.filter(pk=revision_id).select_related("content_type").first()
    if revision is None:
        return "gone"
    page = revision.as_object()
    case = adverse_event_case_open(
        text=page_text(page),
        author=getattr(page, "author", None),
        page=revision.content_object,
        revision=revision,
    )
    return case.reference if case is not None else "nothing"


@task(backend="background")
def scan_comment(comment_id: int) -> str:
    """Scan a comment just posted; returns what it found, for the task's result."""
    from django_comments_xtd.models import XtdComment

    comment = XtdComment.objects.filter(pk=comment_id).select_related("user").first()
    if comment is None or comment.is_removed:
        return "gone"
    page = None
    if comment.content_type.model_class() is not None:
        page = comment.content_object
    case = adverse_event_case_open(
        text=comment.comment, author=comment.user, comment=comment, page=page
    )
    return case.reference if case is not None else "nothing"
