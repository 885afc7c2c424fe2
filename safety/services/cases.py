"""Opening and working safety cases (the Safety inbox in the admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.log_actions import log

from safety import deadlines
from safety.models import SafetyCase

if TYPE_CHECKING:
    from accounts.models import User

# Wagtail log actions for cases (registered in safety.wagtail_hooks).
CASE_OPENED = "kindred.safety.case_opened"
CASE_VIEWED = "kindred.safety.case_viewed"


def case_open(
    *,
    origin: str,
    excerpt: str,
    matches: list[dict[str, Any]] | None = None,
    page=None,
    revision=None,
    comment=None,
    author: User | None = None,
    opened_by: User | None = None,
    medicine: str = "",
    event: str = "",
    patient: str = "",
    reporter: str = "",
    reporter_contact: str = "",
    serious: bool = False,
    lexicon_version: str = "",
) -> SafetyCase | None:
    """Open a case; day zero is now, and its deadlines follow from it.

    A scan that runs twice for the same revision or comment opens one case: the
    second call finds the partial unique constraint and returns None. The opening is
    logged (by ``opened_by``, or by nobody for the scan).
    """
    opened_at = timezone.now()
    case = SafetyCase(
        origin=origin,
        page=page,
        revision=revision,
        comment=comment,
        author=author,
        opened_by=opened_by,
        excerpt=excerpt[:4000],
        matches=matches or [],
        medicine=medicine[:200],
        event=event[:300],
        patient=patient[:200],
        reporter=reporter[:200],
        reporter_contact=reporter_contact[:254],
        serious=serious,
        opened_at=opened_at,
        triage_due=deadlines.triage_due(opened_at),
        report_due=deadlines.report_due(opened_at, serious=serious),
        lexicon_version=lexicon_version,
    )
    try:
        # A savepoint: the constraint's refusal must not spoil the caller's transaction.
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if origin == SafetyCase.Origin.DETECTED:
            return None
        raise
    log(instance=case, action=CASE_OPENED, user=opened_by)
    return case
