"""Run the background worker so that no task is lost when a worker dies.

``manage.py run_worker --backend background --queue-name '*'`` takes every
option of django-tasks' ``db_worker`` and adds a heartbeat thread: the worker
says it is alive every ``WORKER_HEARTBEAT_SECONDS`` and, at start and at every
beat, queues again the tasks that dead workers left running (see
``core.worker``). Run one or several; `make run` starts one.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

from django_tasks_db.management.commands import db_worker

from core.worker import tasks_requeue_stale, worker_heartbeat, worker_stopped

logger = logging.getLogger("core.worker")


class Command(db_worker.Command):
    help = "Run the background worker, with heartbeats and recovery of tasks dead workers left."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Autoreload would run the tasks in a child process the heartbeat does not see.
        parser.set_defaults(reload=False)

    def handle(self, *args, worker_id, **options):
        worker_heartbeat(worker_id=worker_id)
        tasks_requeue_stale()
        stop = threading.Event()
        beat = threading.Thread(
            target=self._beat, kwargs={"worker_id": worker_id, "stop": stop}, daemon=True
        )
        beat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            beat.join(timeout=settings.WORKER_HEARTBEAT_SECONDS + 5)
            worker_stopped(worker_id=worker_id)

    def _beat(self, *, worker_id, stop):
        try:
            while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    worker_heartbeat(worker_id=worker_id)
                    tasks_requeue_stale()
                except Exception:
                    # A busy or briefly unreachable database: try again next beat.
                    logger.exception("Worker heartbeat failed")
                    close_old_connections()
        finally:
            connection.close()
