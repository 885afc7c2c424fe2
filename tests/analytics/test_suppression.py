"""The "fewer than 5" rule, at its edges."""

import pytest

from analytics.suppression import people_chart_value, people_count


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "fewer than 5"), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5)]
)
def test_people_under_five_are_fewer_than_five(count, shown):
    assert people_count(count) == shown


@pytest.mark.parametrize(("count", "drawn"), [(0, None), (1, None), (4, None), (5, 5), (12, 12)])
def test_charts_draw_no_bar_for_fewer_than_five(count, drawn):
    assert people_chart_value(count) == drawn
