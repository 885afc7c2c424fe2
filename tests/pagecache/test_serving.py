"""A visitor's second visit of each public page is served from the cache, with no query."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from tests.pagecache.conftest import cache_state, public_urls

pytestmark = pytest.mark.django_db

PAGE_KINDS = [
    "item",
    "home",
    "section",
    "section_page_2_sorted",
    "tag",
    "community_directory",
    "community",
    "section_rss",
    "section_atom",
    "tag_rss",
]


@pytest.fixture
def urls(home, blog_index, item, community_index, community):
    return public_urls(
        home=home,
        blog_index=blog_index,
        item=item,
        community_index=community_index,
        community=community,
    )


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_a_visitors_second_visit_is_a_hit_with_no_query(
    kind, urls, visitor, django_assert_num_queries
):
    first = visitor.get(urls[kind])
    assert first.status_code == 200
    assert cache_state(first) == "stored"

    with django_assert_num_queries(0):
        second = Client().get(urls[kind])

    assert cache_state(second) == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    # The headers the inner middleware added when it was stored come back too.
    headers = ("Content-Type", "Content-Security-Policy", "Permissions-Policy", "X-Frame-Options")
    for name in headers:
        assert second[name] == first[name]


def test_the_information_pages_are_hits_too(site_pages, visitor, django_assert_num_queries):
    url = next(iter(site_pages.values())).url
    assert cache_state(visitor.get(url)) == "stored"
    with django_assert_num_queries(0):
        assert cache_state(Client().get(url)) == "hit"


def test_head_reads_the_get_entry_without_a_body(urls, visitor, django_assert_num_queries):
    stored = visitor.get(urls["item"])

    with django_assert_num_queries(0):
        head = Client().head(urls["item"])

    assert cache_state(head) == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(stored.content))


def test_a_head_alone_stores_nothing(urls, visitor):
    visitor.head(urls["item"])

    assert cache_state(Client().get(urls["item"])) == "stored"


def test_the_query_string_is_part_of_the_key(urls, visitor, blog_index):
    visitor.get(blog_index.url)

    assert cache_state(Client().get(blog_index.url + "?sort=top")) == "stored"
    assert cache_state(Client().get(blog_index.url + "?sort=top")) == "hit"
    assert cache_state(Client().get(blog_index.url)) == "hit"


def test_another_host_is_another_entry(urls, visitor):
    visitor.get(urls["home"])

    assert cache_state(Client().get(urls["home"], HTTP_HOST="localhost")) != "hit"


def test_search_results_are_never_stored(visitor, item):
    first = visitor.get("/search/", {"q": "fatigue"})
    second = Client().get("/search/", {"q": "fatigue"})

    assert first.status_code == second.status_code == 200
    assert cache_state(first) == cache_state(second) == "miss"


def test_the_miss_path_makes_the_same_queries_as_without_the_cache(urls, settings):
    """Rendering a page to store it costs no query more than rendering it with the cache off."""
    for kind in ("item", "home", "section", "tag", "community_directory", "section_rss"):
        settings.KINDRED_PAGE_CACHE_SECONDS = 0
        Client().get(urls[kind])  # warm per-process lookups (site root paths…) alike
        with CaptureQueriesContext(connection) as without:
            Client().get(urls[kind])
        settings.KINDRED_PAGE_CACHE_SECONDS = 600
        with CaptureQueriesContext(connection) as with_cache:
            response = Client().get(urls[kind])
        assert cache_state(response) == "stored", kind
        assert len(with_cache) == len(without), kind


def test_the_cache_switched_off_stores_and_serves_nothing(urls, settings, visitor):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0

    first, second = visitor.get(urls["item"]), Client().get(urls["item"])

    assert cache_state(first) == cache_state(second) == ""
