"""Spies on real code: the real function runs, and each call is written down.

Tests of "compiled once", "one client", "one command" need to see calls the
code under test makes inside Django or redis-py. The spy wraps the real
function (nothing is stubbed), for the test only (``monkeypatch`` undoes it).
"""

from collections.abc import Callable
from typing import Any

from django.db.models.sql.compiler import SQLCompiler


def calls_of(
    monkeypatch: Any,
    owner: object,
    name: str,
    *,
    record: Callable[..., Any] = lambda *args, **kwargs: args,
) -> list:
    """``owner.name`` runs as before; what ``record`` makes of each call's arguments
    (the positional ones by default) goes into the returned list, in order."""
    real = getattr(owner, name)
    seen: list = []

    def spied(*args: Any, **kwargs: Any) -> Any:
        seen.append(record(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spied)
    return seen


def compiled_sql_containing(monkeypatch: Any, marker: str) -> list[str]:
    """The SQL Django's compiler makes from now on that contains ``marker`` (a query
    prepared once and run again adds nothing here)."""
    real = SQLCompiler.as_sql
    seen: list[str] = []

    def as_sql(self: SQLCompiler, *args: Any, **kwargs: Any) -> tuple:
        sql, params = real(self, *args, **kwargs)
        if marker in sql:
            seen.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return seen
