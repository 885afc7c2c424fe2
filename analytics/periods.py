"""The reporting periods: whole weeks (Monday to Sunday, the site's time zone) or days.

Parsed from the query string by ``PeriodForm``; anything it cannot read
(text, a negative number, a year of weeks) falls back to the default, so a
crafted address never fails the page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_WEEKS = 52


@dataclass(frozen=True)
class Period:
    """``weeks`` whole weeks up to and including the current one.

    ``start`` is the first Monday at midnight (aware), ``end`` now; ``mondays``
    the first day of each week, oldest first.
    """

    weeks: int
    start: datetime
    end: datetime
    mondays: tuple[date, ...]

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the period up to today, oldest first."""
        first, today = self.mondays[0], timezone.localdate(self.end)
        return tuple(first + timedelta(days=n) for n in range((today - first).days + 1))


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def week_of(moment: datetime) -> date:
    """The Monday of the week ``moment`` falls in, in the site's time zone."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


def period_of(*, weeks: int, now: datetime | None = None) -> Period:
    """The ``weeks`` whole weeks ending with the current one (1 to ``MAX_WEEKS``)."""
    weeks = min(max(int(weeks), 1), MAX_WEEKS)
    now = now or timezone.now()
    this_monday = week_of(now)
    mondays = tuple(this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1))
    return Period(weeks=weeks, start=day_start(mondays[0]), end=now, mondays=mondays)


class PeriodForm(forms.Form):
    """``?weeks=N``: how many weeks to show."""

    weeks = forms.IntegerField(
        label=gettext_lazy("Weeks"),
        min_value=1,
        max_value=MAX_WEEKS,
        required=False,
        widget=forms.NumberInput,
    )

    def __init__(self, *args: object, default_weeks: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.default_weeks = default_weeks
        self.fields["weeks"].help_text = _("1 to %(max)s; %(default)s when left empty.") % {
            "max": MAX_WEEKS,
            "default": default_weeks,
        }

    def weeks_or_default(self) -> int:
        """The weeks asked for, or the default when the input is missing or not valid."""
        if self.is_valid() and self.cleaned_data.get("weeks"):
            return self.cleaned_data["weeks"]
        return self.default_weeks
