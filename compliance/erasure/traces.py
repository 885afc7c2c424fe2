"""What mentions the member elsewhere: the outbox, the task queue, log entries, the query log.

These hold no foreign key to the member (or not only one), so they are found
by their text: a row that mentions one of the member's needles (names,
addresses, handles, and the titles of what is removed) is deleted or scrubbed.
The database finds the candidates (``icontains``); Python then keeps only real
mentions, so other people's rows are left alone: a name counts as a whole word
("Anna" is not in "Savannah"), a title only as a whole value or in quotes
("Fatigue" is the label "Fatigue" or the subject's ‘Fatigue’, not the item
"Fatigue and me").
"""

import json
import re

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from wagtail.contrib.search_promotions.models import Query
from wagtail.log_actions import registry
from wagtail.models import PageLogEntry

from django_tasks_db.models import DBTaskResult

from core.models import OutboundEmail

from . import ERASED_LABEL, Erasure

# The receipt: sent to the member after the erasure, then scrubbed (services.erasure).
RECEIPT_KEY_PREFIX = "compliance:erasure-receipt:"


def _variants(needle: str) -> set[str]:
    """The needle as typed, and as JSON escapes it (SQLite stores JSON with ASCII escapes)."""
    return {needle, json.dumps(needle)[1:-1]}


def _text_matches(
    erasure: Erasure, *fields: str, json_fields: tuple[str, ...] = (), titles: bool = True
) -> Q:
    """The candidates: rows whose fields contain a needle anywhere (refined by ``_mentioning``)."""
    condition = Q(pk__in=[])
    for needle in erasure.needles | (erasure.title_needles if titles else set()):
        for variant in _variants(needle):
            for name in fields:
                condition |= Q(**{f"{name}__icontains": variant})
            for name in json_fields:
                condition |= Q(**{f"{name}_text__icontains": variant})
    return condition


# Quotes a title may stand between: JSON's and typographic ones, and HTML's angle brackets.
_OPENING = "\"'‘“«>"
_CLOSING = "\"'’”»<"


def _patterns(erasure: Erasure, *, titles: bool) -> list[re.Pattern]:
    """What a real mention of the member looks like, in any stored form of a text."""
    patterns = []
    for needle in erasure.needles:
        for variant in _variants(needle):
            patterns.append(re.compile(rf"(?<!\w){re.escape(variant)}(?!\w)", re.IGNORECASE))
    if titles:
        for title in erasure.title_needles:
            for variant in _variants(title):
                patterns.append(
                    re.compile(
                        rf"(?:^|[{_OPENING}]){re.escape(variant)}(?:$|[{_CLOSING}])",
                        re.IGNORECASE,
                    )
                )
    return patterns


def _mentioning(rows, erasure: Erasure, fields: tuple[str, ...], *, titles: bool = True) -> list:
    """The pks of the candidate ``rows`` whose ``fields`` (annotated texts) really mention them."""
    patterns = _patterns(erasure, titles=titles)
    found = []
    for pk, *texts in rows.values_list("pk", *fields):
        for text in texts:
            text = "" if text is None else str(text).strip()
            if any(pattern.search(text) for pattern in patterns):
                found.append(pk)
                break
    return found


def outbox_erase(erasure: Erasure) -> None:
    """Emails to the member or naming them or their items (sent or waiting), but the receipt.

    A waiting email deleted here is skipped by its delivery task (it finds no row).
    """
    if not erasure.needles | erasure.title_needles:
        return
    rows = (
        OutboundEmail.objects.annotate(message_text=Cast("message", TextField()))
        .filter(_text_matches(erasure, "to", "subject", json_fields=("message",)))
        .exclude(key__startswith=RECEIPT_KEY_PREFIX)
    )
    mentioning = _mentioning(rows, erasure, ("to", "subject", "message_text"))
    erasure.add("emails_in_outbox", OutboundEmail.objects.filter(pk__in=mentioning).delete()[0])


def tasks_erase(erasure: Erasure) -> None:
    """Task-queue rows whose arguments, result or error name the member.

    Kindred's tasks carry ids only, so this should find nothing; it is the
    proof of that rule rather than its mechanism (the canary test checks the
    queue too). Running rows are left to their worker.
    """
    if not erasure.needles | erasure.title_needles:
        return
    rows = (
        DBTaskResult.objects.annotate(
            args_kwargs_text=Cast("args_kwargs", TextField()),
            return_value_text=Cast("return_value", TextField()),
        )
        .filter(
            _text_matches(
                erasure,
                "traceback",
                "exception_class_path",
                json_fields=("args_kwargs", "return_value"),
            )
        )
        .exclude(status="RUNNING")
    )
    mentioning = _mentioning(
        rows,
        erasure,
        ("traceback", "exception_class_path", "args_kwargs_text", "return_value_text"),
    )
    erasure.add("task_results", DBTaskResult.objects.filter(pk__in=mentioning).delete()[0])


def logs_erase(erasure: Erasure) -> None:
    """Log entries keep their action, time and user id (the tombstone); lose names and titles.

    Entries about removed items lose their label and data; entries about a
    kept item keep its (public) title but lose their data (older titles);
    any other entry that mentions the member is scrubbed the same way.
    """
    removed = list(erasure.removed_page_ids)
    kept = list(erasure.kept_page_ids)
    scrubbed = 0
    if removed:
        scrubbed += PageLogEntry.objects.filter(page_id__in=removed).update(
            label=ERASED_LABEL, data={}
        )
    if kept:
        scrubbed += PageLogEntry.objects.filter(page_id__in=kept).update(data={})
    if erasure.needles | erasure.title_needles:
        for model in registry.get_log_entry_models():
            rows = model.objects.annotate(data_text=Cast("data", TextField())).filter(
                _text_matches(erasure, "label", json_fields=("data",))
            )
            mentioning = _mentioning(rows, erasure, ("label", "data_text"))
            scrubbed += model.objects.filter(pk__in=mentioning).update(label=ERASED_LABEL, data={})
    erasure.add("log_entries_scrubbed", scrubbed)


def query_log_erase(erasure: Erasure) -> None:
    """Searches are logged without their searcher; those containing the member's names go.

    (A member looking themselves up, or someone else looking for them.)
    Their daily counts go with them.
    """
    if not erasure.needles:
        return
    rows = Query.objects.filter(_text_matches(erasure, "query_string", titles=False))
    mentioning = _mentioning(rows, erasure, ("query_string",), titles=False)
    erasure.add(
        "search_queries",
        Query.objects.filter(pk__in=mentioning).delete()[1].get(Query._meta.label, 0),
    )


# SQLite's full-text tables (Wagtail's, and Kindred's stemmed one, search/migrations/0002):
# FTS5 keeps the words of a deleted row in its index segments until they are merged.
SQLITE_FTS_TABLES = ("wagtailsearch_indexentry_fts", "kindred_search_stemmed_fts")


def search_index_compact(erasure: Erasure) -> None:
    """On SQLite, merge the full-text indexes so the removed documents' words are really gone.

    Deleting an index entry leaves a "deleted" marker beside the old words in
    FTS5's segments (``*_fts_data``); only a merge drops both. ``optimize``
    rewrites each index as one segment (the canary test found the words
    without it). PostgreSQL's index lives in the rows themselves, deleted
    with them; the engine's documents are deleted by ``search.signals``.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in SQLITE_FTS_TABLES:
            if table in existing:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
                erasure.add("search_indexes_compacted", 1)
