"""The figures as they are shown: one ``Table`` per chart, whose cells, chart and CSV agree.

A table holds the raw figures from the selectors; ``cells`` applies the
"fewer than 5" rule (``analytics.suppression``) to its columns of people, and
the chart and the CSV are made from the same shown values, so the rule cannot
be applied in one place and forgotten in another.

Charts are SVG drawn on the server by pygal (a Python package, nothing from
another origin) and put into the page as a ``data:`` image: no script and no
inline style in Kindred's templates, and the chart shows exactly the table's
figures. Every chart has its table below it and a CSV of the same figures.
"""

import base64
import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

import pygal
from pygal.style import Style

from core.spreadsheets import spreadsheet_safe

from .suppression import people_chart_value, people_count

LINE = "line"
BAR = "bar"
HORIZONTAL_BAR = "horizontal-bar"

# Wagtail admin's teal and a set of colours that keep their contrast on white.
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1d1d1d",
    foreground_strong="#1d1d1d",
    foreground_subtle="#5c5c5c",
    colors=("#007d7e", "#b34700", "#4b3cc2", "#1d6e1d", "#a3195b", "#5c5c5c"),
    font_family="system-ui, sans-serif",
)


@dataclass(frozen=True)
class Column:
    """A column; ``people`` columns count people and follow the "fewer than 5" rule."""

    label: str
    people: bool = False
    # Drawn as a series in the chart (the first column labels the x axis).
    charted: bool = True


@dataclass(frozen=True)
class Table:
    """A chart's figures: a heading, columns, raw rows, and how to draw them."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Any]]
    chart: str = ""
    description: str = ""
    # Links for the first cell of each row (admin URLs), when the row names an item.
    links: Sequence[str] = field(default_factory=tuple)

    def cells(self) -> list[list[Any]]:
        """The rows as shown: people counts under five become "fewer than 5"."""
        return [
            [
                people_count(value) if column.people else value
                for column, value in zip(self.columns, row, strict=True)
            ]
            for row in self.rows
        ]

    def html_rows(self) -> list[tuple[str, list[Any]]]:
        """``(link or "", cells)`` per row, for the template."""
        links = list(self.links) + [""] * (len(self.rows) - len(self.links))
        return list(zip(links, self.cells(), strict=True))

    def chart_data_uri(self) -> str:
        """The chart as a ``data:image/svg+xml`` address, or "" for a table without one."""
        if not self.chart or not self.rows:
            return ""
        chart_class = {LINE: pygal.Line, BAR: pygal.Bar, HORIZONTAL_BAR: pygal.HorizontalBar}[
            self.chart
        ]
        chart = chart_class(
            style=CHART_STYLE,
            # No script from anywhere: pygal's default loads its tooltips from another site.
            js=[],
            width=900,
            height=380,
            legend_at_bottom=True,
            x_label_rotation=30 if self.chart == LINE else 0,
            show_minor_x_labels=len(self.rows) <= 16,
            truncate_label=40,
            no_data_text=_("No figures"),
            include_x_axis=True,
        )
        chart.title = self.title
        chart.x_labels = [str(row[0]) for row in self.rows]
        for index, column in enumerate(self.columns):
            if index == 0 or not column.charted:
                continue
            values = [row[index] for row in self.rows]
            chart.add(
                column.label,
                [people_chart_value(v) if column.people else v for v in values],
            )
        svg = chart.render()  # bytes, with its XML declaration
        return "data:image/svg+xml;charset=utf-8;base64," + base64.b64encode(svg).decode("ascii")

    @property
    def chart_alt(self) -> str:
        """The chart's text alternative: what it shows and where the figures are."""
        return _("Chart: %(title)s. The same figures are in the table below it.") % {
            "title": self.title
        }

    def csv_response(self) -> HttpResponse:
        """The shown figures as a CSV download, every text cell safe from formulas."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"kindred-{self.key}-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow([spreadsheet_safe(column.label) for column in self.columns])
        for row in self.cells():
            writer.writerow([spreadsheet_safe(value) for value in row])
        return response
