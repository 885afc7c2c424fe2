"""Keeping background tasks alive across worker deaths (``manage.py run_worker``).

django-tasks' database worker marks a task "running" when it takes it and
"successful" or "failed" when it ends; it has no heartbeat and no timeout, so
a task whose worker was killed stays "running" for ever and nobody runs it.
``run_worker`` wraps ``db_worker``: it writes a ``WorkerHeartbeat`` every
``WORKER_HEARTBEAT_SECONDS`` and, when it starts and at every beat, queues
again the tasks left running by workers not seen for ``WORKER_STALE_AFTER``
seconds (``tasks_requeue_stale``). A task is never taken from a live worker,
however long it runs.

Every background task must therefore be safe to run twice: email goes
through the outbox (``core.mail``, keyed), notifications replace their
unread twin, and the search-engine updates write the current state.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import OutboundEmail, WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_LOST = "core.worker.WorkerLost"


def worker_heartbeat(*, worker_id):
    """Record that worker ``worker_id`` (this process) is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "pid": os.getpid(), "host": socket.gethostname()},
    )


def worker_stopped(*, worker_id):
    """Forget a worker that stopped cleanly (its tasks ended before it did)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_requeue_stale(*, now=None):
    """Queue again the tasks left running by dead workers; returns ``(requeued, failed)``.

    A worker is dead when its last heartbeat is older than
    ``WORKER_STALE_AFTER`` seconds (or it never wrote one, e.g. a plain
    ``db_worker``, and the task started longer ago than that). A task that
    has already lost ``WORKER_MAX_LOSSES`` workers is marked failed instead:
    it may be what kills them. An email it was sending is marked failed too.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.WORKER_STALE_AFTER)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=stale_before).values_list(
            "worker_id", flat=True
        )
    )
    requeued = failed = 0
    running = DBTaskResult.objects.running().filter(started_at__lt=stale_before)
    for result in running.only("id", "worker_ids", "started_at", "task_path"):
        holder = result.worker_ids[-1] if result.worker_ids else None
        if holder in alive:
            continue
        with transaction.atomic():
            # Only if it is still the same run: another worker may have just
            # requeued it, or its own worker finished it after all.
            still = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            )
            if len(result.worker_ids) >= settings.WORKER_MAX_LOSSES:
                message = (
                    f"The worker running this task stopped without finishing it "
                    f"{len(result.worker_ids)} times (workers {', '.join(result.worker_ids)}); "
                    "it is not run again."
                )
                if still.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=WORKER_LOST,
                    traceback=message,
                ):
                    OutboundEmail.objects.filter(
                        task_id=str(result.pk), status=OutboundEmail.Status.SENDING
                    ).update(status=OutboundEmail.Status.FAILED, last_error=message)
                    failed += 1
                    logger.error("Task %s (%s): %s", result.pk, result.task_path, message)
                continue
            if still.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning(
                    "Task %s (%s) was left running by worker %s, which stopped; queued again",
                    result.pk,
                    result.task_path,
                    holder,
                )
    # Old heartbeats of dead workers are no longer needed to judge anything.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued, failed
