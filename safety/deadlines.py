"""When a case must be triaged and reported, counted from day zero (the day it was opened).

Triage is due by the end of the next business day (Monday to Friday; public holidays
differ by country and are not modelled: a case opened before one is due a day early,
never late). A report is due 15 calendar days after day zero for a serious case and 90
for a non-serious one (ICH E2D; EU GVP module VI).
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

SERIOUS_REPORT_DAYS = 15
NON_SERIOUS_REPORT_DAYS = 90
_SATURDAY = 5


def day_zero(opened_at: datetime) -> date:
    """The calendar day, in the site's time zone, on which the case was opened."""
    return timezone.localdate(opened_at)


def triage_due(opened_at: datetime) -> date:
    """The last day for triage: the business day after day zero."""
    day = day_zero(opened_at) + timedelta(days=1)
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return day


def report_due(opened_at: datetime, *, serious: bool) -> date:
    """The last day for the report: 15 days after day zero if serious, else 90."""
    days = SERIOUS_REPORT_DAYS if serious else NON_SERIOUS_REPORT_DAYS
    return day_zero(opened_at) + timedelta(days=days)
