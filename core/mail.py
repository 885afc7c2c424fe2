"""The email outbox: every background email is stored, then sent exactly once, eventually.

A task that decides someone gets an email calls ``email_queue`` with the
message and a key naming what it is about (one reply to one member, one
review decision, one digest). That stores an ``OutboundEmail`` row and queues
``email_deliver`` in the same transaction: the email exists if and only if the
work that decided it was committed, and a producer task that runs again (its
worker was killed) finds the key taken and queues nothing twice.

``email_deliver`` claims the row (``sending``) before it talks to the mail
server and marks it ``sent`` after. While the server is down or answers "try
later" the row goes back to ``queued`` and the task is queued again with a
growing delay (``settings.EMAIL_RETRY_DELAYS``); after the last one, or on a
permanent refusal, the row is ``failed`` with the error, logged at ERROR and
listed for administrators (Reports › Email delivery in the admin).

A worker killed in the middle of sending leaves its task "running": the next
worker queues it again (``core.worker``), and only that same task may take
the ``sending`` row over. Should the server have accepted the message in the
instant before the kill, it is sent a second time with the same Message-ID,
which mail programs use to show it once.
"""

import hashlib
import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from allauth.account.models import EmailAddress
from django_tasks import TaskContext, task

from core.models import OutboundEmail

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status


class PermanentDeliveryError(Exception):
    """The mail server refused every recipient for good (5xx): retrying cannot help."""


def primary_email(user: AbstractBaseUser) -> str:
    """The address allauth sends ``user``'s mail to (their primary one), or ``""``.

    Here, with the outbox, rather than in accounts: every feature that emails a
    member asks it, and the core imports no Kindred app.
    """
    address = EmailAddress.objects.filter(user=user, primary=True).first()
    return address.email if address else user.email


def message_id_for(key: str) -> str:
    """A Message-ID that is the same for every attempt at the email named ``key``."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "kindred.invalid"
    return f"<{digest}@{domain}>"


def _serialise(message):
    if message.attachments:
        # Kindred sends none; storing files in the outbox would need more than JSON.
        raise ValueError("The email outbox does not take attachments.")
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
    }


def _deserialise(data):
    return EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )


def email_queue(*, message: EmailMessage, key: str) -> OutboundEmail | None:
    """Store ``message`` (an ``EmailMessage``) under ``key`` and queue its delivery.

    Returns the new ``OutboundEmail``, or None if an email with this key was
    queued before (the caller ran again) or the message has no recipient.
    Call it inside the transaction that records the email as decided (for
    example a notification marked emailed): both commit, or neither.
    """
    recipients = [address for address in message.recipients() if address]
    if not recipients:
        return None
    data = _serialise(message)
    data["headers"].setdefault("Message-ID", message_id_for(key))
    with transaction.atomic():
        outbound, created = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={
                "message": data,
                "to": ", ".join(recipients),
                "subject": message.subject,
            },
        )
        if not created:
            return None
        # Enqueued inside the transaction, not on commit: the task row is
        # written with the email row, so one never exists without the other.
        email_deliver.enqueue(outbound.pk)
    return outbound


def _retry_delay(attempts):
    """Seconds to wait after failed attempt number ``attempts``, or None after the last."""
    delays = settings.EMAIL_RETRY_DELAYS
    return delays[attempts - 1] if attempts <= len(delays) else None


def _is_permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPServerDisconnected)
    return isinstance(error, PermanentDeliveryError)


def _describe(error):
    return f"{error.__class__.__name__}: {error}"[:2000]


def _claim(*, outbound_id, task_id):
    """Mark the row ``sending`` for this task; False if another task has it or it is done."""
    return (
        OutboundEmail.objects.filter(pk=outbound_id)
        .filter(Q(status=Status.QUEUED) | Q(status=Status.SENDING, task_id=task_id))
        .update(
            status=Status.SENDING,
            task_id=task_id,
            attempts=F("attempts") + 1,
            last_attempt_at=timezone.now(),
            next_attempt_at=None,
        )
        == 1
    )


@task(backend="background", takes_context=True)
def email_deliver(context: TaskContext, outbound_id: int) -> str:
    """Send one stored email (see the module docstring); returns what happened."""
    task_id = str(context.task_result.id)
    if not _claim(outbound_id=outbound_id, task_id=task_id):
        return "skipped"
    outbound = OutboundEmail.objects.get(pk=outbound_id)
    try:
        with get_connection(fail_silently=False) as connection:
            sent = connection.send_messages([_deserialise(outbound.message)])
        if not sent:
            raise PermanentDeliveryError("The email backend sent nothing.")
    except Exception as error:  # noqa: BLE001 (every failure is recorded and retried or failed)
        return _after_failure(outbound=outbound, error=error, task_id=task_id)
    OutboundEmail.objects.filter(pk=outbound_id, task_id=task_id).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _after_failure(*, outbound, error, task_id):
    delay = None if _is_permanent(error) else _retry_delay(outbound.attempts)
    if not email_deliver.get_backend().supports_defer:
        # A backend that runs tasks at once (the test settings) cannot wait.
        delay = None
    if delay is None:
        OutboundEmail.objects.filter(pk=outbound.pk, task_id=task_id).update(
            status=Status.FAILED, last_error=_describe(error)
        )
        logger.error(
            "Email %s (%r to %s) failed after %d attempt(s), not retried: %s",
            outbound.pk,
            outbound.subject,
            outbound.to,
            outbound.attempts,
            _describe(error),
        )
        return "failed"
    next_attempt_at = timezone.now() + timedelta(seconds=delay)
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=outbound.pk, task_id=task_id).update(
            status=Status.QUEUED, next_attempt_at=next_attempt_at, last_error=_describe(error)
        )
        email_deliver.using(run_after=next_attempt_at).enqueue(outbound.pk)
    logger.warning(
        "Email %s not delivered on attempt %d (%s); next attempt in %d s",
        outbound.pk,
        outbound.attempts,
        _describe(error),
        delay,
    )
    return "retry"


def email_retry(*, outbound_ids: Iterable[int]) -> int:
    """Queue failed emails again, once the cause is fixed; returns how many."""
    queued = 0
    for outbound_id in outbound_ids:
        with transaction.atomic():
            if OutboundEmail.objects.filter(pk=outbound_id, status=Status.FAILED).update(
                status=Status.QUEUED, attempts=0, next_attempt_at=None
            ):
                email_deliver.enqueue(outbound_id)
                queued += 1
    return queued
