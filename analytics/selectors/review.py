"""Review analytics: the queues over time, time to decision, requests for changes, late items.

Read from Wagtail's ``TaskState`` history of Kindred's review tasks
(``moderation.models.ReviewTask``, whose ``stage`` says editorial or
medical). Each function is a fixed number of queries, whatever the number of
items or decisions: the rows of the period are fetched in one query and
counted in Python (portable between SQLite and PostgreSQL, percentiles
included).
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wagtail.models import Page, TaskState, WorkflowState

from moderation.models import ReviewTask
from moderation.selectors import review_queue

from ..periods import Period, day_start

STAGES = (ReviewTask.Stage.EDITORIAL, ReviewTask.Stage.MEDICAL)
STAGE_FIELD = "task__reviewtask__stage"
DECISIONS = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
FORMER_REVIEWER = gettext_lazy("Former reviewer")
# The late items listed by title; the rest are counted.
OVERDUE_LIST_LIMIT = 100


def _review_steps() -> QuerySet[TaskState]:
    return TaskState.objects.filter(task__reviewtask__isnull=False)


@dataclass(frozen=True)
class QueueDay:
    """Items waiting for each step at the end of ``day`` (or now, for today)."""

    day: date
    editorial: int
    medical: int


def review_queue_history(*, period: Period) -> list[QueueDay]:
    """How many items waited for the editorial and for the medical review, day by day.

    An item waits at a moment when its step had started and had not finished
    (approved, changes requested, cancelled). One query: the steps that
    overlap the period.
    """
    rows = list(
        _review_steps()
        .filter(started_at__lt=period.end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=period.start))
        .values_list(STAGE_FIELD, "started_at", "finished_at")
    )
    history = []
    for day in period.days:
        moment = min(day_start(day + timedelta(days=1)), period.end)
        waiting = dict.fromkeys(STAGES, 0)
        for stage, started, finished in rows:
            if started < moment and (finished is None or finished >= moment) and stage in waiting:
                waiting[stage] += 1
        history.append(
            QueueDay(
                day=day,
                editorial=waiting[ReviewTask.Stage.EDITORIAL],
                medical=waiting[ReviewTask.Stage.MEDICAL],
            )
        )
    return history


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of ``values`` (``share`` 0.95 for the 95th).

    Nearest rank, not interpolation: the figure is always a time some item
    really waited. Empty ``values`` have no percentile (ValueError).
    """
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class DecisionTimes:
    """Hours from a step's start to its decision.

    One reviewer's, or everyone's at that step (``reviewer`` "").
    """

    stage: str
    reviewer: str
    decisions: int
    median_hours: float
    p95_hours: float

    @property
    def stage_label(self) -> str:
        return ReviewTask.Stage(self.stage).label


def _times(stage: str, reviewer: str, hours: list[float]) -> DecisionTimes:
    return DecisionTimes(
        stage=stage,
        reviewer=reviewer,
        decisions=len(hours),
        median_hours=round(statistics.median(hours), 1),
        p95_hours=round(percentile(hours, 0.95), 1),
    )


def review_decision_times(*, period: Period) -> list[DecisionTimes]:
    """Median and 95th-percentile hours to the editorial and to the medical decision.

    A decision is an approval or a request for changes made in the period;
    the time runs from the step's start (the item reached that reviewer's
    queue) to the decision. For each stage: everyone first (``reviewer`` ""),
    then each reviewer by public name. Two queries: the decisions, the names.
    """
    rows = list(
        _review_steps()
        .filter(status__in=DECISIONS, finished_at__gte=period.start, finished_at__lt=period.end)
        .values_list(STAGE_FIELD, "finished_by_id", "started_at", "finished_at")
    )
    by_reviewer: dict[tuple[str, int | None], list[float]] = defaultdict(list)
    for stage, reviewer_id, started, finished in rows:
        by_reviewer[(stage, reviewer_id)].append((finished - started).total_seconds() / 3600)
    ids = {reviewer_id for _stage, reviewer_id in by_reviewer if reviewer_id is not None}
    names = (
        {user.pk: user.public_name for user in get_user_model().objects.filter(pk__in=ids)}
        if ids
        else {}
    )
    result = []
    for stage in STAGES:
        everyone = [h for (s, _r), hours in by_reviewer.items() if s == stage for h in hours]
        if not everyone:
            continue
        result.append(_times(stage, "", everyone))
        reviewers = sorted(
            (names.get(reviewer_id, str(FORMER_REVIEWER)), hours)
            for (s, reviewer_id), hours in by_reviewer.items()
            if s == stage
        )
        result.extend(_times(stage, name, hours) for name, hours in reviewers)
    return result


@dataclass(frozen=True)
class ChangeRequests:
    """Requests for changes at one step: how many, and how many said why in a comment."""

    stage: str
    requests: int
    with_comment: int

    @property
    def stage_label(self) -> str:
        return ReviewTask.Stage(self.stage).label


def review_change_requests(*, period: Period) -> list[ChangeRequests]:
    """Requests for changes in the period, by step (editorial, medical).

    Kindred's reviewers give no reason code: the reason is the comment the
    author reads (``moderation.models.RequestChangesForm``). The report groups
    by the step and counts the requests that carry a comment. One query.
    """
    counts = {
        stage: (requests, with_comment)
        for stage, requests, with_comment in _review_steps()
        .filter(
            status=TaskState.STATUS_REJECTED,
            finished_at__gte=period.start,
            finished_at__lt=period.end,
        )
        .values_list(STAGE_FIELD)
        .annotate(requests=Count("pk"), with_comment=Count("pk", filter=~Q(comment="")))
        .values_list(STAGE_FIELD, "requests", "with_comment")
        .order_by()
    }
    return [ChangeRequests(stage, *counts.get(stage, (0, 0))) for stage in STAGES]


@dataclass(frozen=True)
class OverdueItem:
    """An item waiting longer than the service level, in a queue the viewer reviews."""

    page_id: int
    title: str
    stage: str
    since: datetime
    hours: int

    @property
    def stage_label(self) -> str:
        return ReviewTask.Stage(self.stage).label


@dataclass(frozen=True)
class OverdueReport:
    """The late items the viewer may review (titled), and how many others are late."""

    service_level_hours: int
    items: list[OverdueItem]
    late_by_stage: dict[str, int]
    others: int


def _waiting_steps() -> QuerySet[TaskState]:
    return _review_steps().filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        task__active=True,
    )


def review_overdue(
    *, user: AbstractUser, service_level_hours: int, now: datetime | None = None
) -> OverdueReport:
    """Items waiting for a step longer than ``service_level_hours``, longest first.

    Titles only of items in the viewer's own review queue
    (``moderation.selectors.review_queue``: their groups' steps, never their
    own pages), which they see there anyway; a Community manager, who reviews
    nothing, sees only how many are late at each step. Two queries.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=service_level_hours)
    late = _waiting_steps().filter(started_at__lt=cutoff)
    late_by_stage = dict(
        late.values_list(STAGE_FIELD)
        .annotate(n=Count("pk"))
        .values_list(STAGE_FIELD, "n")
        .order_by()
    )
    page = Page.objects.filter(pk=Cast(OuterRef("workflow_state__object_id"), IntegerField()))
    rows = (
        review_queue(user=user)
        .filter(started_at__lt=cutoff)
        .annotate(
            page_id=Subquery(page.values("pk")[:1]),
            page_title=Subquery(page.values("draft_title")[:1]),
        )
        .order_by("started_at", "pk")
        .values_list("page_id", "page_title", STAGE_FIELD, "started_at")[:OVERDUE_LIST_LIMIT]
    )
    items = [
        OverdueItem(
            page_id=page_id,
            title=title or "",
            stage=stage,
            since=started,
            hours=int((now - started).total_seconds() // 3600),
        )
        for page_id, title, stage, started in rows
        if page_id is not None
    ]
    total = sum(late_by_stage.get(stage, 0) for stage in STAGES)
    return OverdueReport(
        service_level_hours=service_level_hours,
        items=items,
        late_by_stage={stage: late_by_stage.get(stage, 0) for stage in STAGES},
        others=max(total - len(items), 0),
    )
