"""Reads for a writer's own items: which ones, and where each stands in review."""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Page, Revision, TaskState, WorkflowState

from accounts.models import User
from core.models import Audience, CommunityMembership, CommunityPage, ContentPage
from core.selectors import community_visible
from moderation.models import ReviewTask

from .kinds import kind_of

# The states a writer sees, in words.
DRAFT = "draft"
AWAITING_EDITORIAL = "awaiting editorial review"
AWAITING_MEDICAL = "awaiting medical review"
CHANGES_REQUESTED = "changes requested"
PUBLISHED = "published"
# The states in the reader's language (``state`` itself stays the machine value).
STATE_LABELS = {
    DRAFT: gettext_lazy("draft"),
    AWAITING_EDITORIAL: gettext_lazy("awaiting editorial review"),
    AWAITING_MEDICAL: gettext_lazy("awaiting medical review"),
    CHANGES_REQUESTED: gettext_lazy("changes requested"),
    PUBLISHED: gettext_lazy("published"),
}


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
    # Who can read the newest version ("Everyone", "Members of Kindred", a
    # community's title), and, when it differs, who reads the live one now.
    audience_label: str = ""
    live_audience_label: str = ""

    @property
    def title(self) -> str:
        # The title of the newest version, which may not be published yet.
        return self.page.draft_title or self.page.title

    @property
    def state_label(self) -> str:
        """``state`` in words, in the active language."""
        return str(STATE_LABELS.get(self.state, self.state))

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


def _audience_labels(pages: list[ContentPage]) -> dict[int, tuple[str, str]]:
    """``{page id: (newest version's audience, live audience or "")}`` in two queries at most.

    The newest version's audience is read from its revision (a draft's row
    keeps the values it was created with); community titles in one query.
    """
    newest = {
        pk: (audience, community_id)
        for pk, audience, community_id in Revision.objects.filter(
            pk__in=[page.latest_revision_id for page in pages if page.latest_revision_id]
        ).values_list("object_id", "content__audience", "content__community")
    }
    community_ids = {page.community_id for page in pages} | {c for _a, c in newest.values()}
    community_ids.discard(None)
    titles = (
        dict(CommunityPage.objects.filter(pk__in=community_ids).values_list("pk", "title"))
        if community_ids
        else {}
    )

    def label(audience: str, community_id: int | None) -> str:
        if audience == Audience.COMMUNITY:
            return titles.get(community_id, _("A community"))
        return Audience(audience).label if audience in Audience.values else _("Everyone")

    labels = {}
    for page in pages:
        live = (page.audience, page.community_id)
        latest = newest.get(str(page.pk), live)
        shown_live = label(*live) if page.live and latest != live else ""
        labels[page.pk] = (label(*latest), shown_live)
    return labels


def contributions_for(*, user: User) -> list[Contribution]:
    """Every item ``user`` wrote, most recently changed first, with its review state.

    Five queries at most whatever the number of items: the pages (specific),
    the latest review of each with its current step and reviewer's comment,
    and their audiences (``_audience_labels``).
    """
    pages = list(
        ContentPage.objects.filter(author=user)
        .order_by("-latest_revision_created_at", "-pk")
        .specific()
    )
    states = _latest_workflow_states([page.pk for page in pages])
    audiences = _audience_labels(pages)
    return [
        replace(
            _state_of(page, states.get(str(page.pk))),
            audience_label=audiences[page.pk][0],
            live_audience_label=audiences[page.pk][1],
        )
        for page in pages
    ]


def contribution_state(page: ContentPage) -> Contribution:
    """The ``Contribution`` for one page (used after an action, and by tests)."""
    return _state_of(page, _latest_workflow_states([page.pk]).get(str(page.pk)))


# --- Audiences: who the writer may address (issue 12) ---


@dataclass(frozen=True)
class AudienceChoices:
    """What a writer may choose as an item's audience, and what they are told about the rest.

    ``communities`` are those they may write in now: an active membership of
    a published community whose current rules they accepted.
    ``rules_pending`` are active memberships whose rules changed since they
    accepted (the form says to accept them first). ``current`` is the
    community of the version being edited, offered so it can be kept even
    when the writer may no longer choose it afresh (submitting it is then
    refused by the service, which takes the membership lock).
    """

    communities: list[CommunityPage]
    rules_pending: list[CommunityPage]
    current: CommunityPage | None = None

    def community(self, pk: int) -> CommunityPage | None:
        """The community ``pk`` among those offered (``communities`` or ``current``), or None."""
        for community in [*self.communities, *filter(None, [self.current])]:
            if community.pk == pk:
                return community
        return None

    def pending(self, pk: int) -> CommunityPage | None:
        """The community ``pk`` if the writer is a member who must accept its new rules first."""
        return next((c for c in self.rules_pending if c.pk == pk), None)


def audience_choices(
    *, user: User | AnonymousUser, current_community_id: int | None = None
) -> AudienceChoices:
    """The communities ``user`` may address (``AudienceChoices``), in one query.

    ``current_community_id``: the community of the version being edited, if
    any; it is offered as the current audience whatever the membership
    (one more query only when it is not among the writer's communities).
    """
    if not user.is_authenticated:
        return AudienceChoices(communities=[], rules_pending=[])
    memberships = (
        CommunityMembership.objects.filter(
            user=user, state=CommunityMembership.State.ACTIVE, community__live=True
        )
        .select_related("community")
        .order_by("community__title", "community_id")
    )
    communities, pending = [], []
    for membership in memberships:
        community = membership.community
        (communities if membership.has_accepted_rules(community) else pending).append(community)
    current = None
    if current_community_id is not None:
        current = (
            next((c for c in [*communities, *pending] if c.pk == current_community_id), None)
            or CommunityPage.objects.filter(pk=current_community_id).first()
        )
    return AudienceChoices(communities=communities, rules_pending=pending, current=current)


@dataclass(frozen=True)
class WritingPlace:
    """Where ``/write/?community=<slug>`` asked to write: the community, if the writer may,
    else a message saying why not (never naming a community the writer may not see)."""

    community: CommunityPage | None
    message: str = ""


COMMUNITY_SLUG_MAX_LENGTH = 255


def writing_place(*, user: User | AnonymousUser, slug: object) -> WritingPlace | None:
    """The community ``slug`` names for writing, with a refusal in words; None without a slug.

    A community the writer may not see (unlisted, not theirs) or that does
    not exist gets the same answer; a listed one they are not in says to
    join; one whose rules changed says to accept them.
    """
    if not slug:
        return None
    missing = WritingPlace(
        None, _("There is no community with that address that you can write in.")
    )
    if not isinstance(slug, str) or len(slug) > COMMUNITY_SLUG_MAX_LENGTH or "\x00" in slug:
        return missing
    community = CommunityPage.objects.live().filter(slug=slug).first()
    if community is None or not community_visible(user=user, community=community):
        return missing
    choices = audience_choices(user=user)
    if choices.community(community.pk) is not None:
        return WritingPlace(community)
    if choices.pending(community.pk) is not None:
        return WritingPlace(
            None,
            _(
                "The rules of “%(community)s” have changed since you accepted them. "
                "Accept the new rules on the community's page before writing there."
            )
            % {"community": community.title},
        )
    return WritingPlace(
        None,
        _("Only members of “%(community)s” can write there. Join it first.")
        % {"community": community.title},
    )
