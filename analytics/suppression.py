"""The "fewer than 5" rule: a count of people under five is never shown as a number.

A count of three people who reported a comment this week in a small community
points at people the reader may know. Every table, chart and CSV of the
analytics shows counts of people through ``people_count`` (and charts through
``people_chart_value``), so the rule lives here once.
"""

from django.utils.translation import gettext as _

# The smallest count of people shown as a number.
MIN_PEOPLE = 5


def people_count(count: int) -> int | str:
    """``count`` itself from five on; below five, the words "fewer than 5" (also for 0).

    Zero is suppressed too: "nobody" next to "fewer than 5" would tell the
    two apart and so narrow the others down.
    """
    if count >= MIN_PEOPLE:
        return count
    # In the reader's language, read when shown (a module constant would be English).
    return _("fewer than %(min)s") % {"min": MIN_PEOPLE}


def people_chart_value(count: int) -> int | None:
    """``count`` for a chart: from five on the number, below five no bar at all (None)."""
    shown = people_count(count)
    return shown if isinstance(shown, int) else None
