"""What the background worker needs to lose nothing: the email outbox and the workers' heartbeats.

See ``core.mail`` (queueing and delivering email) and ``core.worker``
(``manage.py run_worker``: heartbeats and the recovery of tasks whose worker died).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


class OutboundEmail(models.Model):
    """One email to send, stored before it is sent and marked when it went out.

    ``key`` names what the email is about (for example one reply to one
    recipient): a producer task that runs again after its worker died finds the
    row and queues nothing twice. The delivery task claims a row (``sending``)
    before it talks to the mail server and marks it ``sent`` after, so a second
    delivery task for the same row sends nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Queued")
        SENDING = "sending", gettext_lazy("Sending")
        SENT = "sent", gettext_lazy("Sent")
        FAILED = "failed", gettext_lazy("Failed")

    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The message as Django's EmailMessage takes it (to, subject, body, headers, ...).
    message = models.JSONField()
    to = models.TextField(help_text=gettext_lazy("The recipients, for the admin list."))
    subject = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # The background task (DBTaskResult id) that holds a ``sending`` row: only
    # that task, run again after its worker died, may take the row over.
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = gettext_lazy("outbound email")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="portal_outbound_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]),
                name="portal_outboundemail_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="portal_outboundemail_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.status})"


class WorkerHeartbeat(models.Model):
    """A running ``manage.py run_worker`` process says it is alive every few seconds.

    A task left "running" by a worker whose heartbeat stopped (killed, host
    lost) is queued again by the next worker (``core.worker.tasks_requeue_stale``).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)
    pid = models.PositiveIntegerField(null=True)
    host = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = gettext_lazy("worker heartbeat")

    def __str__(self):
        return f"worker {self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
