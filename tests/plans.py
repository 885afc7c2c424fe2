"""The database's plan for a query, for tests that prove a listing walks an index.

At 100,000 items the difference between walking an index and sorting every row is
the whole page's time (benchmarks/README.md, Scale), so the scale tests assert the
plan, not the time. Each database says it differently: SQLite's ``EXPLAIN QUERY
PLAN`` names the index it walks and a ``TEMP B-TREE`` when it sorts; PostgreSQL's
``EXPLAIN`` prefers a sequential scan on a test database this small, so its plan is
asked for with sorting priced out: a plan without a ``Sort`` node then shows that
the index gives the order (at 100,000 items the planner picks it unasked).
"""

from django.db import connection
from django.db.models import QuerySet

import pytest

only_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN"
)
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's EXPLAIN"
)


def _sql(query: QuerySet | str) -> tuple[str, tuple | list]:
    if isinstance(query, str):
        return query, ()
    return query.query.sql_with_params()


def sqlite_plan_steps(query: QuerySet | str) -> list[str]:
    """SQLite's ``EXPLAIN QUERY PLAN`` of ``query``, one string per step.

    ``query`` is a queryset or SQL captured from a run (with its parameters inlined).
    """
    sql, params = _sql(query)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def sqlite_plan(query: QuerySet | str) -> str:
    """SQLite's ``EXPLAIN QUERY PLAN`` of ``query`` as one text, a line per step."""
    return "\n".join(sqlite_plan_steps(query))


def postgresql_plan_unsorted(query: QuerySet | str) -> str:
    """PostgreSQL's ``EXPLAIN`` of ``query`` with sorting priced out (see the module)."""
    sql, params = _sql(query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_sort")
