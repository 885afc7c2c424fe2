"""The email outbox and the worker's recovery, in this process (test_mail_delivery: real processes).

A producer task run twice queues one email; a permanent refusal fails at once
with the error logged and listed for administrators, and can be queued again;
a task left running by a dead worker is queued again, never one of a live
worker, and a task that lost too many workers is failed with its email.
"""

import asyncio
import logging
import threading
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult

from core.models import OutboundEmail, WorkerHeartbeat
from core.worker import tasks_requeue_stale, worker_heartbeat
from discussion.notifications import send_reply_notifications
from tests.concurrency import DATABASE_BACKGROUND, free_port, run_background_worker
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, UserFactory


@pytest.fixture
def reply(blog_index):
    post = BlogPageFactory(parent=blog_index, title="Pacing my energy")
    starter = with_consent(UserFactory(group="Members", display_name="Starter Sam"))
    replier = with_consent(UserFactory(group="Members", display_name="Replying Rae"))
    root = add_comment(post, starter, "Does heat make it worse for you?")
    return add_comment(post, replier, "Yes, every summer.", parent=root)


def test_a_reply_task_run_twice_sends_one_email(reply):
    # As after a worker died with the task half done and the next one ran it again.
    send_reply_notifications.call(reply.pk)
    send_reply_notifications.call(reply.pk)

    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


class Refusing:
    """An SMTP server that refuses every message for good (550), or accepts once told."""

    def __init__(self):
        self.accept = threading.Event()
        self.accepted = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0)
        if not self.accept.is_set():
            return "550 5.1.1 Mailbox unavailable"
        self.accepted.append(envelope.rcpt_tos)
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_a_permanent_refusal_fails_at_once_is_logged_and_can_be_queued_again(reply, caplog):
    handler = Refusing()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=10,
    )
    try:
        with DATABASE_BACKGROUND, smtp, caplog.at_level(logging.ERROR, logger="core.mail"):
            send_reply_notifications.enqueue(reply.pk)
            run_background_worker()

            outbound = OutboundEmail.objects.get()
            assert outbound.status == OutboundEmail.Status.FAILED
            assert outbound.attempts == 1
            assert "550" in outbound.last_error
            assert f"Email {outbound.pk}" in caplog.text and "not retried" in caplog.text

            handler.accept.set()
            call_command("retry_failed_emails", verbosity=0)
            run_background_worker()
    finally:
        controller.stop()

    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert handler.accepted == [[outbound.to]]


def _running_task(*, worker_ids, started_ago):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [0], "kwargs": {}},
        task_path="core.mail.email_deliver",
        backend_name="background",
        run_after=timezone.now() - timedelta(hours=1),
        status="RUNNING",
        worker_ids=worker_ids,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - started_ago)
    return task


@override_settings(WORKER_STALE_AFTER=60, WORKER_MAX_LOSSES=3)
def test_only_tasks_of_dead_workers_are_queued_again(db):
    worker_heartbeat(worker_id="alive")
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=timezone.now() - timedelta(minutes=5))
    long_but_alive = _running_task(worker_ids=["alive"], started_ago=timedelta(hours=2))
    of_the_dead = _running_task(worker_ids=["dead"], started_ago=timedelta(minutes=6))
    never_beat = _running_task(worker_ids=["plain"], started_ago=timedelta(minutes=6))
    just_started = _running_task(worker_ids=["unknown"], started_ago=timedelta(seconds=5))

    assert tasks_requeue_stale() == (2, 0)

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[long_but_alive.pk] == "RUNNING"
    assert statuses[of_the_dead.pk] == "READY"
    assert statuses[never_beat.pk] == "READY"
    assert statuses[just_started.pk] == "RUNNING"
    # Run again: nothing more to do.
    assert tasks_requeue_stale() == (0, 0)


@override_settings(WORKER_STALE_AFTER=60, WORKER_MAX_LOSSES=3)
def test_a_task_that_lost_three_workers_fails_with_its_email(db):
    task = _running_task(worker_ids=["a", "b", "c"], started_ago=timedelta(minutes=6))
    email = OutboundEmail.objects.create(
        key="k", message={}, to="sam@example.com", subject="Hi", status="sending", task_id=task.pk
    )

    assert tasks_requeue_stale() == (0, 1)

    task.refresh_from_db()
    email.refresh_from_db()
    assert task.status == "FAILED" and "3 times" in task.traceback
    assert email.status == OutboundEmail.Status.FAILED and "3 times" in email.last_error


def test_administrators_see_failed_emails_first_and_others_do_not(
    client, superuser, editor, django_assert_max_num_queries
):
    OutboundEmail.objects.create(
        key="sent",
        message={},
        to="a@example.com",
        subject="Fine",
        status="sent",
        sent_at=timezone.now(),
    )
    for number in range(5):
        OutboundEmail.objects.create(
            key=f"failed-{number}",
            message={},
            to="<script>alert(1)</script>@example.com",
            subject=f"Refused {number}",
            status="failed",
            last_error="SMTPRecipientsRefused: 550 Mailbox unavailable",
        )
    url = reverse("kindred_mail:report")

    client.force_login(editor)
    assert client.get(url).status_code in {302, 403}

    client.force_login(superuser)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "550 Mailbox unavailable" in html
    assert html.index("Refused 4") < html.index("Fine")
    assert "<script>alert(1)</script>" not in html
