"""The access log: every time staff open a member's non-public data (issue 16).

A row says who (and in which role) opened what of whose, when and why. The
member reads theirs at /me/access/; administrators export them all. A row
names the object by a reference (``page:12``, ``comment:7``), never by its
title or text: the log must not become a second copy of what it protects,
and an erasure must not have to rewrite it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class AccessWhat(models.TextChoices):
    """What of the member's was opened, as the member is told it."""

    DRAFT = "draft", _("A draft of yours")
    IN_REVIEW = "in_review", _("An item of yours in review")
    PRIVATE_PROFILE = "private_profile", _("Your profile, which is not public")
    HELD_COMMENT = "held_comment", _("A comment of yours held for moderation")
    SAFETY_CASE = "safety_case", _("A safety case about something you wrote")
    ACCOUNT = "account", _("Your account in the admin")
    EXPORT = "export", _("A copy of your data")


class AccessPurpose(models.TextChoices):
    """Why: the work the role was doing."""

    REVIEW = "review", _("Review")
    MODERATION = "moderation", _("Moderation")
    SAFETY = "safety", _("Safety")
    SUPPORT = "support", _("Support")


class AccessRecord(models.Model):
    """One opening of one member's non-public data by a member of staff."""

    What = AccessWhat
    Purpose = AccessPurpose

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accesses_to_my_data",
        help_text=_("The member whose data was opened."),
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who opened it."),
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


# --- Retention (issue 16): how long the records about members' activity are kept ---

RETENTION_MIN_DAYS = 1
# Ten years: longer than any record here needs to live; a typing slip (73000)
# must not keep data for ever.
RETENTION_MAX_DAYS = 3650
# The kinds of record kept for a while, as RetentionSettings names their periods.
RETENTION_FIELDS = (
    "access_log_days",
    "search_query_days",
    "share_log_days",
    "finished_task_days",
    "sent_email_days",
)


def default_search_query_days() -> int:
    """The query log's default: Wagtail's ``WAGTAILSEARCH_HITS_MAX_AGE`` (90 days here)."""
    return int(getattr(settings, "WAGTAILSEARCH_HITS_MAX_AGE", 90))


def _days_field(default, verbose_name: str, help_text: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name,
        default=default,
        validators=[
            MinValueValidator(RETENTION_MIN_DAYS),
            MaxValueValidator(RETENTION_MAX_DAYS),
        ],
        help_text=format_lazy(
            "{} {}",
            help_text,
            format_lazy(
                _("Between {low} and {high} days."), low=RETENTION_MIN_DAYS, high=RETENTION_MAX_DAYS
            ),
        ),
    )


@register_setting(icon="history")
class RetentionSettings(BaseGenericSetting):
    """How long each kind of record is kept before ``manage.py enforce_retention`` deletes it.

    One row for the whole organisation (retention is a policy, not a site's
    look). Superusers and the Data protection group edit it (Settings ›
    Retention); every change is in the audit trail (Wagtail logs settings
    edits). The model also carries the audit trail's permission
    (``audit.view_audit_trail``): both are the data-protection officer's.
    """

    access_log_days = _days_field(
        730,
        _("Access log (who saw a member's data)"),
        _("Openings of members' data by staff older than this are deleted."),
    )
    search_query_days = _days_field(
        default_search_query_days,
        _("Search query log"),
        _(
            "Daily counts of searches (popular searches, searches without results) older than "
            "this are deleted, and queries nobody searched for since."
        ),
    )
    share_log_days = _days_field(
        365,
        _("Share log"),
        _("Daily share counts per item and network older than this are deleted."),
    )
    finished_task_days = _days_field(
        30,
        _("Finished background tasks"),
        _(
            "Background tasks that succeeded or failed longer ago than this are deleted "
            "(waiting and running ones are never touched)."
        ),
    )
    sent_email_days = _days_field(
        30,
        _("Sent emails in the outbox"),
        _(
            "Emails sent longer ago than this are deleted from the outbox (their addresses "
            "and text go with them); unsent ones are kept."
        ),
    )

    panels = [FieldPanel(name) for name in RETENTION_FIELDS]

    class Meta:
        verbose_name = _("retention")
        verbose_name_plural = _("retention")
        permissions = [("view_audit_trail", "Can view and export the audit trail")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{name}__gte": RETENTION_MIN_DAYS for name in RETENTION_FIELDS},
                    **{f"{name}__lte": RETENTION_MAX_DAYS for name in RETENTION_FIELDS},
                ),
                name="audit_retention_days_in_bounds",
            ),
        ]

    def __str__(self):
        return str(_("Retention"))
