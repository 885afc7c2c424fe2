"""Helpers for tests of concurrent writers and of the background worker."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

import pytest

# Races need a database that runs transactions concurrently with row locks:
# SQLite serialises every writer on a file lock (and ignores SELECT ... FOR
# UPDATE), so it can neither show a race nor prove a lock. CI runs the suite
# on PostgreSQL, where these run.
needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (row locks and concurrent writers); CI runs it there. "
    'Locally: export DATABASE_URL="$(scripts/postgres start)"',
)


def run_together(count, work):
    """Run ``work(number)`` in ``count`` threads released at the same instant."""
    start = threading.Barrier(count)

    def task(number):
        start.wait()
        try:
            return work(number)
        finally:
            # Each thread opened its own connection; give it back.
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(task, range(count)))


# The "background" task backend as deployed (the test settings run it at once);
# use with ``pytest.mark.django_db(transaction=True)``: the worker takes its
# own transactions.
DATABASE_BACKGROUND = override_settings(
    TASKS={
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
)


def run_background_worker():
    """Run ``manage.py db_worker`` on the "background" queue until it is empty, as deployed."""
    call_command(
        "db_worker",
        "--backend=background",
        "--queue-name=*",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )
