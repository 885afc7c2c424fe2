"""The service level askers are promised: how long a question may wait for an answer."""

from datetime import datetime, timedelta

from django.db.models import Case, CharField, Exists, F, OuterRef, QuerySet, Value, When
from django.utils import timezone

from wagtail.models import Site

from core import fragments
from questions.models import DEFAULT_ANSWER_DAYS, AnswerPage, QuestionPage, QuestionSettings

# The fragment (core.fragments) the setting is kept under: bumped when a setting is saved
# or deleted (questions.signals).
SETTINGS_FRAGMENT = "question-settings"


def answer_within_days(*, site: Site | None) -> int:
    """The days a question may wait for an answer on ``site`` (the setting, or its default),
    from the cache while no setting changed: the asker's question page shows it."""
    if site is None:
        return DEFAULT_ANSWER_DAYS

    def read() -> int:
        # Read only: ``for_site`` would create the row, and its save would bump the very
        # version this value is about to be kept under.
        days = (
            QuestionSettings.objects.filter(site_id=site.pk)
            .values_list("answer_within_days", flat=True)
            .first()
        )
        return DEFAULT_ANSWER_DAYS if days is None else days

    return fragments.cached(SETTINGS_FRAGMENT, f"site:{int(site.pk)}", read)


def waiting_questions(*, site: Site | None, now: datetime | None = None) -> QuerySet[QuestionPage]:
    """Published questions without a published answer that have waited longer than the
    service level since they were published, oldest first, each with ``claimed_by``:
    the display name of the expert holding a live claim, or "" (one query).

    Counted from publication: before that a question is in editorial review,
    which has its own queue and waiting times.
    """
    now = now or timezone.now()
    limit = now - timedelta(days=answer_within_days(site=site))
    answered = AnswerPage.objects.live().filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    return (
        QuestionPage.objects.live()
        .filter(first_published_at__lt=limit)
        .exclude(Exists(answered))
        .annotate(
            # The expert holding a live claim, by display name, for the report.
            claimed_by=Case(
                When(claim__expires_at__gt=now, then=F("claim__expert__display_name")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .select_related("community")
        .order_by("first_published_at", "pk")
    )
