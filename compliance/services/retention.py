"""Retention (issue 16): records past their period are deleted, a bounded batch at a time.

The periods are ``audit.models.RetentionSettings`` (Settings › Retention). Run
daily by ``manage.py enforce_retention``; each kind has its own function so that
a test (or an operator in a shell) can run one. Every deletion goes by primary
key in batches of ``BATCH_SIZE``: one ``DELETE`` never holds a big table's locks
for long, and a run interrupted halfway leaves nothing half-done (the next run
continues). Running twice deletes nothing the second time.

A row is "older than N days" when its time is before ``now - N days`` (its day
before ``today - N days`` for the logs kept per day): a row exactly on the
boundary stays one more day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.log_actions import log

from django_tasks_db.models import DBTaskResult

from audit.models import AccessRecord, RetentionSettings
from audit.trail_hooks import RETENTION_RUN
from compliance.services.exports import exports_expire
from core.models import OutboundEmail
from search.models import ZeroResultQueryDay
from sharing.models import ShareCount

# Rows deleted per statement.
BATCH_SIZE = 1000


@dataclass
class RetentionOutcome:
    """What one run deleted, counted by kind (the command prints it, the log keeps it)."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def delete_in_batches(queryset: QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    """Delete every row of ``queryset``, ``batch_size`` primary keys per statement; return how many.

    Each batch is its own transaction, so locks last one batch. The query is
    asked again for each batch: rows that stopped matching meanwhile stay.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    model: type[Model] = queryset.model
    deleted = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        with transaction.atomic():
            model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def access_log_enforce(*, days: int, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Delete records of staff opening members' data older than ``days``; return how many."""
    cutoff = now - timedelta(days=days)
    return delete_in_batches(AccessRecord.objects.filter(at__lt=cutoff), batch_size=batch_size)


def search_query_log_enforce(*, days: int, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Delete the query log's days older than ``days``, then queries left without any; return
    how many rows went.

    The daily counts are Wagtail's ``QueryDailyHits`` (popular searches) and
    ``search.models.ZeroResultQueryDay`` (searches without results). A query
    string with no counted day left and no promoted result goes too: kept, it
    would still say that someone once searched for it. This replaces Wagtail's
    ``searchpromotions_garbage_collect`` (whose period is a setting in code).
    """
    first_kept = _today(now) - timedelta(days=days)
    deleted = delete_in_batches(
        QueryDailyHits.objects.filter(date__lt=first_kept), batch_size=batch_size
    )
    deleted += delete_in_batches(
        ZeroResultQueryDay.objects.filter(date__lt=first_kept), batch_size=batch_size
    )
    unused = Query.objects.filter(
        daily_hits__isnull=True, zero_result_days__isnull=True, editors_picks__isnull=True
    )
    deleted += delete_in_batches(unused, batch_size=batch_size)
    return deleted


def share_log_enforce(*, days: int, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Delete the share log's daily counts older than ``days``; return how many."""
    first_kept = _today(now) - timedelta(days=days)
    return delete_in_batches(ShareCount.objects.filter(day__lt=first_kept), batch_size=batch_size)


def finished_tasks_enforce(*, days: int, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Delete background tasks that succeeded or failed more than ``days`` ago; return how many.

    Waiting and running tasks are never touched, whatever their age: a task
    that waits long is someone's work still to do (``core.worker`` requeues the
    stale running ones).
    """
    cutoff = now - timedelta(days=days)
    finished = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    return delete_in_batches(finished, batch_size=batch_size)


def sent_emails_enforce(*, days: int, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Delete outbox emails sent more than ``days`` ago; return how many.

    Their recipients, subjects and bodies are personal data; once delivered
    the outbox does not need them. Queued, sending and failed ones stay (an
    administrator looks at the failed ones).
    """
    cutoff = now - timedelta(days=days)
    sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff)
    return delete_in_batches(sent, batch_size=batch_size)


def retention_enforce(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> RetentionOutcome:
    """Delete every kind of record past its period in ``RetentionSettings``, expire members'
    exports past their 24 hours, and log one ``kindred.retention.run`` with the counts.

    The run is in the audit trail (area "Data rights") even when it deleted
    nothing: that it ran is what an inspector asks first. Counts only, no
    content, go into the log.
    """
    now = now or timezone.now()
    settings = RetentionSettings.load()
    outcome = RetentionOutcome()
    kinds = (
        ("access_log", access_log_enforce, settings.access_log_days),
        ("search_query_log", search_query_log_enforce, settings.search_query_days),
        ("share_log", share_log_enforce, settings.share_log_days),
        ("finished_tasks", finished_tasks_enforce, settings.finished_task_days),
        ("sent_emails", sent_emails_enforce, settings.sent_email_days),
    )
    for name, enforce, days in kinds:
        outcome.counts[name] = enforce(days=days, now=now, batch_size=batch_size)
    # Members' data exports past their 24 hours: one daily command keeps every period.
    outcome.counts["exports_expired"] = exports_expire(now=now)
    log(
        instance=settings,
        action=RETENTION_RUN,
        user=None,
        data={"counts": dict(outcome.counts), "at": now.isoformat()},
    )
    return outcome
