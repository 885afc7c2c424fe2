"""``{{ moment|local_date:"day_at_time" }}``: a date in the language's own format (core.dates)."""

from django import template
from django.template.defaultfilters import date as date_filter

from core.dates import FORMATS

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, name="day"):
    """Like ``|date`` with a named, translated format: "day", "day_time", "day_at_time",
    "weekday", "short_day", "short_day_time", "time" (see core.dates.FORMATS)."""
    if name not in FORMATS:
        raise template.TemplateSyntaxError(f"local_date: no date format called {name!r}")
    return date_filter(value, str(FORMATS[name]))
