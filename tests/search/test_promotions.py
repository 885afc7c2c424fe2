"""Editors' picks go through the readability selector like every other read of content.

``core.selectors.readable_content`` is where access rules live (today: live
and public; next: communities and audiences). A pick whose page that selector
refuses is left out, so a future rule reaches the picks without touching search.
"""

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

import search.selectors
from core.selectors import readable_content
from search.selectors import promoted_results
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def promote(query, *pages, external=None):
    query = Query.get(query)
    for order, page in enumerate(pages):
        SearchPromotion.objects.create(query=query, page=page, sort_order=order, description="Pick")
    if external:
        SearchPromotion.objects.create(
            query=query,
            external_link_url=external,
            external_link_text="Elsewhere",
            sort_order=len(pages),
        )


@pytest.fixture
def audience_rule(monkeypatch):
    """A stand-in for a future access rule: ``readable_content`` refuses the pages named."""
    refused = set()
    calls = []

    def readable_except(*, user, queryset=None):
        calls.append(user)
        return readable_content(user=user, queryset=queryset).exclude(pk__in=refused)

    monkeypatch.setattr(search.selectors, "readable_content", readable_except)
    return refused, calls


def titles(picks):
    return [pick["title"] for pick in picks]


def test_a_pick_the_readability_selector_refuses_is_not_shown(blog_index, audience_rule, member):
    refused, calls = audience_rule
    open_pick = BlogPageFactory(parent=blog_index, title="Open to all")
    members_pick = BlogPageFactory(parent=blog_index, title="Only for some")
    promote("pacing", members_pick, open_pick, external="https://example.org/")
    refused.add(members_pick.pk)

    assert titles(promoted_results(user=member, query="pacing")) == ["Open to all", "Elsewhere"]
    assert calls == [member], "the reader is handed to the selector"


def test_the_results_page_leaves_out_refused_picks(client, blog_index, audience_rule):
    refused, _ = audience_rule
    pick = BlogPageFactory(parent=blog_index, title="Hidden from this reader")
    promote("pacing", pick)
    refused.add(pick.pk)

    response = client.get("/search/", {"q": "pacing"})
    assert response.status_code == 200
    assert "Hidden from this reader" not in response.content.decode()


def test_picks_keep_the_editors_order_and_unpublished_picks_stay_out(blog_index, sections):
    first = BlogPageFactory(parent=blog_index, title="First")
    second = BlogPageFactory(parent=blog_index, title="Second")
    gone = BlogPageFactory(parent=blog_index, title="Withdrawn")
    # A pick may be any page editors choose, not only an item (a section, say).
    promote("pacing", second, gone, blog_index, first)
    gone.unpublish()

    picks = promoted_results(user=None, query="  Pacing ")
    assert titles(picks) == ["Second", blog_index.title, "First"]
    assert picks[0]["url"] == second.url


@pytest.mark.parametrize("count", [1, 8])
def test_picks_cost_the_same_however_many(blog_index, django_assert_max_num_queries, count):
    pages = [BlogPageFactory(parent=blog_index) for _ in range(count)]
    promote("pacing", *pages)
    with django_assert_max_num_queries(6):
        picks = promoted_results(user=None, query="pacing")
    assert len(picks) == count


@pytest.mark.parametrize("query", ["", "   ", "<script>alert(1)</script>", "x" * 5000, "\x00"])
def test_odd_queries_find_no_picks(blog_index, query):
    promote("pacing", BlogPageFactory(parent=blog_index))
    assert promoted_results(user=None, query=query) == []
