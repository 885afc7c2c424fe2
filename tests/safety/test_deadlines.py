"""A case's deadlines: triage by the next business day, report within 15 or 90 days of day
zero; recomputed when the seriousness changes; the overdue first in the inbox."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from safety import deadlines
from safety.models import SafetyCase
from safety.selectors import inbox_cases, inbox_counts
from safety.services.cases import case_update

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    """A moment on ``day`` in the site's time zone."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


MONDAY = date(2026, 3, 2)
THURSDAY = MONDAY + timedelta(days=3)
FRIDAY = MONDAY + timedelta(days=4)
SATURDAY = MONDAY + timedelta(days=5)
SUNDAY = MONDAY + timedelta(days=6)
NEXT_MONDAY = MONDAY + timedelta(days=7)


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        (MONDAY, MONDAY + timedelta(days=1)),
        (THURSDAY, FRIDAY),
        (FRIDAY, NEXT_MONDAY),
        (SATURDAY, NEXT_MONDAY),
        (SUNDAY, NEXT_MONDAY),
    ],
)
def test_triage_is_due_the_next_business_day(opened, due):
    assert deadlines.triage_due(at(opened)) == due


def test_day_zero_is_the_sites_calendar_day():
    # 23:30 UTC on Friday is already Saturday in a time zone east of it.
    late_friday_utc = datetime(2026, 3, 6, 23, 30, tzinfo=ZoneInfo("UTC"))
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert deadlines.day_zero(late_friday_utc) == SATURDAY
        assert deadlines.triage_due(late_friday_utc) == NEXT_MONDAY
    with timezone.override(ZoneInfo("UTC")):
        assert deadlines.triage_due(late_friday_utc) == NEXT_MONDAY


def test_report_is_due_in_15_days_when_serious_and_90_when_not():
    assert deadlines.report_due(at(MONDAY), serious=True) == MONDAY + timedelta(days=15)
    assert deadlines.report_due(at(MONDAY), serious=False) == MONDAY + timedelta(days=90)


def make_case(*, opened: date, serious=False, status=SafetyCase.Status.NEW, **fields):
    opened_at = at(opened)
    return SafetyCase.objects.create(
        origin=SafetyCase.Origin.MANUAL,
        excerpt=fields.pop("excerpt", "Since starting it I have had headaches."),
        medicine=fields.pop("medicine", "fingolimod"),
        event=fields.pop("event", "headache"),
        serious=serious,
        status=status,
        opened_at=opened_at,
        triage_due=fields.pop("triage_due", deadlines.triage_due(opened_at)),
        report_due=deadlines.report_due(opened_at, serious=serious),
        not_reportable_reason="Not a medicine" if status == "not_reportable" else "",
        **fields,
    )


def test_a_change_of_seriousness_recomputes_the_report_deadline_from_day_zero(superuser):
    case = make_case(opened=MONDAY)
    assert case.report_due == MONDAY + timedelta(days=90)

    assert case_update(case=case, user=superuser, serious=True) == ["serious"]
    case.refresh_from_db()
    assert case.report_due == MONDAY + timedelta(days=15)
    assert case.triage_due == MONDAY + timedelta(days=1)  # triage does not move

    case_update(case=case, user=superuser, serious=False)
    case.refresh_from_db()
    assert case.report_due == MONDAY + timedelta(days=90)


def test_status_moves_stamp_when_triaged_and_reported(superuser):
    case = make_case(opened=MONDAY)

    case_update(case=case, user=superuser, status=SafetyCase.Status.TRIAGED)
    case.refresh_from_db()
    assert case.triaged_at is not None and case.reported_at is None
    triaged_at = case.triaged_at

    case_update(case=case, user=superuser, status=SafetyCase.Status.REPORTED)
    case.refresh_from_db()
    assert case.triaged_at == triaged_at  # the first triage stays
    assert case.reported_at is not None


def test_the_overdue_come_first_then_the_nearest_deadline():
    today = timezone.localdate()
    # Opened long ago and still new: triage and report late (90 days ago, not serious).
    very_late = make_case(opened=today - timedelta(days=100), medicine="very late")
    # New, its triage two days late (set: the business days depend on today's weekday).
    triage_late = make_case(
        opened=today - timedelta(days=4),
        medicine="triage late",
        triage_due=today - timedelta(days=2),
    )
    # Triaged, serious, opened 20 days ago: report late by 5 days.
    report_late = make_case(
        opened=today - timedelta(days=20),
        serious=True,
        status=SafetyCase.Status.TRIAGED,
        medicine="report late",
    )
    # Opened today: triage due the next business day.
    fresh = make_case(opened=today, medicine="fresh")
    # Triaged, not serious, opened 10 days ago: report due in 80 days.
    triaged = make_case(
        opened=today - timedelta(days=10), status=SafetyCase.Status.TRIAGED, medicine="triaged"
    )
    # Closed: at the end, whatever their dates.
    reported = make_case(
        opened=today - timedelta(days=200), status=SafetyCase.Status.REPORTED, medicine="done"
    )
    closed = make_case(
        opened=today - timedelta(days=300),
        status=SafetyCase.Status.NOT_REPORTABLE,
        medicine="closed",
    )

    cases = list(inbox_cases(today=today))

    # Most overdue first: the report 10 days late, the report 5 days, the triage 2 days.
    assert [case.pk for case in cases] == [
        very_late.pk,
        report_late.pk,
        triage_late.pk,
        fresh.pk,
        triaged.pk,
        reported.pk,
        closed.pk,
    ]
    by_pk = {case.pk: case for case in cases}
    assert by_pk[very_late.pk].due_kind == "report"  # the report is the one a regulator asks about
    assert by_pk[triage_late.pk].due_kind == "triage"
    assert by_pk[report_late.pk].next_due == today - timedelta(days=5)
    assert [by_pk[case.pk].overdue for case in (very_late, triage_late, report_late)] == [True] * 3
    assert not any(by_pk[case.pk].overdue for case in (fresh, triaged, reported, closed))
    assert by_pk[reported.pk].next_due is None

    counts = inbox_counts(today=today)
    assert (counts.overdue, counts.new, counts.open) == (3, 3, 5)


def test_a_new_case_is_not_overdue_on_its_triage_day():
    today = timezone.localdate()
    case = make_case(opened=today - timedelta(days=1))
    case.triage_due = today
    case.save()

    assert not inbox_cases(today=today).get(pk=case.pk).overdue
    assert inbox_cases(today=today + timedelta(days=1)).get(pk=case.pk).overdue
