"""'Did you mean' learns its words from the newest readable items only (a bounded cost).

Every readable title was read for each suggestion: 0.6-0.9 s at 100,000 items
(benchmarks/README.md). The bound is shrunk here to show what it keeps: the
titles and tags of the newest ``SPELLING_ITEMS`` items the reader may read,
where an item the reader may not read takes no place.
"""

import pytest

from core.models import Audience, ContentPage
from search import selectors
from search.selectors import spelling_suggestion
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_suggestions_come_from_the_newest_readable_items(blog_index, member, monkeypatch):
    monkeypatch.setattr("search.selectors.SPELLING_ITEMS", 2, raising=False)
    BlogPageFactory(parent=blog_index, title="Physiotherapy notes", tags=["hydrotherapy"])
    BlogPageFactory(parent=blog_index, title="Walking aids")
    BlogPageFactory(parent=blog_index, title="Swimming lessons", tags=["cycling"])
    members = BlogPageFactory(parent=blog_index, title="Gardening for members")
    ContentPage.objects.filter(pk=members.pk).update(audience=Audience.MEMBERS)

    def suggest(query, user=None):
        return spelling_suggestion(user=user, query=query)

    # A visitor's two newest readable items: the members' one takes no place.
    assert suggest("swiming") == "swimming"
    assert suggest("cycing") == "cycling"
    assert suggest("walkng") == "walking"
    assert suggest("gardning") is None
    # Older than the bound: no longer offered.
    assert suggest("fysioterapy") is None
    assert suggest("hydroterapy") is None
    # A member's two newest: the members' item and the swimming lessons.
    assert suggest("gardning", member) == "gardening"
    assert suggest("walkng", member) is None


def test_the_bound_keeps_a_search_that_finds_nothing_fast():
    # Each suggestion reads the bound's titles and tags and splits them into
    # words: 76 ms of CPU for 10,000 at 100,000 items, 11 ms for 2,000, the
    # newest the popular topics count too (benchmarks/README.md, search).
    assert selectors.SPELLING_ITEMS <= 2_000
