"""Reads for a writer's own items: which ones, and where each stands in review."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery

from wagtail.models import Page, TaskState, WorkflowState

from accounts.models import User
from core.models import ContentPage
from moderation.models import ReviewTask

from .kinds import kind_of

# The states a writer sees, in words.
DRAFT = "draft"
AWAITING_EDITORIAL = "awaiting editorial review"
AWAITING_MEDICAL = "awaiting medical review"
CHANGES_REQUESTED = "changes requested"
PUBLISHED = "published"


@dataclass(frozen=True)
class Contribution:
    """One of a writer's items as "My contributions" shows it.

    ``state`` describes the newest version; ``page.live`` tells whether an
    older version is published meanwhile.
    """

    page: ContentPage
    kind_label: str
    state: str
    in_review: bool = False
    # What a reviewer wrote to the author in the latest review: the request for
    # changes, or the medical reviewer's comment on the item they published.
    review_comment: str = ""

    @property
    def title(self) -> str:
        # The title of the newest version, which may not be published yet.
        return self.page.draft_title or self.page.title

    @property
    def can_edit(self) -> bool:
        return not self.in_review

    @property
    def can_submit(self) -> bool:
        return not self.in_review and (self.state != PUBLISHED or self.page.has_unpublished_changes)

    @property
    def can_withdraw(self) -> bool:
        return self.in_review or self.state == CHANGES_REQUESTED


def contribution_for(*, user: User | AnonymousUser, pk: int) -> ContentPage | None:
    """``user``'s own item ``pk`` (specific), or ``None``: someone else's item looks missing."""
    page = ContentPage.objects.filter(pk=pk, author=user).first() if user.is_authenticated else None
    return page.specific if page is not None else None


ACTIVE = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


def _latest_workflow_states(page_ids: Iterable[int]) -> dict[str, WorkflowState]:
    """``{page id as text: WorkflowState}``: each page's latest review (of any status),
    its current step joined and ``latest_review_comment`` annotated; one query.

    A withdrawn or superseded review is cancelled and a resubmission starts a
    new one, so the latest review is the one whose comments still apply.
    """
    latest = (
        WorkflowState.objects.filter(
            base_content_type=OuterRef("base_content_type"), object_id=OuterRef("object_id")
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    # The comments meant for the author (ReviewTask.comment_reaches_author): a
    # request for changes, or the medical approval's; an editorial approval's
    # note is for the medical reviewer.
    for_author = Q(status=TaskState.STATUS_REJECTED) | Q(
        status=TaskState.STATUS_APPROVED, task__reviewtask__stage=ReviewTask.Stage.MEDICAL
    )
    latest_comment = (
        TaskState.objects.filter(for_author, workflow_state=OuterRef("pk"))
        .exclude(comment="")
        .order_by("-finished_at", "-pk")
        .values("comment")[:1]
    )
    return {
        state.object_id: state
        for state in WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page_id) for page_id in page_ids],
            pk=Subquery(latest),
        )
        .annotate(latest_review_comment=Subquery(latest_comment))
        .select_related("current_task_state__task__reviewtask")
    }


def _state_of(page: ContentPage, workflow_state: WorkflowState | None) -> Contribution:
    kind_label = kind_of(page).label
    if workflow_state is None or workflow_state.status not in ACTIVE:
        # An approval's note stays with the item it published; a cancelled
        # review (withdrawn) has nothing more to say.
        approved = (
            workflow_state is not None
            and workflow_state.status == WorkflowState.STATUS_APPROVED
            and page.live
        )
        return Contribution(
            page=page,
            kind_label=kind_label,
            state=PUBLISHED if page.live else DRAFT,
            review_comment=(workflow_state.latest_review_comment or "") if approved else "",
        )
    task_state = workflow_state.current_task_state
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Contribution(
            page=page,
            kind_label=kind_label,
            state=CHANGES_REQUESTED,
            review_comment=task_state.comment if task_state else "",
        )
    medical = task_state is not None and task_state.task.reviewtask.stage == "medical"
    return Contribution(
        page=page,
        kind_label=kind_label,
        state=AWAITING_MEDICAL if medical else AWAITING_EDITORIAL,
        in_review=True,
        review_comment=workflow_state.latest_review_comment or "",
    )


def contributions_for(*, user: User) -> list[Contribution]:
    """Every item ``user`` wrote, most recently changed first, with its review state.

    Three queries whatever the number of items: the pages (specific), and the
    latest review of each with its current step and reviewer's comment.
    """
    pages = list(
        ContentPage.objects.filter(author=user)
        .order_by("-latest_revision_created_at", "-pk")
        .specific()
    )
    states = _latest_workflow_states([page.pk for page in pages])
    return [_state_of(page, states.get(str(page.pk))) for page in pages]


def contribution_state(page: ContentPage) -> Contribution:
    """The ``Contribution`` for one page (used after an action, and by tests)."""
    return _state_of(page, _latest_workflow_states([page.pk]).get(str(page.pk)))
