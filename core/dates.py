"""Dates written the way each language writes them (issue 18).

Templates once wrote ``|date:"j F Y"``: month and weekday names follow the
active language, but the order and punctuation stayed English ("6 Dezember
2026" where German writes "6. Dezember 2026"). The formats are translatable
strings instead, each with a name, so a translator sets them per language;
``{{ moment|local_date:"day_at_time" }}`` (``core.templatetags.dates``) and
``local_date`` here use them. Python strings, not template literals, because
``makemessages`` reads a template's ``\\a\\t`` as control characters.
"""

from datetime import date, datetime

from django.utils import formats
from django.utils.translation import pgettext_lazy

FORMATS = {
    # 6 December 2026
    "day": pgettext_lazy("date format", "j F Y"),
    # 6 December 2026, 14:05
    "day_time": pgettext_lazy("date format", "j F Y, H:i"),
    # 6 December 2026 at 14:05
    "day_at_time": pgettext_lazy("date format", "j F Y \\a\\t H:i"),
    # Sunday 6 December 2026
    "weekday": pgettext_lazy("date format", "l j F Y"),
    # 6 Dec 2026
    "short_day": pgettext_lazy("date format", "j M Y"),
    # 6 Dec 2026, 14:05
    "short_day_time": pgettext_lazy("date format", "j M Y, H:i"),
    # 14:05
    "time": pgettext_lazy("date format", "H:i"),
}


def local_date(value: date | datetime | None, name: str = "day") -> str:
    """``value`` in the active language's format called ``name`` ("" for None)."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, str(FORMATS[name]))
