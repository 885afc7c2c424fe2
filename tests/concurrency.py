"""Helpers for tests of concurrent writers and of the background worker."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

import pytest

from core.refusals import Refused

# Races need a database that runs transactions concurrently with row locks:
# SQLite serialises every writer on a file lock (and ignores SELECT ... FOR
# UPDATE), so it can neither show a race nor prove a lock. CI runs the suite
# on PostgreSQL, where these run.
needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (row locks and concurrent writers); CI runs it there. "
    'Locally: export DATABASE_URL="$(scripts/postgres start)"',
)


def outcome(call):
    """What a racing call ended with: its result, or the refusal (anything else fails the test)."""
    try:
        return call()
    except Refused as refusal:
        return refusal


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


# --- A served copy of the test database: a real web server and the real worker ---
#
# The suite's SQLite database lives in memory, where another process cannot
# reach it. These helpers copy it (schema and committed rows) into a file,
# serve that file with `manage.py runserver` and `manage.py db_worker` as
# `make run` does, in their own processes, and copy the file back so a test
# reads the outcome with the ORM. Use with ``pytest.mark.django_db(transaction=True)``.

ROOT = Path(__file__).resolve().parent.parent
SERVE_TIMEOUT = 60


def sqlite_copy_to_file(path):
    """Write the test database, with everything committed so far, to the SQLite file ``path``."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def sqlite_copy_from_file(path):
    """Replace the test database's contents with the SQLite file ``path``'s."""
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def served_environment(*, database, workdir, base_url):
    """The environment `make run` gives its processes, pointed at ``database`` (a file).

    The development settings, as `make run` uses; the test's secret key so the
    sessions made here are valid there; nothing of the caller's engine or
    database settings (a search engine named by SEARCH_URL must not be touched).
    """
    keep = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "SEARCH_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND"}
        # A developer's Redis (issue 17) is theirs: the served copy keeps its own cache.
        | {"REDIS_URL", "CACHE_URL", "PAGE_CACHE_URL"}
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": settings.SECRET_KEY,
        "CACHE_DIR": str(Path(workdir) / "cache"),
        "PAGE_CACHE_DIR": str(Path(workdir) / "page-cache"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "KINDRED_BASE_URL": base_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def manage_py(*args, env, log):
    """Run ``manage.py *args`` in the background until the block ends; output goes to ``log``."""
    with open(log, "wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until(check, *, what, processes=(), timeout=SERVE_TIMEOUT, interval=0.2):
    """Call ``check()`` until it answers something true, or fail naming ``what``.

    Fails at once if one of ``processes`` (from ``manage_py``) has stopped.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        for process in processes:
            if process.poll() is not None:
                log = Path(process.log).read_text(errors="replace")[-3000:]
                pytest.fail(
                    f"{' '.join(process.args[2:])} stopped while waiting for {what}:\n{log}"
                )
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


def queued_tasks_left(database):
    """How many background tasks in the SQLite file ``database`` are not finished yet."""
    from django_tasks_db.models import DBTaskResult

    with closing(sqlite3.connect(database, timeout=30)) as db:
        (count,) = db.execute(
            f"SELECT count(*) FROM {DBTaskResult._meta.db_table}"  # noqa: S608 (a model's table)
            " WHERE status IN ('READY', 'RUNNING')"
        ).fetchone()
    return count
