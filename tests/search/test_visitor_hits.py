"""A visitor's phase 1 is kept until anything public changes (``search.hits.visitor_matching_ids``).

Kept ids are only a shortcut to phase 1: each test here changes what a visitor
may read or find and checks that the very next search sees it, and that a
member's search (whose audiences differ) is neither kept nor served a
visitor's kept ids, nor the other way round.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from core.models import Audience
from pagecache.tags import ALL, invalidate
from search import hits
from search.hits import matching_ids, visitor_matching_ids
from search.params import search_params
from search.selectors import autocomplete_titles, search_content
from tests.factories import BlogPageFactory
from tests.search.test_search import body

pytestmark = pytest.mark.django_db

WORD = "lanternfish"


@pytest.fixture(autouse=True)
def keep_from_two(monkeypatch):
    """Keep phase 1 from two hits (the site's bound is a common word's hundred)."""
    monkeypatch.setattr(hits, "VISITOR_HITS_KEEP_FROM", 2)


def _ranking_queries(call) -> int:
    """How many queries ``call()`` ran (phase 1 kept: none)."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def _visitor_titles(client, word=WORD) -> list[str]:
    response = client.get(reverse("search:results"), {"q": word})
    assert response.status_code == 200
    return [item.title for item in response.context["results"].items]


def test_a_visitors_repeated_search_is_ranked_once(blog_index):
    pages = [
        BlogPageFactory(parent=blog_index, title=f"{WORD} {n}", body=body("Notes.")) for n in (1, 2)
    ]
    first = visitor_matching_ids(WORD)
    assert sorted(first) == sorted(page.pk for page in pages)
    assert first == matching_ids(WORD)
    # The same words again: no ranking query (it ran above, once).
    assert _ranking_queries(lambda: visitor_matching_ids(WORD)) == 0
    assert visitor_matching_ids(WORD) == first
    assert visitor_matching_ids(WORD, user=AnonymousUser()) == first
    # Other words, autocomplete and another limit are kept apart.
    assert _ranking_queries(lambda: visitor_matching_ids(WORD, autocomplete=True)) > 0
    assert _ranking_queries(lambda: visitor_matching_ids(WORD, limit=1)) > 0
    assert visitor_matching_ids(WORD, limit=1) == first[:1]
    assert visitor_matching_ids("zzqnothing") == []


def test_a_change_reaches_the_next_visitors_search_at_once(
    blog_index, client, settings, monkeypatch
):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(hits, "VISITOR_HITS_KEEP_FROM", 1)
    old = BlogPageFactory(parent=blog_index, title=f"Old {WORD}", body=body("Notes."))
    assert _visitor_titles(client) == [old.title]

    new = BlogPageFactory(parent=blog_index, title=f"New {WORD}", body=body("Notes."))
    assert sorted(_visitor_titles(client)) == sorted([old.title, new.title])

    old.unpublish()
    assert _visitor_titles(client) == [new.title]

    new.title = "Renamed"
    new.save_revision().publish()
    assert _visitor_titles(client) == []
    assert _visitor_titles(client, "renamed") == ["Renamed"]


def test_a_rare_word_and_a_word_found_nowhere_are_not_kept(blog_index, monkeypatch):
    monkeypatch.setattr(hits, "VISITOR_HITS_KEEP_FROM", 3)
    pages = [BlogPageFactory(parent=blog_index, title=f"{WORD} {n}") for n in (1, 2)]
    assert sorted(visitor_matching_ids(WORD)) == sorted(page.pk for page in pages)
    assert _ranking_queries(lambda: visitor_matching_ids(WORD)) > 0
    assert _ranking_queries(lambda: visitor_matching_ids("zzqmadeup")) > 0
    assert _ranking_queries(lambda: visitor_matching_ids("zzqmadeup")) > 0
    # Its whole limit found: kept, however small the limit.
    assert _ranking_queries(lambda: visitor_matching_ids(WORD, limit=1)) > 0
    assert _ranking_queries(lambda: visitor_matching_ids(WORD, limit=1)) == 0


def test_invalidating_the_page_cache_ranks_afresh(blog_index):
    # What a bulk write that sends no signal calls (pagecache.tags.invalidate).
    pages = [BlogPageFactory(parent=blog_index, title=f"{WORD} {n}") for n in (1, 2)]
    assert sorted(visitor_matching_ids(WORD)) == sorted(page.pk for page in pages)
    assert _ranking_queries(lambda: visitor_matching_ids(WORD)) == 0
    invalidate(ALL)
    assert _ranking_queries(lambda: visitor_matching_ids(WORD)) > 0
    assert _ranking_queries(lambda: visitor_matching_ids(WORD)) == 0


def test_a_members_search_is_never_kept_nor_given_a_visitors(blog_index, member):
    public = BlogPageFactory(parent=blog_index, title=f"Open {WORD}", body=body("Notes."))
    members_only = BlogPageFactory(
        parent=blog_index,
        title=f"Inner {WORD}",
        body=body("Notes."),
        audience=Audience.MEMBERS,
    )
    params = search_params({"q": WORD})
    # The member first: what they may read must not be kept for the visitor after them.
    assert {item.pk for item in search_content(user=member, params=params).items} == {
        public.pk,
        members_only.pk,
    }
    assert _ranking_queries(lambda: visitor_matching_ids(WORD, user=member)) > 0
    assert [item.pk for item in search_content(user=None, params=params).items] == [public.pk]
    # And the visitor's kept ids are not what the member gets after them.
    assert {item.pk for item in search_content(user=member, params=params).items} == {
        public.pk,
        members_only.pk,
    }
    assert [item["title"] for item in autocomplete_titles(user=None, query="inner lan")] == []
    assert [item["title"] for item in autocomplete_titles(user=member, query="inner lan")] == [
        members_only.title
    ]
