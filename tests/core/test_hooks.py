"""The registries features fill (core/hooks.py): page context, listing columns, sort orders.

Each hook is registered only for the test (``hooks.register_temporarily``),
and the last tests take ratings' own hooks away to show that the core's pages
and listings stand without that feature.
"""

from django.db.models import Value

from wagtail import hooks

import pytest
from bs4 import BeautifulSoup

from core.hooks import (
    CONTENT_PAGE_CONTEXT,
    HOME_PAGE_CONTEXT,
    LISTING_COLUMNS,
    LISTING_ORDERS,
    ListingOrder,
)
from core.selectors import content_listing, listing_sort, listing_sorts
from ratings.services import anonymous_key_for, rating_upsert
from search.params import search_params, search_sorts
from tests.factories import BlogPageFactory
from tests.portal.test_listings import HOME_QUERIES, INDEX_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_rendered_each_time(settings):
    """Hooks come and go inside these tests with no write to tell the page cache (issue 17),
    so every visit here is rendered: the tests are about what a render shows."""
    settings.KINDRED_PAGE_CACHE_SECONDS = 0


A_TO_Z = ListingOrder(key="title", label="A to Z", order_by=("title", "pk"))


def a_to_z_order():
    return [A_TO_Z]


def titles(items):
    return [item.title for item in items]


def sort_link_labels(html):
    nav = BeautifulSoup(html, "html.parser").select_one(".sort-links")
    return [] if nav is None else [link.get_text(strip=True) for link in nav.select("a")]


@pytest.fixture
def three_posts(blog_index):
    # Newest first is Cc, Aa, Bb; "A to Z" is Aa, Bb, Cc.
    return [BlogPageFactory(parent=blog_index, title=title) for title in ("Bb", "Aa", "Cc")]


# --- Page context --------------------------------------------------------------------


def test_a_content_page_context_hook_adds_its_part_to_the_page(client, blog_index):
    post = BlogPageFactory(parent=blog_index, title="Pacing")
    seen = []

    def shout(*, page, request):
        seen.append((page.pk, request.path))
        return {"hooked_title": page.title.upper()}

    with hooks.register_temporarily(CONTENT_PAGE_CONTEXT, shout):
        response = client.get(post.url)

    assert response.status_code == 200
    assert response.context["hooked_title"] == "PACING"
    assert seen == [(post.pk, post.url)]
    # Ratings' and the discussion's parts still come, through the same registry.
    assert "rating_widget" in response.context
    assert "discussion" in response.context
    assert "hooked_title" not in client.get(post.url).context


def test_a_home_page_context_hook_adds_its_part_to_the_home_page(client, home):
    def greeting(*, page, request):
        return {"hooked_greeting": f"Welcome to {page.title}"}

    with hooks.register_temporarily(HOME_PAGE_CONTEXT, greeting):
        response = client.get("/")

    assert response.status_code == 200
    assert response.context["hooked_greeting"] == f"Welcome to {home.title}"
    assert "hooked_greeting" not in client.get("/").context


# --- Listing columns -----------------------------------------------------------------


def annotate_answer(queryset):
    return queryset.annotate(hooked_answer=Value(42))


def test_a_listing_column_hook_adds_its_column_to_every_listing(
    client, three_posts, blog_index, django_assert_max_num_queries
):
    with hooks.register_temporarily(LISTING_COLUMNS, annotate_answer):
        items = list(content_listing(user=None))
        with django_assert_max_num_queries(INDEX_QUERIES):
            response = client.get(blog_index.url)

    assert len(items) == 3
    assert {item.hooked_answer for item in items} == {42}
    assert {item.hooked_answer for item in response.context["items"]} == {42}
    assert not hasattr(content_listing(user=None).first(), "hooked_answer")


# --- Sort orders ---------------------------------------------------------------------


def test_core_knows_only_newest_and_features_add_orders():
    assert "newest" in listing_sorts()
    assert listing_sort("title") == "newest"
    with hooks.register_temporarily(LISTING_ORDERS, a_to_z_order):
        assert listing_sorts()["title"] == "A to Z"
        assert listing_sort("title") == "title"
        assert list(listing_sorts())[0] == "newest", "the default comes first"
    assert "title" not in listing_sorts()


def test_a_registered_order_sorts_the_listing_and_is_linked_from_sections(
    client, three_posts, blog_index, django_assert_max_num_queries
):
    assert titles(content_listing(user=None)) == ["Cc", "Aa", "Bb"]  # newest first
    with pytest.raises(ValueError):
        content_listing(user=None, sort="title")

    with hooks.register_temporarily(LISTING_ORDERS, a_to_z_order):
        assert titles(content_listing(user=None, sort="title")) == ["Aa", "Bb", "Cc"]
        assert titles(content_listing(user=None, sort="newest")) == ["Cc", "Aa", "Bb"]
        with django_assert_max_num_queries(INDEX_QUERIES):
            response = client.get(blog_index.url, {"sort": "title"})
        assert "A to Z" in sort_link_labels(response.content.decode())
        assert response.context["sort"] == "title"
        assert titles(response.context["items"]) == ["Aa", "Bb", "Cc"]

    # Gone with the hook: the same address falls back to newest, no link.
    response = client.get(blog_index.url, {"sort": "title"})
    assert response.status_code == 200
    assert response.context["sort"] == "newest"
    assert "A to Z" not in sort_link_labels(response.content.decode())


@pytest.mark.parametrize("junk", ["", "TITLE", "title ", "-title", ["title"], None, 3, "x" * 5000])
def test_unknown_or_malformed_sorts_fall_back_to_newest(junk):
    with hooks.register_temporarily(LISTING_ORDERS, a_to_z_order):
        assert listing_sort(junk) == "newest"


def test_search_offers_the_registered_orders(client):
    assert search_params({"q": "x", "sort": "title"}).sort == "relevance"
    with hooks.register_temporarily(LISTING_ORDERS, a_to_z_order):
        assert search_sorts()["title"] == "A to Z"
        assert search_params({"q": "x", "sort": "title"}).sort == "title"
    # Search's own vocabulary stays as it was: relevance first, top rated spelled "rating".
    assert search_sorts() == {"relevance": "Relevance", "newest": "Newest", "rating": "Top rated"}


# --- Without ratings ------------------------------------------------------------------


@pytest.fixture
def without_ratings_hooks(monkeypatch):
    """Wagtail's registry as if the ratings app registered nothing."""
    import ratings.wagtail_hooks

    hooks.search_for_hooks()
    kept = {
        name: [entry for entry in entries if entry[0].__module__ != ratings.wagtail_hooks.__name__]
        for name, entries in hooks._hooks.items()
    }
    assert kept != hooks._hooks, "ratings registers hooks of its own"
    monkeypatch.setattr(hooks, "_hooks", kept)


def rate(page, score=5):
    rating_upsert(page=page, score=score, anonymous_key=anonymous_key_for("1" * 43))


def test_without_ratings_the_core_listing_still_works(
    client, three_posts, blog_index, home, without_ratings_hooks, django_assert_max_num_queries
):
    rate(three_posts[0])
    assert listing_sorts() == {"newest": "Newest"}
    assert listing_sort("top") == "newest"
    with pytest.raises(ValueError):
        content_listing(user=None, sort="top")
    assert titles(content_listing(user=None)) == ["Cc", "Aa", "Bb"]

    with django_assert_max_num_queries(INDEX_QUERIES):
        response = client.get(blog_index.url, {"sort": "top"})
    assert response.status_code == 200
    assert titles(response.context["items"]) == ["Cc", "Aa", "Bb"]
    # One order is no choice: no sort links at all.
    assert sort_link_labels(response.content.decode()) == []
    assert "card-rating" not in response.content.decode()

    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert "top_rated" not in response.context
    assert "Top rated" not in response.content.decode()

    response = client.get(three_posts[0].url)
    assert response.status_code == 200
    assert "rating_widget" not in response.context


def test_with_ratings_the_same_pages_offer_top_rated(client, three_posts, blog_index):
    rate(three_posts[0])
    assert listing_sorts() == {"newest": "Newest", "top": "Top rated"}
    response = client.get(blog_index.url, {"sort": "top"})
    assert sort_link_labels(response.content.decode()) == ["Newest", "Top rated"]
    assert titles(response.context["items"]) == ["Bb", "Cc", "Aa"]
    assert "card-rating" in response.content.decode()
    assert titles(client.get("/").context["top_rated"]) == ["Bb"]
    assert "rating_widget" in client.get(three_posts[0].url).context
