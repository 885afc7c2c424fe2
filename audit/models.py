"""The access log: every time staff open a member's non-public data (issue 16).

A row says who (and in which role) opened what of whose, when and why. The
member reads theirs at /me/access/; administrators export them all. A row
names the object by a reference (``page:12``, ``comment:7``), never by its
title or text: the log must not become a second copy of what it protects,
and an erasure must not have to rewrite it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessWhat(models.TextChoices):
    """What of the member's was opened, as the member is told it."""

    DRAFT = "draft", "A draft of yours"
    IN_REVIEW = "in_review", "An item of yours in review"
    PRIVATE_PROFILE = "private_profile", "Your profile, which is not public"
    HELD_COMMENT = "held_comment", "A comment of yours held for moderation"
    SAFETY_CASE = "safety_case", "A safety case about something you wrote"
    ACCOUNT = "account", "Your account in the admin"
    EXPORT = "export", "A copy of your data"


class AccessPurpose(models.TextChoices):
    """Why: the work the role was doing."""

    REVIEW = "review", "Review"
    MODERATION = "moderation", "Moderation"
    SAFETY = "safety", "Safety"
    SUPPORT = "support", "Support"


class AccessRecord(models.Model):
    """One opening of one member's non-public data by a member of staff."""

    What = AccessWhat
    Purpose = AccessPurpose

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accesses_to_my_data",
        help_text="The member whose data was opened.",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who opened it.",
    )
    # The role at the time, kept as text: a later change of groups must not
    # rewrite history.
    viewer_role = models.CharField(max_length=64)
    what = models.CharField(max_length=20, choices=What.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # "page:12", "comment:7", "case:3", "user:5", "export:9"; never a title.
    object_ref = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="audit_access_subject_at"),
            # Retention deletes by age.
            models.Index(fields=["at"], name="audit_access_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(what__in=AccessWhat.values),
                name="audit_access_what_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=AccessPurpose.values),
                name="audit_access_purpose_valid",
            ),
        ]
        permissions = [("export_accessrecord", "Can export the access log")]

    def __str__(self):
        return f"{self.get_what_display()} ({self.object_ref}) by {self.viewer_role}"
