"""Safety: adverse-event cases for the Pharmacovigilance group, crisis signals for the
moderators, and the site's declarations and helplines.

A case is opened by the background scan (``safety.tasks``) when a submitted item,
question, answer or comment names a medicine near an adverse event, by hand by a
reviewer or moderator, or by anyone through "Report a side effect". Day zero is the
day it was opened: the organisation is aware from then (ICH E2D). The deadlines are
stored (``safety.deadlines`` computes them) so that the inbox can sort and filter on
them in the database.

Only the Pharmacovigilance group and administrators see cases (the model's view and
change permissions); everyone else who may open one by hand holds ``open_case`` only.
Every view and change of a case is in Wagtail's log for it (its History).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.blocks import CharBlock, StructBlock, URLBlock
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

DEFAULT_DECLARATION = (
    "Kindred is funded by its sponsor, a pharmaceutical company. The sponsor has no "
    "editorial control: members write what they choose, and our editorial and medical "
    "reviewers decide what is published."
)
DEFAULT_EMERGENCY = (
    "If you are in immediate danger, call the emergency number now: 112 anywhere in "
    "Europe, 999 in the United Kingdom, 911 in the United States."
)


class HelplineBlock(StructBlock):
    country = CharBlock(max_length=60, help_text=_("As readers know it, e.g. “United Kingdom”."))
    name = CharBlock(max_length=120)
    phone = CharBlock(max_length=40, required=False)
    hours = CharBlock(max_length=80, required=False, help_text=_("e.g. “24 hours, every day”."))
    url = URLBlock(required=False)

    class Meta:
        icon = "help"


@register_setting(icon="warning")
class SafetySettings(BaseSiteSetting):
    """The sponsor's declaration, the helplines shown to someone in crisis, and the
    national scheme for reporting side effects."""

    sponsor_declaration = models.TextField(
        _("sponsor's declaration"),
        default=DEFAULT_DECLARATION,
        blank=True,
        max_length=1000,
        help_text=_("Shown in every page's footer and on every expert article."),
    )
    emergency_text = models.CharField(
        _("immediate danger"),
        max_length=300,
        default=DEFAULT_EMERGENCY,
        help_text=_("Shown first, above the helplines, to anyone whose words suggest a crisis."),
    )
    helplines = StreamField(
        [("helpline", HelplineBlock())],
        blank=True,
        help_text=_("Per country; shown to anyone whose words suggest a crisis."),
    )
    reporting_scheme_name = models.CharField(
        _("national reporting scheme"),
        max_length=120,
        default="the Yellow Card scheme (MHRA)",
    )
    reporting_scheme_url = models.URLField(
        _("its address"), default="https://yellowcard.mhra.gov.uk/", max_length=300
    )

    panels = [
        FieldPanel("sponsor_declaration"),
        HelpPanel(
            content=_(
                "<p>What someone sees at once when their words suggest they may harm "
                "themselves: the emergency text first, then the helplines.</p>"
            )
        ),
        FieldPanel("emergency_text"),
        FieldPanel("helplines"),
        FieldPanel("reporting_scheme_name"),
        FieldPanel("reporting_scheme_url"),
    ]

    class Meta:
        verbose_name = _("safety and declarations")


class SafetyCase(models.Model):
    """A possible adverse event, from its signal to its report (or the reason it has none).

    The four minimum elements of a reportable case (ICH E2D): an identifiable patient and
    reporter (the author, unless the text says otherwise), a suspect medicine and an
    adverse event. Reports are due 15 days from day zero when serious, 90 when not.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        REPORTED = "reported", _("Reported")
        NOT_REPORTABLE = "not_reportable", _("Not reportable")

    class Origin(models.TextChoices):
        DETECTED = "detected", _("Detected in a submission")
        MANUAL = "manual", _("Opened by hand")
        REPORTED = "reported", _("Sent through “Report a side effect”")

    origin = models.CharField(max_length=16, choices=Origin.choices)
    # The source: a page (and the revision that was read), a comment, or neither (a report
    # sent through the site). The source may be deleted later; the case keeps its excerpt.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who wrote the source text (or sent the report): the reporter unless the case says
    # otherwise. Nobody for a report sent without an account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    excerpt = models.TextField(max_length=4000)
    # Where the matches are in the excerpt: [{"start", "end", "kind", "label"}], kind one of
    # "medicine", "event" (offsets in characters).
    matches = models.JSONField(default=list, blank=True)
    patient = models.CharField(max_length=200, blank=True)
    reporter = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(
        max_length=254, blank=True, help_text=_("How to reach the reporter, if they gave it.")
    )
    medicine = models.CharField("suspect medicine", max_length=200, blank=True)
    event = models.CharField("adverse event", max_length=300, blank=True)
    serious = models.BooleanField(
        default=False,
        help_text=_(
            "Death, life-threatening, hospitalisation, disability, a birth defect or "
            "otherwise medically important: reported within 15 days instead of 90."
        ),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    not_reportable_reason = models.TextField(blank=True, max_length=2000)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Day zero: when the organisation became aware.
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Nobody when the scan opened it."),
    )
    triage_due = models.DateField()
    report_due = models.DateField()
    triaged_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    # The lexicon that found it (safety.detection.LEXICON_VERSION), for a later audit.
    lexicon_version = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("safety case")
        ordering = ["-opened_at"]
        permissions = [("open_case", "Can open a safety case by hand from an item or comment")]
        constraints = [
            # A case closed as not reportable says why: an inspector will ask.
            models.CheckConstraint(
                condition=~Q(status="not_reportable") | ~Q(not_reportable_reason=""),
                name="safety_case_not_reportable_has_reason",
            ),
            # The scan opens at most one case per revision read and one per comment, so a
            # task that runs twice (a retry, a worker restart) opens nothing new.
            models.UniqueConstraint(
                fields=["revision"],
                condition=Q(origin="detected", revision__isnull=False),
                name="safety_case_one_detected_per_revision",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(origin="detected", comment__isnull=False),
                name="safety_case_one_detected_per_comment",
            ),
        ]

    def __str__(self):
        # The reference alone: Wagtail puts it in titles and breadcrumbs ("History: …"),
        # which must fit a phone; the inbox shows the medicine and event beside it.
        return self.reference

    @property
    def reference(self) -> str:
        return f"KS-{self.pk:06d}" if self.pk else "KS-new"


class CaseNote(models.Model):
    """A note on a case by someone working it; notes are added, never edited."""

    case = models.ForeignKey(SafetyCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=4000)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on case {self.case_id} at {self.created_at:%Y-%m-%d %H:%M}"


class CrisisSignal(models.Model):
    """Words suggesting that someone may harm themselves, in an item or a comment.

    The item or comment is held (a page cannot be approved, a comment stays in the
    moderation queue) until a moderator has handled the signal: contacted the person,
    or judged it not a crisis, with a note.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    excerpt = models.TextField(max_length=4000)
    matches = models.JSONField(default=list, blank=True)
    detected_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            # A signal is about one thing: an item or a comment.
            models.CheckConstraint(
                condition=Q(page__isnull=False, comment__isnull=True)
                | Q(page__isnull=True, comment__isnull=False),
                name="crisis_signal_item_or_comment",
            ),
            # One open signal per item and per comment: a resubmission does not pile up.
            models.UniqueConstraint(
                fields=["page"],
                condition=Q(handled_at__isnull=True, page__isnull=False),
                name="crisis_signal_one_open_per_page",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(handled_at__isnull=True, comment__isnull=False),
                name="crisis_signal_one_open_per_comment",
            ),
            # Handled means someone said how (who stays in the log if the account goes).
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True) | ~Q(handled_note=""),
                name="crisis_signal_handled_with_note",
            ),
        ]

    def __str__(self):
        what = f"item {self.page_id}" if self.page_id else f"comment {self.comment_id}"
        return f"Crisis signal in {what}"
