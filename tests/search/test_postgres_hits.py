"""PostgreSQL's bounded ranking (search.hits._postgres_ids).

Ranking reads every candidate's body vector, so a word in a third of the
items cost seconds at 100,000 (benchmarks/README.md). Each indexed column
gives at most ``POSTGRES_CANDIDATES`` matches the reader may be shown (the
title's best by its own rank, the body's newest), and only those are ranked.
These tests shrink the bound to show what it keeps: the best title matches,
first; the newest readable body matches; nothing the reader may not read,
even as a candidate that would take a place.
PostgreSQL only (SQLite and the engine rank every match:
tests/search/test_search.py runs on every backend).
"""

from django.db import connection

import pytest

from core.models import Audience, ContentPage
from search.hits import matching_ids
from tests.factories import BlogPageFactory
from tests.search.test_search import body

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranking query"),
]


@pytest.fixture
def lanterns(blog_index):
    """A title match (oldest), a strong body match, three newer body matches, a members' one."""
    pages = {
        "title": BlogPageFactory(parent=blog_index, title="Lantern festival", body=body("Calm.")),
        "strong": BlogPageFactory(
            parent=blog_index,
            title="Evening notes",
            body=body("Lantern after lantern, lantern by lantern: a lantern walk."),
        ),
    }
    for name in ("c", "d", "e"):
        pages[name] = BlogPageFactory(
            parent=blog_index, title=f"Note {name}", body=body("We carried a lantern.")
        )
    pages["members"] = BlogPageFactory(
        parent=blog_index, title="Members' note", body=body("A lantern for members.")
    )
    ContentPage.objects.filter(pk=pages["members"].pk).update(audience=Audience.MEMBERS)
    return {name: page.pk for name, page in pages.items()}


def test_a_title_match_outranks_the_strongest_body_match(lanterns):
    ids = matching_ids("lantern")

    assert ids[:2] == [lanterns["title"], lanterns["strong"]]
    assert lanterns["members"] not in ids


def test_past_the_bound_the_newest_readable_body_matches_are_ranked(lanterns, member, monkeypatch):
    monkeypatch.setattr("search.hits.POSTGRES_CANDIDATES", 3, raising=False)

    visitor = matching_ids("lantern", limit=3)
    signed_in = matching_ids("lantern", user=member, limit=3)

    # The title match is always a candidate, and still ranks first; the body
    # candidates are the three newest the reader may read, so the old strong
    # body match is left out, and the members' item takes no visitor's place.
    assert visitor[0] == lanterns["title"]
    assert set(visitor[1:]) <= {lanterns["c"], lanterns["d"], lanterns["e"]}
    assert len(visitor) == 3
    assert signed_in[0] == lanterns["title"]
    assert set(signed_in[1:]) <= {lanterns["d"], lanterns["e"], lanterns["members"]}
    assert lanterns["strong"] not in visitor + signed_in


def test_unpublished_items_are_never_candidates(lanterns, monkeypatch):
    monkeypatch.setattr("search.hits.POSTGRES_CANDIDATES", 3, raising=False)
    for name in ("d", "e"):
        ContentPage.objects.get(pk=lanterns[name]).unpublish()

    ids = matching_ids("lantern", limit=3)

    assert ids[0] == lanterns["title"]
    # d and e take no body candidate's place: c and the strong match fill them.
    assert set(ids[1:]) == {lanterns["c"], lanterns["strong"]}


def test_past_the_bound_the_best_title_matches_are_ranked(blog_index, monkeypatch):
    monkeypatch.setattr("search.hits.POSTGRES_CANDIDATES", 1, raising=False)
    # The title's own rank (modelsearch's title norm) favours the short title.
    best = BlogPageFactory(parent=blog_index, title="Lanterns", body=body("Calm."))
    BlogPageFactory(
        parent=blog_index,
        title="An evening walk with the old family lantern, the dog and two friends",
        body=body("Calm."),
    )

    assert matching_ids("lantern", limit=1) == [best.pk]
