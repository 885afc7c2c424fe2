"""No lost emails, none sent twice: a worker killed mid-send, and a mail server that is down.

A reply in a thread is queued for the background worker as a member's post
would queue it. The worker (`manage.py run_worker`, as `make run` starts it)
runs in its own process on the test database (a file copy for SQLite, the test
database itself for PostgreSQL) and sends through the SMTP backend to a real
SMTP server (aiosmtpd) on a free port of this machine:

- the server holds the message without answering, the worker is killed with
  SIGKILL in the middle of sending, and a new worker sends it, once;
- the server is stopped, delivery fails and is tried again with growing
  delays, the server comes back and the email arrives, once.
"""

import asyncio
import email
import signal
import sqlite3
import threading
from contextlib import closing, contextmanager
from urllib.parse import quote

from django.conf import settings
from django.db import connection

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult

from core.mail import message_id_for
from core.models import OutboundEmail
from discussion.notifications import reply_notify
from tests.concurrency import (
    DATABASE_BACKGROUND,
    free_port,
    manage_py,
    served_environment,
    sqlite_copy_to_file,
    wait_until,
)
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
TIMEOUT = 30
# Seconds before delivery attempts 2, 3, 4... in the worker under test.
RETRY_DELAYS = (1, 2, 4, 8)


class Mailbox:
    """An aiosmtpd handler that keeps what it accepted; while ``hold`` is set it
    takes the message but does not answer (a stalled server), and then refuses it."""

    def __init__(self):
        self.accepted = []
        self.hold = threading.Event()
        self.holding = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.hold.is_set():
            self.holding.set()
            while self.hold.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        self.accepted.append(email.message_from_bytes(envelope.content))
        return "250 2.0.0 OK"


@contextmanager
def smtp_server(mailbox, port):
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop(no_assert=True)


@pytest.fixture
def queued_reply(blog_index, django_capture_on_commit_callbacks):
    """A reply whose notices and email are queued for the worker: ``(starter, reply)``."""
    post = BlogPageFactory(parent=blog_index, title="Pacing my energy")
    starter = with_consent(UserFactory(group="Members", display_name="Starter Sam"))
    replier = with_consent(UserFactory(group="Members", display_name="Replying Rae"))
    root = add_comment(post, starter, "Does heat make it worse for you?")
    with DATABASE_BACKGROUND, django_capture_on_commit_callbacks(execute=True):
        reply = add_comment(post, replier, "Yes, every summer.", parent=root)
        reply_notify(reply)
    assert DBTaskResult.objects.filter(task_path__endswith="send_reply_notifications").count() == 1
    return starter, reply


class Database:
    """The test database as the worker processes see it, and reads of it from here."""

    def __init__(self, tmp_path):
        if SQLITE:
            # The suite's SQLite database is in memory: the worker gets a file copy.
            self.file = tmp_path / "kindred.sqlite3"
            sqlite_copy_to_file(self.file)
            self.url = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            self.file = None
            # PostgreSQL: the workers use the test database itself (the test
            # commits its set-up; its reads see the workers' commits).
            self.url = (
                f"postgres://{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}"
                f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
            )

    def rows(self, sql):
        if self.file:
            with closing(sqlite3.connect(self.file, timeout=30)) as db:
                return db.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def outbox(self):
        """``[(status, attempts, last_error)]`` of the stored emails."""
        return self.rows(
            f"SELECT status, attempts, last_error FROM {OutboundEmail._meta.db_table}"  # noqa: S608
            " ORDER BY id"
        )

    def email(self):
        """The one stored email's ``(status, attempts, last_error)``, or None before it exists."""
        rows = self.outbox()
        return rows[0] if rows else None

    def tasks(self, name):
        """``[(status, seconds deferred)]`` of the tasks ``name``, oldest first."""
        rows = self.rows(
            f"SELECT status, enqueued_at, run_after FROM {DBTaskResult._meta.db_table}"  # noqa: S608
            f" WHERE task_path LIKE '%.{name}' ORDER BY enqueued_at"
        )
        return [(status, _deferred(enqueued, run_after)) for status, enqueued, run_after in rows]


def _deferred(enqueued_at, run_after):
    """Seconds between enqueueing and ``run_after`` (None when not deferred)."""
    from datetime import datetime

    def parse(value):
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)

    enqueued, after = parse(enqueued_at), parse(run_after)
    if after.year == 9999:
        return None
    return (after - enqueued).total_seconds()


def _worker(database, tmp_path, *, smtp_port, name):
    env = served_environment(
        database=tmp_path / "unused.sqlite3", workdir=tmp_path, base_url="http://127.0.0.1:8000"
    )
    env.update(
        DATABASE_URL=database.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="60",
        EMAIL_RETRY_DELAYS=",".join(str(delay) for delay in RETRY_DELAYS),
        WORKER_HEARTBEAT_SECONDS="0.5",
        WORKER_STALE_AFTER="2",
    )
    return manage_py(
        "run_worker",
        "--backend",
        "background",
        "--queue-name",
        "*",
        "--interval",
        "0.2",
        "--no-startup-delay",
        env=env,
        log=tmp_path / f"{name}.log",
    )


def _reply_emails(mailbox, starter):
    return [message for message in mailbox.accepted if message["To"] == starter.email]


def test_a_worker_killed_while_sending_leaves_the_email_to_the_next_worker_which_sends_it_once(
    queued_reply, tmp_path
):
    starter, reply = queued_reply
    database = Database(tmp_path)
    mailbox = Mailbox()
    mailbox.hold.set()
    port = free_port()

    with smtp_server(mailbox, port):
        with _worker(database, tmp_path, smtp_port=port, name="killed") as worker:
            # The worker has the message on the wire and waits for the server's answer.
            wait_until(
                mailbox.holding.is_set,
                what="the worker to send",
                processes=[worker],
                timeout=TIMEOUT,
            )
            assert database.outbox() == [("sending", 1, "")]
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=TIMEOUT)
        # What django-tasks leaves behind: a task "running" for ever.
        assert database.tasks("email_deliver") == [("RUNNING", None)]
        assert mailbox.accepted == []
        mailbox.hold.clear()

        with _worker(database, tmp_path, smtp_port=port, name="next") as worker:
            wait_until(
                lambda: (database.email() or ("",))[0] == "sent",
                what="the next worker to send the email",
                processes=[worker],
                timeout=TIMEOUT,
            )

    (message,) = _reply_emails(mailbox, starter)
    assert "Yes, every summer." in message.get_payload()
    assert message["Message-ID"] == message_id_for(f"reply:{reply.pk}:{starter.pk}")
    assert mailbox.accepted == [message]
    # The same task, queued again, on its second worker; one email row.
    assert database.outbox() == [("sent", 2, "")]
    assert database.tasks("email_deliver") == [("SUCCESSFUL", None)]
    assert database.tasks("send_reply_notifications") == [("SUCCESSFUL", None)]
    assert "queued again" in (tmp_path / "next.log").read_text()


def test_while_the_mail_server_is_down_delivery_is_retried_with_growing_delays_then_sent_once(
    queued_reply, tmp_path
):
    starter, reply = queued_reply
    database = Database(tmp_path)
    mailbox = Mailbox()
    port = free_port()
    with smtp_server(mailbox, port):
        pass  # it served on this port; now it is down

    with _worker(database, tmp_path, smtp_port=port, name="worker") as worker:
        wait_until(
            lambda: (database.email() or (0, 0))[1] >= 2,
            what="two failed attempts",
            processes=[worker],
            timeout=TIMEOUT,
        )
        status, attempts, error = database.email()
        assert status in {"queued", "sending"}
        assert mailbox.accepted == []
        with smtp_server(mailbox, port):
            wait_until(
                lambda: (database.email() or ("",))[0] == "sent",
                what="the email once the server is back",
                processes=[worker],
                timeout=TIMEOUT,
            )

    (message,) = _reply_emails(mailbox, starter)
    assert mailbox.accepted == [message]
    assert message["Message-ID"] == message_id_for(f"reply:{reply.pk}:{starter.pk}")
    ((status, attempts, error),) = database.outbox()
    assert status == "sent" and attempts >= 3 and error == ""
    # Each failed attempt queued the next one later than the one before.
    deliveries = database.tasks("email_deliver")
    assert [status for status, _ in deliveries] == ["SUCCESSFUL"] * attempts
    delays = [deferred for _, deferred in deliveries]
    assert delays[0] is None
    # (run_after is reckoned a moment before the row's enqueued_at is stamped)
    for deferred, expected in zip(delays[1:], RETRY_DELAYS, strict=False):
        assert expected - 0.5 < deferred <= expected
    assert "Connection refused" in (tmp_path / "worker.log").read_text()
