"""A member's requests under their data rights: a copy of their data, and erasure.

Both are worked by background tasks (``compliance.tasks``) that carry the
request's id, never the data. The rows stay after the work as the
organisation's record that the request was met (the erased account is a
pseudonym by then).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class DataExport(models.Model):
    """One "Download my data": the archive, and the single use of its link.

    The link is signed and names this row; it works once (``downloaded_at``)
    and for 24 hours after the archive is ready (``expires_at``). The archive
    lives in private storage, never under MEDIA_URL.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready to download"
        DOWNLOADED = "downloaded", "Downloaded"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # Relative to the private export storage (compliance.exports); blank until ready
    # and again once the archive is deleted (downloaded, expired, or the account erased).
    archive_name = models.CharField(max_length=200, blank=True)
    archive_size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One export in preparation per member: a double click queues one job.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="compliance_export_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "ready", "downloaded", "expired", "failed"]),
                name="compliance_export_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(ready_at__isnull=False),
                name="compliance_export_expires_only_when_ready",
            ),
        ]

    def __str__(self):
        return f"Export {self.pk} ({self.get_status_display()})"


class ErasureRequest(models.Model):
    """One "Delete my account": requested, waiting 7 days, then done or cancelled.

    Signing in during the wait cancels it. The member chooses whether their
    published items are removed or kept without their name. After the
    erasure the row remains, pointing at the pseudonymous account, as proof
    that the request was met and when.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        CANCELLED = "cancelled", "Cancelled"
        DONE = "done", "Done"

    class Published(models.TextChoices):
        REMOVE = "remove", "Remove them"
        KEEP_ANONYMOUS = "keep", "Keep them without my name"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    published_items = models.CharField(
        max_length=8, choices=Published.choices, default=Published.REMOVE
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # When the erasure runs: 7 days after the request (compliance.erasure.WAIT).
    due_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # What the erasure removed and anonymised, counted by kind, for the receipt and
    # the audit trail: {"comments": 4, "ratings": 2, ...}. Counts only, no content.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="compliance_erasure_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled", "done"]),
                name="compliance_erasure_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(published_items__in=["remove", "keep"]),
                name="compliance_erasure_published_valid",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("requested_at")),
                name="compliance_erasure_due_after_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="compliance_erasure_due")]

    def __str__(self):
        return f"Erasure {self.pk} ({self.get_status_display()})"
