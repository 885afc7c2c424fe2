"""A query compiled once and run again with new values (issue 17: a member's item page).

Building and compiling some queries of a member's item page cost more Python time
than running them: the routing query (``core.routing``: three tables of page
inheritance, the author, profile, community and reviewer joined, the features'
columns, two ``Exists``) and the comments' query (``discussion.selectors.comments``:
three tables of comment inheritance, the author and profile, three ``Exists``).
Their SQL does not change from one page to the next, only a few values.
``Prepared`` compiles a queryset once with stand-in values, finds where each
stand-in went among the parameters, and then runs the same SQL with the real
values, turning the rows into model instances as Django's ``ModelIterable`` does
(the model's columns, the ``select_related`` rows, the annotations).

Both use Django's ``from_db`` and ``get_related_populators``, which are internal: a
Django upgrade must run ``tests/core/test_prepared.py`` and
``tests/core/test_member_page_queries.py``, which compare every field with the
freshly compiled queryset's.
"""

from collections.abc import Callable, Hashable, Sequence

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


class Prepared:
    """The SQL of ``queryset`` compiled for ``alias``, with ``stand_ins`` to replace.

    ``stand_ins`` maps a name to the value that stood in for it when the
    queryset was built; each must be exactly one parameter of the SQL, else
    ``ValueError`` (the caller then compiles every time).
    """

    def __init__(self, queryset: QuerySet, alias: str, stand_ins: dict[str, object]) -> None:
        self.alias = alias
        compiler = queryset.query.get_compiler(alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.spots: dict[str, int] = {}
        for name, value in stand_ins.items():
            found = [n for n, param in enumerate(self.params) if param == value]
            if len(found) != 1:
                raise ValueError(f"prepared query: {name} is not one parameter")
            self.spots[name] = found[0]
        self.compiler = compiler
        self.klass_info = compiler.klass_info
        self.select = compiler.select
        self.annotations = dict(compiler.annotation_col_map or {})
        self.converters = compiler.get_converters(
            [column[0] for column in self.select[: compiler.col_count]]
        )
        if self.klass_info is not None:
            # A query of model instances (not ``values()``, not a union of them).
            fields = self.klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [
                column[0].target.attname for column in self.select[self.start : self.end]
            ]

    def _rows(self, values: dict[str, object], limit: int | None) -> list[Sequence]:
        params = list(self.params)
        for name, at in self.spots.items():
            params[at] = values[name]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        if rows and self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows

    def rows(self, **values: object) -> list[Sequence]:
        """The query's rows (a ``values_list()`` query's, a union's) with ``values``."""
        return self._rows(values, None)

    def _run(self, values: dict[str, object], limit: int | None) -> list[Model]:
        rows = self._rows(values, limit)
        if not rows:
            return []
        model = self.klass_info["model"]
        populators = get_related_populators(self.klass_info, self.select, self.alias)
        found = []
        for row in rows:
            obj = model.from_db(self.alias, self.init_list, row[self.start : self.end])
            for populator in populators:
                populator.populate(row, obj)
            for name, at in self.annotations.items():
                setattr(obj, name, row[at])
            found.append(obj)
        return found

    def objects(self, **values: object) -> list[Model]:
        """The model instances the query gives with ``values`` in place of the stand-ins."""
        return self._run(values, None)

    def first(self, **values: object) -> Model | None:
        """The query's first instance with ``values`` in place of the stand-ins, or ``None``.

        Only the first row is read: the queryset should be limited (``[:1]``) as
        ``QuerySet.first`` would do, so that the database stops there too.
        """
        found = self._run(values, 1)
        return found[0] if found else None


def prepared(
    cache: dict,
    key: Hashable,
    build: Callable[[], QuerySet],
    alias: str,
    stand_ins: dict[str, object],
) -> Prepared | None:
    """The ``Prepared`` query kept in ``cache`` under ``key``, compiled on first use.

    ``None`` (remembered) when the stand-ins cannot be found: the caller runs its
    queryset the usual way. ``cache`` is the caller's, per thread (a compiler holds
    its thread's connection), e.g. a ``threading.local``'s ``__dict__``.
    """
    found = cache.get(key)
    if found is None:
        try:
            found = Prepared(build(), alias, stand_ins)
        except ValueError:
            found = False
        cache[key] = found
    return found or None
