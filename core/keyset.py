"""Deep pages of a listing by position ("the items after this one"), not by number.

``?page=2778`` of a section made the database walk past 33,000 items before
its twelve (OFFSET: linear in the page number, ~10x page 1 at 100,000 items;
issue 17). Past the first pages a listing links by the position of its last
(or first) item instead: ``?after=<key>`` lists the items that come after that
key in the listing's own order, ``?before=<key>`` those that come before it.
The database seeks its index to the key and reads one page from there, so any
page costs what page 1 costs, and following the links reaches every item.

A key is the listing's order values of one item, in plain text, joined by
commas: ``2025-03-03T10:00:00.000000Z,4711`` (newest: listed at, id), or
``4.2500,17,2025-03-03T10:00:00.000000Z,4711`` (top rated: score, votes,
listed at, id). Plain rather than signed, because a key is only a position:
it selects nothing by itself. The items shown are still those of
``readable_content`` (the listing's own query) that sort past the key, so a
key copied from another section, tampered with, or made from a draft's or a
private item's values shows only items the reader may read, exactly as a
page boundary there would (tests/core/test_pagination_keyset.py). A key that
is malformed, or does not fit the listing's order (another sort's key), is a
404 (``InvalidCursor``).
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.expressions import OrderBy
from django.http import Http404

# Keys longer than this are refused before parsing (four values need ~60).
MAX_KEY_LENGTH = 200
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_DECIMAL = re.compile(r"-?\d{1,12}(\.\d{1,12})?")
_INTEGER = re.compile(r"-?\d{1,18}")


class InvalidCursor(Http404):
    """A ``?after=``/``?before=`` key that is malformed or not of this listing's order (404)."""


def _encode(value: object) -> str | None:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return None
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return str(value)
    return None


def _decode(text: str, kind: type) -> object:
    if kind is datetime.datetime and _DATETIME.fullmatch(text):
        return datetime.datetime.fromisoformat(text)  # ValueError for 2025-13-40
    if kind is Decimal and _DECIMAL.fullmatch(text):
        return Decimal(text)
    if kind is int and _INTEGER.fullmatch(text):
        return int(text)
    raise ValueError(text)


class RowCompare(Func):
    """``(a, b, …) < (x, y, …)`` (or ``>``): a row's place in an index's order.

    One row comparison, not ``a < x OR (a = x AND b < y) …``: SQLite and
    PostgreSQL both seek an index on ``(a, b, …)`` straight to the row, where
    the expanded form started at the first ``a = x`` and read every tie
    ("top rated": thousands of unrated items share a score and a count).
    """

    output_field = models.BooleanField()

    def __init__(self, columns: Sequence, values: Sequence, *, op: str) -> None:
        if op not in ("<", ">") or len(columns) != len(values) or not columns:
            raise ValueError("RowCompare needs as many values as columns, and < or >")
        super().__init__(*columns, *values)
        self.op = op
        self.width = len(columns)

    def as_sql(self, compiler, connection, **extra_context):
        sqls, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            sqls.append(sql)
            params.extend(expression_params)
        columns, values = sqls[: self.width], sqls[self.width :]
        return f"({', '.join(columns)}) {self.op} ({', '.join(values)})", params


@dataclass(frozen=True)
class Keyset:
    """How to find a position in one listing's order.

    ``names`` are the items' attributes the key is read from, ``fields`` the
    model fields that type them, ``columns`` the expressions compared (the
    order's own columns, so the database seeks the order's index), and
    ``descending`` the one direction of every term.
    """

    names: tuple[str, ...]
    fields: tuple[models.Field, ...]
    columns: tuple
    descending: bool

    def key_of(self, item: object) -> str | None:
        """``item``'s key, or None when a value cannot be a key (then pages are numbered)."""
        parts = [_encode(getattr(item, name, None)) for name in self.names]
        if any(part is None for part in parts):
            return None
        return ",".join(parts)

    def parse(self, key: object) -> tuple:
        """The values in ``key``; ``InvalidCursor`` unless they fit this order exactly."""
        if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH:
            raise InvalidCursor("Malformed position.")
        parts = key.split(",")
        if len(parts) != len(self.fields):
            raise InvalidCursor("This position is not one of this listing's.")
        try:
            return tuple(
                _decode(part, _kind(field)) for part, field in zip(parts, self.fields, strict=True)
            )
        except (ValueError, ArithmeticError) as error:
            raise InvalidCursor("Malformed position.") from error

    def past(self, values: tuple, *, after: bool) -> RowCompare:
        """The condition "listed after ``values``" (or before them, ``after=False``)."""
        op = "<" if self.descending == after else ">"
        pairs = zip(values, self.fields, strict=True)
        typed = [Value(value, output_field=field) for value, field in pairs]
        return RowCompare(self.columns, typed, op=op)


def _kind(field: models.Field) -> type | None:
    if isinstance(field, models.DateTimeField):
        return datetime.datetime
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.IntegerField | models.AutoField):
        return int
    return None


def keyset_for(model: type[models.Model], order_by: tuple, columns: tuple) -> Keyset | None:
    """The keyset of ordering ``model`` by ``order_by`` (a ``ListingOrder``'s field names)
    when it can have one: every term a date, decimal or integer field, all in one
    direction, ending with the unique pk. Else None: such a listing's pages stay numbered.

    ``columns`` are the expressions the order actually sorts by (one per term).
    """
    if not order_by or len(columns) != len(order_by):
        return None
    names, fields, directions = [], [], set()
    for term in order_by:
        if not isinstance(term, str):
            return None
        directions.add(term.startswith("-"))
        name = term.lstrip("-")
        if name == "pk":
            field = models.BigIntegerField()
        else:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                return None
        if _kind(field) is None:
            return None
        names.append(name)
        fields.append(field)
    if len(directions) != 1 or names[-1] != "pk":
        return None
    return Keyset(
        names=tuple(names),
        fields=tuple(fields),
        columns=tuple(_column(column) for column in columns),
        descending=directions.pop(),
    )


def _column(term: object) -> object:
    """The expression an order term sorts by (``F("listed_at")`` for ``"-listed_at"``)."""
    if isinstance(term, OrderBy):
        return term.expression
    if isinstance(term, str):
        return F(term.lstrip("-"))
    return term


class KeysetPage(Sequence):
    """One page found by position, for ``includes/pagination.html``: its items, and the keys
    of the pages before and after it (None at either end). It has no number."""

    number = None

    def __init__(self, items: list, *, key_previous: str | None, key_next: str | None):
        self.object_list = items
        self.key_previous = key_previous
        self.key_next = key_next

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self.key_next is not None

    def has_previous(self) -> bool:
        return self.key_previous is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()
