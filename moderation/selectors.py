"""Reads for reviewers: what waits for whose decision, and how the queue shows it.

One definition of "waiting for this reviewer" serves the header's count, the
admin's review queue and the dashboard panel: an in-progress step of an active
review task, in a group the reviewer belongs to (any, for superusers), on a
page they neither own nor wrote (``ReviewTask.get_task_states_user_can_moderate``
says the same for Wagtail, one task at a time).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.models import Page, TaskState, WorkflowState

from core.models import Audience, CommunityPage, ContentPage

from .models import ReviewTask, own_page_ids

# ``fn(*, pages) -> {page id: {account id: pseudonym}}``: the accounts that
# reviewers see under a pseudonym on each of ``pages`` (a page queryset), for the
# page types the function knows; ``questions`` registers anonymous askers.
REVIEWER_PSEUDONYMS = "kindred_reviewer_pseudonyms"

# ``fn(*, pages) -> {page id: [ReviewFlag]}``: what a reviewer should know about each of
# ``pages`` (a list) before deciding; ``safety`` flags possible adverse events and items
# held for a crisis. One or two queries per function, whatever the number of pages.
REVIEW_FLAGS = "kindred_review_flags"
# ``fn(*, user) -> [ReviewNotice]``: what must come first, shown above the queue
# (``safety``: crisis signals waiting for a moderator).
REVIEW_NOTICES = "kindred_review_notices"
# ``fn(*, page_id) -> [ReviewTool]``: more places to look at an item from, in its row's
# actions (``safety``: the personal-data hints). No query: they are links.
REVIEW_TOOLS = "kindred_review_tools"


@dataclass(frozen=True)
class ReviewFlag:
    """A short label on an item in the queue; ``tone`` "critical" sorts the item first."""

    label: str
    tone: str = "warning"
    url: str = ""


@dataclass(frozen=True)
class ReviewNotice:
    """A line above the queue, with a link to act on it."""

    text: str
    url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class ReviewTool:
    """A link in an item's actions in the queue."""

    label: str
    url: str


def review_flags(*, pages: list[Page]) -> dict[int, list[ReviewFlag]]:
    """Every registered ``REVIEW_FLAGS`` function's flags for ``pages``, by page id."""
    flags: dict[int, list[ReviewFlag]] = {}
    if not pages:
        return flags
    for fn in hooks.get_hooks(REVIEW_FLAGS):
        for page_id, page_flags in fn(pages=pages).items():
            flags.setdefault(page_id, []).extend(page_flags)
    return flags


def review_notices(*, user: AbstractUser) -> list[ReviewNotice]:
    """Every registered ``REVIEW_NOTICES`` function's notices for ``user``."""
    return [notice for fn in hooks.get_hooks(REVIEW_NOTICES) for notice in fn(user=user)]


# The permission every reviewing role holds; members never do. Wagtail's user
# bar asks the same question on every page, so the answer is cached on the
# user by the time (or from the time) the header asks it: no extra query.
ADMIN_ACCESS = "wagtailadmin.access_admin"


def review_queue(*, user: AbstractUser) -> QuerySet[TaskState]:
    """The task states waiting for ``user``'s decision, as a queryset (unordered).

    Mirrors Wagtail's ``TaskState.objects.reviewable_by`` for Kindred's review
    tasks, in one query instead of one per task.
    """
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        task__active=True,
        task__reviewtask__isnull=False,
    )
    if not user.is_superuser:
        states = states.filter(
            task_id__in=ReviewTask.objects.filter(groups__user=user).values("pk")
        )
    return states.exclude(workflow_state__object_id__in=own_page_ids(user))


@dataclass(frozen=True)
class ReviewQueueSummary:
    """What the site header says to a reviewer: "Review queue (waiting)"."""

    waiting: int


def review_queue_summary(*, user: AbstractUser | AnonymousUser) -> ReviewQueueSummary | None:
    """A ``ReviewQueueSummary`` for a reviewer (a member of an active review task's
    group, or a superuser), else ``None``.

    No query for visitors and for people without admin access (members), once
    their permissions are cached; one query for everyone else, answering both
    "do they review?" and "how many wait?".
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if not user.has_perm(ADMIN_ACCESS):
        return None
    # COUNT(*) as a scalar subquery: no GROUP BY, so one row whatever the queue.
    waiting = Subquery(
        review_queue(user=user).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )
    reviews = (
        Value(True, output_field=BooleanField())
        if user.is_superuser
        else Exists(ReviewTask.objects.filter(active=True, groups__user=OuterRef("pk")))
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(reviews=reviews, waiting=Coalesce(waiting, 0))
        .values_list("reviews", "waiting")
        .first()
    )
    if row is None or not row[0]:
        return None
    return ReviewQueueSummary(waiting=row[1])


def is_reviewer(*, user: AbstractUser | AnonymousUser) -> bool:
    """Whether ``user`` reviews anything (a superuser, or in an active review task's group)."""
    return review_queue_summary(user=user) is not None


def _waited(since: datetime, now: datetime) -> str:
    if now - since < timedelta(minutes=1):
        return _("less than a minute")
    # One unit ("3 days", "2 hours"): precise enough to sort by eye.
    return timesince(since, now, depth=1)


@dataclass(frozen=True)
class QueueItem:
    """One item in a reviewer's queue, with everything its row shows."""

    task_state: TaskState
    page: Page
    type_label: str
    # The author's public name; never the username or email.
    author_name: str
    # Published anonymously: the public never sees the name; reviewers do.
    anonymous: bool
    step: str
    # When the author sent it for review, and when it reached this step.
    submitted_at: datetime
    waiting_since: datetime
    waited: str
    # Wagtail's ``(action name, label, needs a form)`` triples for this reviewer.
    actions: list[tuple[str, str, bool]] = field(default_factory=list)
    # Who the version under review is for: "Everyone", "Members of Kindred" or
    # a community's title (reviewers may narrow it in the editor).
    audience: str = Audience.EVERYONE
    audience_label: str = "Everyone"
    # What other apps flag on it (``REVIEW_FLAGS``): a possible adverse event, a crisis hold.
    flags: tuple[ReviewFlag, ...] = ()
    # Links other apps add to its actions (``REVIEW_TOOLS``).
    tools: tuple[ReviewTool, ...] = ()

    @property
    def critical(self) -> bool:
        return any(flag.tone == "critical" for flag in self.flags)

    @property
    def title(self) -> str:
        # The version under review, which may not be published yet.
        return self.page.draft_title or self.page.title


def review_queue_ordered(*, user: AbstractUser) -> QuerySet[TaskState]:
    """``review_queue`` longest-waiting first, with what ``queue_items`` reads joined."""
    return (
        review_queue(user=user)
        .select_related("workflow_state", "task__reviewtask")
        # The audience of the version under review, read from its revision
        # in the same query (the revision's text is not loaded).
        .annotate(
            revision_audience=F("revision__content__audience"),
            revision_community=F("revision__content__community"),
        )
        .order_by("started_at", "pk")
    )


def _audience_labels(states: list[TaskState]) -> dict[int, tuple[str, str]]:
    """``{task state id: (audience, label)}`` for annotated ``states``; one query for
    community titles, none without a community."""
    audiences = {
        state.pk: (
            getattr(state, "revision_audience", None) or Audience.EVERYONE,
            getattr(state, "revision_community", None),
        )
        for state in states
    }
    ids = {community for audience, community in audiences.values() if community}
    titles = (
        dict(CommunityPage.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    )
    labels = {}
    for pk, (audience, community) in audiences.items():
        if audience == Audience.COMMUNITY:
            labels[pk] = (audience, titles.get(community) or _("A community"))
        elif audience in Audience.values:
            labels[pk] = (audience, Audience(audience).label)
        else:
            labels[pk] = (Audience.EVERYONE, Audience.EVERYONE.label)
    return labels


def reviewer_pseudonyms(*, pages: QuerySet[Page]) -> dict[int, dict[int, str]]:
    """{page id: {account id: pseudonym}}: whom reviewers see under a pseudonym on ``pages``.

    Asked of every function registered under ``REVIEWER_PSEUDONYMS``; pages
    none of them names hide nobody. Restricted staff see these names in the
    whole admin (``moderation.admin_privacy``), every reviewer in the queue.
    """
    names: dict[int, dict[int, str]] = {}
    for fn in hooks.get_hooks(REVIEWER_PSEUDONYMS):
        for page_id, accounts in fn(pages=pages).items():
            names.setdefault(page_id, {}).update(accounts)
    return names


def queue_items(*, user: AbstractUser, states: Iterable[TaskState]) -> list[QueueItem]:
    """``states`` (from ``review_queue_ordered``, maybe a page of it) as ``QueueItem`` rows.

    A fixed number of queries whatever their number: the task states with
    their workflow and task, the pages with their authors, and Wagtail's group
    check once per review task (cached on the user).
    """
    now = timezone.now()
    states = list(states)
    page_ids = {int(state.workflow_state.object_id) for state in states}
    pages = {
        page.pk: page
        for page in ContentPage.objects.filter(pk__in=page_ids).select_related("author")
    }
    # An item whose author goes by a pseudonym in front of reviewers (an
    # anonymous question) shows that, never the account.
    hidden = reviewer_pseudonyms(pages=Page.objects.filter(pk__in=page_ids))
    missing = page_ids - pages.keys()
    if missing:
        # Review tasks apply to the content types; anything else is shown plainly.
        pages.update({page.pk: page for page in Page.objects.filter(pk__in=missing)})
    audiences = _audience_labels(states)
    flags = review_flags(pages=list(pages.values()))
    items = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        author = getattr(page, "author", None)
        items.append(
            QueueItem(
                task_state=state,
                page=page,
                type_label=page.type_label if isinstance(page, ContentPage) else _("Page"),
                author_name=(
                    hidden.get(page.pk, {}).get(author.pk) or author.public_name
                    if author
                    else (_("Former member") if isinstance(page, ContentPage) else "")
                ),
                anonymous=getattr(page, "is_anonymous", False) or page.pk in hidden,
                # A step named as Kindred names it (setup_portal) reads in the reader's language.
                step=_(state.task.name),
                submitted_at=state.workflow_state.created_at,
                waiting_since=state.started_at,
                waited=_waited(state.started_at, now),
                actions=state.task.reviewtask.get_actions(page, user),
                audience=audiences[state.pk][0],
                audience_label=audiences[state.pk][1],
                flags=tuple(flags.get(page.pk, ())),
                tools=tuple(
                    tool for fn in hooks.get_hooks(REVIEW_TOOLS) for tool in fn(page_id=page.pk)
                ),
            )
        )
    # An item held for a crisis comes first (a stable sort keeps the waiting order).
    items.sort(key=lambda item: not item.critical)
    return items


def review_queue_items(*, user: AbstractUser, limit: int | None = None) -> list[QueueItem]:
    """The items waiting for ``user``'s decision, longest-waiting first (at most ``limit``)."""
    states = review_queue_ordered(user=user)
    return queue_items(user=user, states=states[:limit] if limit else states)


def review_queue_task_state(
    *, user: AbstractUser, page_id: int | str, task_state_id: int | str
) -> TaskState | None:
    """The task state ``task_state_id`` of page ``page_id`` if it waits for ``user``'s
    decision, else ``None`` (someone else's, finished, or another page's look missing)."""
    return (
        review_queue(user=user)
        .filter(pk=task_state_id, workflow_state__object_id=str(page_id))
        .select_related("workflow_state", "task__reviewtask")
        .first()
    )


# The decisions whose comment is for the author (``ReviewTask.comment_reaches_author``),
# by the ``verb`` of the notification that reports them. "approved" (a step
# passed) is not among them: an editorial approval's note is for the next reviewer.
_DECISION_OF_VERB = {
    "changes_requested": (TaskState.STATUS_REJECTED, None),
    "published": (TaskState.STATUS_APPROVED, ReviewTask.Stage.MEDICAL),
}


def review_decision_comments(
    *, decisions: Iterable[tuple[int, int, str, datetime]]
) -> dict[int, str]:
    """The reviewer's comment for each reported decision, in one query.

    ``decisions`` holds ``(key, page_id, verb, at)`` for review-decision
    notifications (``verb`` as ``social.notifications`` stores it, ``at`` when
    the notification was made or last replaced). Each that carries a comment
    for the author gets the comment of the latest decision of that kind on
    that page made by ``at`` ("" when the reviewer wrote none); returns
    ``{key: comment}``. Comments are for the page's author: callers pass only
    the reader's own items.
    """
    decisions = [d for d in decisions if d[2] in _DECISION_OF_VERB]
    if not decisions:
        return {}
    rows = (
        TaskState.objects.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in={str(page_id) for _, page_id, _, _ in decisions},
            status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
            finished_at__isnull=False,
        )
        .order_by("-finished_at", "-pk")
        .values_list(
            "workflow_state__object_id",
            "status",
            "task__reviewtask__stage",
            "finished_at",
            "comment",
        )
    )
    by_page = {}
    for object_id, status, stage, finished_at, comment in rows:
        by_page.setdefault(object_id, []).append((status, stage, finished_at, comment))
    comments = {}
    for key, page_id, verb, at in decisions:
        status, stage = _DECISION_OF_VERB[verb]
        # Newest first: the first match made by ``at`` is the decision reported.
        comments[key] = next(
            (
                comment
                for row_status, row_stage, finished_at, comment in by_page.get(str(page_id), ())
                if row_status == status
                and (stage is None or row_stage == stage)
                and finished_at <= at
            ),
            "",
        )
    return comments
