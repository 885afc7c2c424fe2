"""Reads for the Safety inbox: cases with their next deadline, the overdue ones first.

A case's *next deadline* is the step it waits for: triage while it is new, the
report once it is triaged; a closed case (reported, or not reportable) waits for
nothing. A new case whose report is already late shows the report's deadline, the
one a regulator asks about. A case is *overdue* when today (the site's time zone) is
past its next deadline. All of it is computed in the database, so the inbox sorts,
filters and counts on it in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import SafetyCase

VIEW_PERMISSION = "safety.view_safetycase"
CHANGE_PERMISSION = "safety.change_safetycase"
OPEN_PERMISSION = "safety.open_case"
# Larger ids do not fit the database's column: answered as missing before any query.
MAX_CASE_ID = 2**63 - 1

TRIAGE = "triage"
REPORT = "report"
OPEN_STATUSES = (SafetyCase.Status.NEW, SafetyCase.Status.TRIAGED)
MATCH_KINDS = ("medicine", "event")
# What a mark's tooltip calls its kind (before the lexicon's label).
KIND_LABELS = {
    "medicine": gettext_noop("medicine"),
    "event": gettext_noop("event"),
    "other": gettext_noop("other"),
}


def inbox_cases(*, today: date | None = None) -> QuerySet[SafetyCase]:
    """Every case, annotated with ``next_due`` (a date or None), ``due_kind`` ("triage",
    "report" or "") and ``overdue`` (bool), the overdue first (most overdue first), then
    by nearest deadline, closed cases last (newest first); the assignee joined."""
    today = today or timezone.localdate()
    new, triaged = SafetyCase.Status.NEW, SafetyCase.Status.TRIAGED
    report_late = Q(status=new, report_due__lt=today)
    return (
        SafetyCase.objects.select_related("assignee")
        .annotate(
            next_due=Case(
                When(report_late, then=F("report_due")),
                When(status=new, then=F("triage_due")),
                When(status=triaged, then=F("report_due")),
                default=None,
                output_field=DateField(),
            ),
            due_kind=Case(
                When(report_late, then=Value(REPORT)),
                When(status=new, then=Value(TRIAGE)),
                When(status=triaged, then=Value(REPORT)),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .annotate(
            overdue=Case(
                When(overdue_condition(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(
            F("overdue").desc(),
            F("next_due").asc(nulls_last=True),
            F("opened_at").desc(),
            F("pk").desc(),
        )
    )


def overdue_condition(today: date) -> Q:
    """Past the next deadline: a new case past its triage day (its report's comes later),
    a triaged one past its report's."""
    return Q(status=SafetyCase.Status.NEW, triage_due__lt=today) | Q(
        status=SafetyCase.Status.TRIAGED, report_due__lt=today
    )


@dataclass(frozen=True)
class InboxCounts:
    """The inbox's heading: how many cases are overdue, new, and open (new or triaged)."""

    overdue: int
    new: int
    open: int


def inbox_counts(*, today: date | None = None) -> InboxCounts:
    """The counts for the inbox's heading, over every case, in one query."""
    today = today or timezone.localdate()
    counts = SafetyCase.objects.aggregate(
        overdue=Count("pk", filter=overdue_condition(today)),
        new=Count("pk", filter=Q(status=SafetyCase.Status.NEW)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    return InboxCounts(**counts)


def case_for_staff(*, case_id: int) -> SafetyCase | None:
    """The case ``case_id`` with its deadlines' annotations and the people on it, or None
    (also for an id no case can have)."""
    if not 0 < case_id <= MAX_CASE_ID:
        return None
    return (
        inbox_cases()
        .select_related("author", "opened_by", "page", "comment")
        .filter(pk=case_id)
        .first()
    )


def case_assignees() -> QuerySet:
    """Who may be assigned a case: active members of a group that may see cases
    (Pharmacovigilance) and active superusers, by name."""
    app_label, codename = VIEW_PERMISSION.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holders = (
        Q(is_superuser=True) | Q(groups__permissions__in=granted) | Q(user_permissions__in=granted)
    )
    user_model = get_user_model()
    return user_model.objects.filter(
        is_active=True, pk__in=user_model.objects.filter(holders).values("pk")
    ).order_by("display_name", "username")


def case_notes(case: SafetyCase) -> list:
    """The case's notes, oldest first, with their authors (one query)."""
    return list(case.notes.select_related("author"))


def highlighted_excerpt(excerpt: str, matches: Any) -> SafeString:
    """``excerpt`` as HTML with each match in ``<mark class="safety-match safety-match--KIND">``.

    Everything is escaped; a match that is malformed, out of range or overlaps an
    earlier one is left out rather than trusted (the offsets come from a JSON column).
    """
    spans = []
    for match in matches if isinstance(matches, list) else []:
        if not isinstance(match, dict):
            continue
        start, end = match.get("start"), match.get("end")
        if not (isinstance(start, int) and isinstance(end, int)):
            continue
        if isinstance(start, bool) or isinstance(end, bool):
            continue
        if not 0 <= start < end <= len(excerpt):
            continue
        kind = match.get("kind") if match.get("kind") in MATCH_KINDS else "other"
        label = match.get("label") if isinstance(match.get("label"), str) else ""
        spans.append((start, end, kind, label[:200]))
    spans.sort()
    parts, position = [], 0
    for start, end, kind, label in spans:
        if start < position:
            continue
        parts.append(escape(excerpt[position:start]))
        title = f' title="{escape(_(KIND_LABELS[kind]))}: {escape(label)}"' if label else ""
        parts.append(
            f'<mark class="safety-match safety-match--{kind}"{title}>'
            f"{escape(excerpt[start:end])}</mark>"
        )
        position = end
    parts.append(escape(excerpt[position:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece above is escaped)


def overdue_days(case: SafetyCase, *, today: date | None = None) -> int:
    """How many days past its next deadline ``case`` is (0 when it is not overdue)."""
    next_due = getattr(case, "next_due", None)
    if next_due is None:
        return 0
    return max(0, ((today or timezone.localdate()) - next_due).days)
