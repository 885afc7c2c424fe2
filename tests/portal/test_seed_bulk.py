"""seed_demo --items writes items in bulk: indistinguishable from items published one by one.

The same items are published twice from the same draw, once through
add_child / save_revision / publish (``synthetic_item_publish``) and once
through ``synthetic_items_bulk_create``, each inside a savepoint that is then
rolled back; everything the site and the admin read about them is captured
each time and must be equal: the rows (tree, specific fields, revision,
history, tags, references, rating summary, search index), the pages and
listings as a visitor gets them, search results, and treebeard's own check.
"""

import json
import os
import re
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, connections, transaction

from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

import pytest

from core import roles
from core.models import Condition, ContentPage
from portal.demo import bulk, content_de
from ratings.models import RatingSummary
from search.params import SearchParams
from search.selectors import search_content
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)  # the same dates both times
COUNT = 9  # three of each type, with and without ratings, stories with a condition
QUERIES = ["fatigue", "pacing", "walking", "neurologist"]
# Ids and what is drawn at random per save (a new uuid, a CSP nonce, a CSRF token).
VOLATILE = re.compile(r'(nonce|csrfmiddlewaretoken|value|content)="[A-Za-z0-9+/=_-]{20,}"')


@pytest.fixture
def accounts(member, expert):
    Condition.objects.create(name="Relapsing-remitting MS", slug="relapsing-remitting-ms")
    Condition.objects.create(name="Primary progressive MS", slug="primary-progressive-ms")
    return {"member1": member, "member2": UserFactory(group=roles.MEMBERS), "expert": expert}


def _specs(accounts, sections):
    return list(
        bulk.synthetic_item_specs(count=COUNT, accounts=accounts, sections=sections, now=NOW)
    )


def _without(row, *names):
    return {key: value for key, value in row.items() if key not in names}


def _tag_names(references, tag_type):
    """References to tags by the tag's name (tag ids differ between the runs on PostgreSQL)."""
    names = dict(Tag.objects.values_list("pk", "name"))
    return sorted(
        repr(
            sorted(
                {
                    **ref,
                    "to_object_id": names[int(ref["to_object_id"])]
                    if ref["to_content_type_id"] == tag_type
                    else ref["to_object_id"],
                }.items()
            )
        )
        for ref in references
    )


def _snapshot(client, sections):
    """What the database, the site and search say about the synthetic items."""
    for cache in caches.all():
        cache.clear()  # nothing may come from the other run's responses
    pages = list(
        ContentPage.objects.filter(slug__startswith=bulk.SLUG_PREFIX).order_by("path").specific()
    )
    ids = {page.pk: page.slug for page in pages}
    tags = dict(Tag.objects.values_list("pk", "name"))
    tag_type = ContentType.objects.get_for_model(Tag).pk
    rows = {}
    for page in pages:
        row = _without(
            type(page).objects.filter(pk=page.pk).values().get(),
            "id",
            "path",  # compared below, in "tree", as the order of the slugs
            "page_ptr_id",
            "contentpage_ptr_id",
            "translation_key",
            "latest_revision_id",
            "live_revision_id",
        )
        for name in ("body", "references"):
            if name in row:
                row[name] = _stream(row[name])
        revisions = list(Revision.page_revisions.filter(object_id=str(page.pk)).values())
        assert [r["id"] for r in revisions] == [page.latest_revision_id] == [page.live_revision_id]
        content = _without(
            revisions[0].pop("content"), "pk", "translation_key", "page_ptr", "contentpage_ptr"
        )
        for name in ("body", "references"):
            if name in content:
                content[name] = _stream(content[name])
        content["tagged_items"] = sorted(tags[item["tag"]] for item in content["tagged_items"])
        logs = sorted(
            repr(
                {
                    **_without(entry, "id", "uuid", "revision_id", "page_id"),
                    "own revision": entry["revision_id"] == page.latest_revision_id,
                }
            )
            for entry in PageLogEntry.objects.filter(page_id=page.pk).values()
        )
        references = _tag_names(
            [
                {
                    **_without(ref, "id", "object_id", "content_path_hash"),
                    # The path names the tagged item's id, new each run on PostgreSQL.
                    "content_path": re.sub(r"\.\d+\.", ".*.", ref["content_path"]),
                }
                for ref in ReferenceIndex.objects.filter(object_id=str(page.pk)).values()
            ],
            tag_type,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT content_type_id, title, autocomplete, body FROM wagtailsearch_indexentry "
                "WHERE object_id = %s",
                [str(page.pk)],
            )
            # The body's words in any order, without PostgreSQL's word
            # positions: the tags come after the text in whatever order the
            # database returns them to the indexer (unordered, per run).
            index_rows = sorted(
                (kind, title, complete, sorted(re.sub(r"':[\d,A-D]+", "'", body).split()))
                for kind, title, complete, body in cursor.fetchall()
            )
        rows[page.slug] = repr(
            {
                "row": row,
                "revision": _without(revisions[0], "id", "object_id"),
                "revision_content": content,
                "log": logs,
                "tags": sorted(page.tags.values_list("name", flat=True)),
                "references": references,
                "rating": list(
                    RatingSummary.objects.filter(page_id=page.pk).values_list(
                        "count", "total", "bayesian_score"
                    )
                ),
                "index": index_rows,
            }
        )
    used = Tag.objects.filter(core_contentpagetag_items__isnull=False).distinct()
    urls = ["/", *(f"/tags/{slug}/" for slug in used.values_list("slug", flat=True))]
    urls += [section.url for section in sections.values() if section.live]
    urls += [page.url for page in pages]
    responses = {}
    for url in urls:
        response = client.get(url)
        html = VOLATILE.sub("", response.content.decode())
        for pk, slug in ids.items():  # links carrying a page id (new each run on PostgreSQL)
            html = re.sub(rf'(?<=[=/"]){pk}(?=["&/])', f"<{slug}>", html)
        responses[url] = (response.status_code, TAG_LIST.sub(_sorted_tags, html))
    anonymous = AnonymousUser()
    found = {
        query: [
            ids.get(hit.pk, hit.pk)
            for hit in search_content(user=anonymous, params=SearchParams(query=query)).items
        ]
        for query in QUERIES
    }
    tree = {
        "problems": Page.find_problems(),
        "order": [page.slug for page in pages],
        "paths": [page.path for page in pages],
        "sections": sorted((s.slug, Page.objects.get(pk=s.pk).numchild) for s in sections.values()),
        "tags": sorted(Tag.objects.values_list("name", "slug")),
    }
    return rows, responses, found, tree


# A card's tags come in the order the database returns them (the listing does
# not order them): on PostgreSQL the physical order, which publishing's
# repeated saves change. Compared as a set.
TAG_LIST = re.compile(r'(<ul class="tags"[^>]*>)(.*?)(</ul>)', re.S)


def _sorted_tags(match):
    return match[1] + "".join(sorted(re.findall(r"<li>.*?</li>", match[2], re.S))) + match[3]


def _stream(value):
    """A StreamField's blocks without their ids (a new uuid each time a block is built)."""
    if hasattr(value, "get_prep_value"):
        value = value.get_prep_value()
    if isinstance(value, str):
        value = json.loads(value)
    return [_without(block, "id") for block in value]


def _first_difference(got, expected):
    at = next((n for n, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), 0)
    return f"bulk: …{got[at - 150 : at + 150]}…\none by one: …{expected[at - 150 : at + 150]}…"


def _run(publish, client, sections):
    with transaction.atomic():
        publish()
        snapshot = _snapshot(client, sections)
        transaction.set_rollback(True)
    return snapshot


# 0: every batch computed in this process; 2: the first here, the others by two
# forked worker processes (batches of 4: three batches, two of them in workers).
@pytest.mark.parametrize("workers", [0, 2])
def test_bulk_items_are_indistinguishable_from_items_published_one_by_one(
    client, accounts, sections, workers
):
    def one_by_one():
        for item in _specs(accounts, sections):
            bulk.synthetic_item_publish(item)

    def in_bulk():
        bulk.synthetic_items_bulk_create(
            items=_specs(accounts, sections), batch_size=4, workers=workers
        )

    rows, responses, found, tree = _run(one_by_one, client, sections)
    bulk_rows, bulk_responses, bulk_found, bulk_tree = _run(in_bulk, client, sections)

    # The comparison would prove nothing if nothing had been made.
    assert len(rows) == COUNT
    assert "'rating': [(" in "".join(rows.values())  # some items carry a rating
    assert {url: code for url, (code, _html) in responses.items() if code != 200} == {}
    assert any(found.values())
    assert tree["problems"] == ([], [], [], [], [])

    assert bulk_rows.keys() == rows.keys()
    for slug in rows:
        assert bulk_rows[slug] == rows[slug], _first_difference(bulk_rows[slug], rows[slug])
    assert bulk_responses.keys() == responses.keys()
    for url in responses:
        assert bulk_responses[url] == responses[url], _first_difference(
            bulk_responses[url][1], responses[url][1]
        )
    # The same hits; equally relevant ones come back in the index's insertion
    # order, which bulk indexing (a type at a time) changes just as a rebuild
    # with update_index does for items published one by one.
    assert {q: sorted(hits) for q, hits in bulk_found.items()} == {
        q: sorted(hits) for q, hits in found.items()
    }
    assert bulk_tree == tree


def test_bulk_items_continue_the_numbering_and_the_tree(accounts, sections):
    """A second run adds after the first: new slugs, later tree positions, numchild summed."""
    bulk.synthetic_items_bulk_create(items=_specs(accounts, sections), batch_size=5)
    bulk.synthetic_items_bulk_create(items=_specs(accounts, sections), batch_size=5)

    slugs = set(ContentPage.objects.values_list("slug", flat=True))
    assert slugs == {f"synthetic-{n}" for n in range(1, 2 * COUNT + 1)}
    assert Page.find_problems() == ([], [], [], [], [])
    for section in sections.values():
        section.refresh_from_db()
        assert section.numchild == Page.objects.child_of(section).count()


def test_a_batch_costs_the_same_queries_whatever_its_size(accounts, sections):
    """Bulk means a fixed number of statements per batch, not per item.

    The topics' tags exist first: a new tag is one insert the first time it is used.
    120 items are more rows than one of Django's statements takes on SQLite
    (999 parameters: ~30 pages, ~90 log entries): each table is still one
    statement, run per row.
    """
    from django.test.utils import CaptureQueriesContext

    # The German items' topics too (one item in ten; issue 18).
    for name in dict.fromkeys(bulk.SYNTHETIC_TOPICS + content_de.SYNTHETIC_TOPICS):
        Tag.objects.create(name=name)
    counts = []
    # The first fills the content-type cache. Each batch holds every kind and both
    # languages: the search index writes each kind's items once per language (their
    # own text search configuration on PostgreSQL, issue 18), a fixed cost per batch.
    for count in (30, 30, 120):
        specs = bulk.synthetic_item_specs(count=count, accounts=accounts, sections=sections)
        with CaptureQueriesContext(connection) as queries:
            bulk.synthetic_items_bulk_create(items=list(specs), batch_size=200)
        counts.append(len(queries))
    assert ContentPage.objects.count() == 180
    assert counts[1] == counts[2], counts


def test_indexing_extracts_each_items_text_once(accounts, sections, monkeypatch):
    """The database backends ask for every search field three times (title, autocomplete,
    body); the bulk path draws each value once, from the pages in memory."""
    from wagtail.fields import StreamField

    extracted = []
    real = StreamField.get_searchable_content

    def counted(self, value):
        extracted.append(self.name)
        return real(self, value)

    monkeypatch.setattr(StreamField, "get_searchable_content", counted)
    specs = _specs(accounts, sections)
    bulk.synthetic_items_bulk_create(items=specs, batch_size=4)

    assert ContentPage.objects.filter(slug__startswith=bulk.SLUG_PREFIX).count() == COUNT
    assert extracted.count("body") == COUNT
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM wagtailsearch_indexentry")
        assert cursor.fetchone()[0] >= COUNT


def test_a_batchs_rows_are_computed_without_a_query(accounts, sections, django_assert_num_queries):
    """What a worker process does (``_batch_rows``) needs nothing from the database: it is
    given the ids, paths, tags and content types (``_Planner``), and a query there would use
    the connection it shares with the writer. The first batch fills the process's caches,
    as in ``_computed``; the second is computed with no query at all."""
    planner = bulk._Planner()
    first, second = bulk._batches(_specs(accounts, sections), 5)
    bulk._batch_write(bulk._batch_rows(planner.plan(first)))
    plan = planner.plan(second)

    with django_assert_num_queries(0):
        batch = bulk._batch_rows(plan)

    assert [page.pk for page in batch.pages] == plan.page_ids
    assert sum(len(rows) for _sql, rows in batch.statements) > 6 * len(second)


def test_a_worker_refuses_to_query(db):
    """The guard ``_work_start`` installs in a worker: a query is an error, not a second
    user of the writer's connection; nothing reaches the database while it is on."""
    bulk._work_start()
    try:
        with pytest.raises(RuntimeError, match="must not query"):
            Tag.objects.create(name="written by a worker")
    finally:
        for conn in connections.all(initialized_only=True):
            conn.execute_wrappers.remove(bulk._refuse_queries)
    # With the guard removed the connection is the writer's again, and the refused
    # insert left nothing behind.
    assert list(Tag.objects.values_list("name", flat=True)) == []
    Tag.objects.create(name="written by the writer")
    assert list(Tag.objects.values_list("name", flat=True)) == ["written by the writer"]


def test_reserved_ids_are_never_given_to_another_insert(db):
    """Rows computed ahead of writing carry ids the table's own counter will skip."""
    before = Tag.objects.create(name="before").pk

    reserved = bulk._reserve_ids(Tag, 3)
    after = Tag.objects.create(name="after").pk

    assert len(set(reserved)) == 3
    assert before < min(reserved)
    assert max(reserved) < after
    assert bulk._reserve_ids(Tag, 0) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="modelsearch's SQLite index")
def test_sqlite_title_norms_are_those_the_index_sets_after_each_batch(accounts, sections):
    """SQLiteIndex.add_items ends by setting each new entry's title norm to the average
    title length of the whole index over its own; the bulk path sets it as it writes the
    entries (updating them afterwards rewrote every full-text row). The expected norms are
    computed here from the entries' titles, batch after batch, in the order written."""
    from modelsearch.backends.database.sqlite.sqlite import IndexEntry

    before = list(IndexEntry.objects.values_list("title", flat=True))
    bulk.synthetic_items_bulk_create(items=_specs(accounts, sections), batch_size=4)

    pages = list(ContentPage.objects.filter(slug__startswith=bulk.SLUG_PREFIX).order_by("pk"))
    entries = {
        int(object_id): (title, norm)
        for object_id, title, norm in IndexEntry.objects.filter(
            object_id__in=[str(page.pk) for page in pages]
        ).values_list("object_id", "title", "title_norm")
    }
    lengths = [len(title) for title in before if title]
    expected = {}
    for start in range(0, len(pages), 4):
        batch = pages[start : start + 4]
        lengths += [len(entries[page.pk][0]) for page in batch if entries[page.pk][0]]
        average = sum(lengths) / len(lengths)
        for page in batch:
            expected[page.pk] = average / len(entries[page.pk][0])
    assert len(expected) == COUNT
    assert {pk: norm for pk, (_title, norm) in entries.items()} == pytest.approx(expected)
    assert len({round(norm, 6) for norm in expected.values()}) > 1  # not all the same


def test_workers_compute_the_batches_after_the_first(accounts, sections, monkeypatch):
    """--workers: the first batch is computed by the writer (it fills the caches the
    forked workers inherit), the others by the workers, and all are written in order."""
    written = []
    real_write = bulk._batch_write

    def recorded(batch):
        written.append((batch.computed_by, [page.pk for page in batch.pages]))
        real_write(batch)

    monkeypatch.setattr(bulk, "_batch_write", recorded)
    done = bulk.synthetic_items_bulk_create(
        items=_specs(accounts, sections), batch_size=2, workers=2
    )

    assert done == COUNT
    processes = [pid for pid, _ids in written]
    assert processes[0] == os.getpid()
    assert os.getpid() not in processes[1:]
    ids = [pk for _pid, pks in written for pk in pks]
    assert ids == sorted(ids)
    assert (
        list(
            ContentPage.objects.filter(slug__startswith=bulk.SLUG_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        == ids
    )
