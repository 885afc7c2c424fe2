"""SQLite's stemmed full-text table (search/migrations/0002_stemmed_fts.py) stays in step.

The table indexes Wagtail's index entries through triggers; these tests edit,
unpublish, delete and rebuild, and ask FTS5 itself whether its index still
matches the entries ('integrity-check' compares an external-content table
with its content). SQLite only: PostgreSQL and the engine stem by
configuration (tests/search/test_search.py covers every backend).
"""

from importlib import import_module
from types import SimpleNamespace

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.search.backends import get_search_backend

import pytest

from core.models import Audience, ContentPage
from core.selectors import readable_content
from search.hits import STEMMED_FTS_TABLE, matching_ids
from tests.factories import BlogPageFactory
from tests.search.test_search import body

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own FTS5 table"),
]
migration = import_module("search.migrations.0002_stemmed_fts")


def assert_index_in_step():
    with connection.cursor() as cursor:
        # Raises "database disk image is malformed" (SQLITE_CORRUPT_VTAB) if not.
        cursor.execute(
            f"INSERT INTO {STEMMED_FTS_TABLE}({STEMMED_FTS_TABLE}, rank) "  # noqa: S608
            "VALUES ('integrity-check', 1)"
        )


def test_edits_unpublishing_and_deletion_keep_the_stemmed_index_in_step(blog_index):
    page = BlogPageFactory(parent=blog_index, title="Steroid courses", body=body("Short."))
    other = BlogPageFactory(parent=blog_index, title="Walking aids", body=body("Sticks."))
    assert matching_ids("steroids") == [page.pk]
    assert matching_ids("walks") == [other.pk]

    page.title = "Cooling vests"
    page.save_revision().publish()
    assert matching_ids("steroids") == []
    assert matching_ids("vest") == [page.pk]
    assert_index_in_step()

    other.delete()
    assert matching_ids("walks") == []
    assert_index_in_step()

    call_command("update_index", verbosity=0)
    assert matching_ids("vest") == [page.pk]
    assert_index_in_step()


def test_the_migration_indexes_what_was_indexed_before_it(blog_index):
    page = BlogPageFactory(parent=blog_index, title="Therapy dogs", body=body("Calm company."))
    # What the migration's functions use of a schema editor; SQLite's own
    # cannot open inside the test's transaction, where DDL is still fine.
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.drop_stemmed_table(None, editor)
        assert STEMMED_FTS_TABLE not in connection.introspection.table_names(cursor)

        migration.create_stemmed_table(None, editor)

    assert matching_ids("therapies") == [page.pk]
    assert_index_in_step()


def test_autocomplete_matches_prefixes_unstemmed(blog_index):
    page = BlogPageFactory(parent=blog_index, title="Running in the heat")

    assert matching_ids("runn", autocomplete=True) == [page.pk]
    # A search is for whole words: a prefix alone is not one.
    assert matching_ids("runn") == []
    assert matching_ids("runs") == [page.pk]


def test_hits_the_reader_may_not_see_take_no_place_in_the_limit(blog_index, member):
    members = BlogPageFactory(
        parent=blog_index, title="Lantern lantern", body=body("Lantern, lantern, lantern.")
    )
    ContentPage.objects.filter(pk=members.pk).update(audience=Audience.MEMBERS)
    public = BlogPageFactory(parent=blog_index, title="Evening notes", body=body("A lantern."))

    # Ranked before they are probed, but the probe comes before the limit:
    # the visitor's one hit is the best one they may read, not none.
    assert matching_ids("lantern", limit=1) == [public.pk]
    assert matching_ids("lantern", user=member, limit=1) == [members.pk]
    assert matching_ids("lantern", user=member) == [members.pk, public.pk]


WAGTAIL_FTS_TABLE = "wagtailsearch_indexentry_fts"


@pytest.mark.parametrize(
    ("query", "autocomplete", "table"),
    [("lantern", False, STEMMED_FTS_TABLE), ("lant", True, WAGTAIL_FTS_TABLE)],
)
def test_a_search_probes_its_hits_instead_of_listing_every_readable_page(
    blog_index, member, query, autocomplete, table
):
    BlogPageFactory(parent=blog_index, title="Lantern walk", body=body("A lantern."))

    for user in (None, member):
        with CaptureQueriesContext(connection) as queries:
            assert matching_ids(query, user=user, autocomplete=autocomplete)
        # A search is one match, and on SQLite a second for German items' other
        # word forms (their German stems as prefixes, issue 18): each planned alike.
        searches = [query for query in queries if f"{table} MATCH" in query["sql"]]
        assert 1 <= len(searches) <= (1 if autocomplete else 2)
        for search in searches:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {search['sql']}")  # noqa: S608 - its own SQL
                plan = [row[-1] for row in cursor.fetchall()]
            # Every content page's row (bodies and all) was read to list the
            # readable ones: 0.6 s of a 0.9 s search at 100,000 items, and
            # 110-180 ms of every autocomplete keystroke.
            # Scans allowed: the full-text match, the list of candidates (the
            # newest readable matches, at most the bound), and the reader's own
            # memberships (a signed-in reader's communities).
            # (``newest_fts`` is the same table, walked newest first for the bound.)
            allowed = (f"SCAN {table} ", "SCAN newest_fts ", "SCAN readable", "membership")
            scans = [step for step in plan if step.startswith("SCAN")]
            unexpected = [step for step in scans if not any(name in step for name in allowed)]
            assert unexpected == [], plan
            # Each match is probed once, on the walk: the ranked ones are kept by
            # their place in its list, not probed again (300 probes more for a
            # common word at 100,000 items).
            assert search["sql"].count("EXISTS") == 1, search["sql"]


def test_autocomplete_ranks_as_wagtails_own_query(blog_index, member):
    # modelsearch's own SQL (a correlated subquery per hit: fine at this size)
    # is the reference for the match and the bm25 order.
    for number, title in enumerate(["Lantern", "Lanterns at dusk", "A lantern walk home"]):
        BlogPageFactory(parent=blog_index, title=title, body=body(f"Note {number}."))
    members = BlogPageFactory(parent=blog_index, title="Lantern club")
    ContentPage.objects.filter(pk=members.pk).update(audience=Audience.MEMBERS)
    backend = get_search_backend()

    for query in ("lan", "lantern", "lantern wa"):
        for user in (None, member):
            readable = readable_content(user=user)
            expected = [page.pk for page in backend.autocomplete(query, readable, operator="and")]
            assert matching_ids(query, user=user, autocomplete=True) == expected, query


def test_autocomplete_is_bounded_as_searches_are(blog_index, monkeypatch):
    pages = [BlogPageFactory(parent=blog_index, title=f"Lantern {n}").pk for n in range(4)]
    monkeypatch.setattr("search.hits.SQLITE_CANDIDATES", 2, raising=False)

    assert set(matching_ids("lant", autocomplete=True, limit=1)) <= set(pages[-2:])
    assert len(matching_ids("lant", autocomplete=True, limit=10)) == 4


@pytest.fixture
def lanterns(blog_index):
    """The strongest match (oldest), three newer weak ones, a members' one (newest)."""
    pages = {
        "strong": BlogPageFactory(
            parent=blog_index, title="Lantern lantern", body=body("Lantern after lantern.")
        )
    }
    for name in ("c", "d", "e"):
        pages[name] = BlogPageFactory(
            parent=blog_index,
            title=f"Note {name}",
            body=body("We walked home in the dark and carried a lantern with us."),
        )
    pages["members"] = BlogPageFactory(
        parent=blog_index, title="Members' note", body=body("A lantern for members.")
    )
    ContentPage.objects.filter(pk=pages["members"].pk).update(audience=Audience.MEMBERS)
    return {name: page.pk for name, page in pages.items()}


def test_within_the_bound_every_match_is_ranked(lanterns, member):
    # A site of the demo's size: fewer matches than the bound, the order is bm25's over all.
    assert matching_ids("lantern")[0] == lanterns["strong"]
    assert set(matching_ids("lantern")) == set(lanterns.values()) - {lanterns["members"]}
    assert set(matching_ids("lantern", user=member)) == set(lanterns.values())


def test_past_the_bound_the_newest_readable_matches_are_ranked(lanterns, member, monkeypatch):
    # bm25 over every match cost 80 ms for a word in 30,000 of 100,000 items.
    monkeypatch.setattr("search.hits.SQLITE_CANDIDATES", 3, raising=False)

    # The best two of the visitor's three newest readable matches (the
    # members' one is newer but takes no place): the oldest, strongest match
    # is not among them.
    visitor = matching_ids("lantern", limit=2)
    assert len(visitor) == 2
    assert set(visitor) <= {lanterns["c"], lanterns["d"], lanterns["e"]}
    # The member's three newest include the members' one.
    assert set(matching_ids("lantern", user=member, limit=2)) <= {
        lanterns["members"],
        lanterns["d"],
        lanterns["e"],
    }
    # A limit larger than the bound is the bound: every match again here.
    assert matching_ids("lantern", limit=10)[0] == lanterns["strong"]


def test_the_bound_keeps_each_match_its_score(lanterns, monkeypatch):
    # bm25's statistics cover the whole table, so the order among the
    # candidates is the order they had among all matches.
    everything = matching_ids("lantern")
    monkeypatch.setattr("search.hits.SQLITE_CANDIDATES", 3, raising=False)
    bounded = matching_ids("lantern", limit=3)

    assert len(bounded) == 3 and lanterns["strong"] not in bounded
    assert bounded == [pk for pk in everything if pk in bounded]
