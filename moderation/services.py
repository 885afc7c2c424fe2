"""Moving a page through the review workflow, the same way the admin does.

The admin's buttons call Wagtail's workflow API; these services call the same
API so that seeding, tests and (later) front-end authoring share one path.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import Page, Revision, TaskState, Workflow


def _review_workflow(page: Page) -> Workflow:
    workflow = page.get_workflow()
    if workflow is None:
        raise PermissionDenied(_("This page is not under a review workflow."))
    return workflow


def _restart_review(page: Page, workflow: Workflow, user: AbstractUser) -> None:
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    workflow.start(page, user)


@transaction.atomic
def page_submit_for_review(*, page: Page, user: AbstractUser) -> Revision:
    """Save ``page`` as a new draft revision by ``user`` and start its workflow afresh.

    A resubmission after "changes requested" starts again at the first step
    (Wagtail's admin would resume at the step that asked), so the editorial
    and the medical reviewer both see the changed text, in order. One call,
    one revision; a refusal writes nothing.
    """
    workflow = _review_workflow(page)
    revision = page.save_revision(user=user, log_action=True)
    _restart_review(page, workflow, user)
    return revision


@transaction.atomic
def page_submit_latest_for_review(*, page: Page, user: AbstractUser) -> Revision:
    """Start ``page``'s workflow afresh on its newest saved revision, as it is, by ``user``.

    Writes no revision: for a draft already saved (the Submit button on "My
    contributions", or a save made in the same transaction). Returns that revision.
    """
    workflow = _review_workflow(page)
    _restart_review(page, workflow, user)
    return page.get_latest_revision()


def _act_on_current_task(page: Page, user: AbstractUser, action: str, comment: str) -> TaskState:
    task_state = page.current_workflow_task_state
    if task_state is None:
        raise PermissionDenied(_("This page is not waiting for review."))
    task = task_state.task.specific
    allowed = {name for name, _label, _modal in task.get_actions(page, user)}
    if action not in allowed:
        raise PermissionDenied(_("You may not review this page at this step."))
    task.on_action(task_state, user, action, comment=comment)
    return task_state


def review_approve(*, page: Page, user: AbstractUser, comment: str = "") -> TaskState:
    """Approve the step ``page`` is waiting at, as ``user``; the last approval publishes it."""
    return _act_on_current_task(page, user, "approve", comment)


def review_request_changes(*, page: Page, user: AbstractUser, comment: str) -> TaskState:
    """Send ``page`` back to its author with ``comment``, as ``user``."""
    return _act_on_current_task(page, user, "reject", comment)
