"""Deep pages of a listing link by position (``?after=``/``?before=``), not by number.

Past ``NUMBERED_PAGES`` a section's or a tag's "Older" link names the last
item's place in the listing's order (``core.keyset``), so the database seeks
its index there instead of walking past every earlier item (issue 17: page
2,778 of a section cost ten times page 1). Following the links must still
show every readable item once, and no key, however made, may show anything
the reader may not read or answer with a 500.
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html import unescape

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from core import selectors
from core.keyset import InvalidCursor
from core.models import Audience, ContentPage
from core.selectors import ListingPaginator, content_listing, paginate
from ratings.models import RatingSummary
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory

pytestmark = pytest.mark.django_db

THEN = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
TITLE = re.compile(r"Walk item \d+")
NEXT = re.compile(r'<a rel="next" href="([^"]*)"')
PREVIOUS = re.compile(r'<a rel="prev" href="([^"]*)"')


def dated(page, days):
    """Backdate ``page`` as the demo does (a trigger copies the date to its listing columns)."""
    Page.objects.filter(pk=page.pk).update(first_published_at=THEN - timedelta(days=days))


@pytest.fixture
def small_pages(monkeypatch, settings):
    """Two items a page, the first two pages numbered; every request rendered afresh."""
    monkeypatch.setattr(selectors, "LISTING_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "NUMBERED_PAGES", 2)
    settings.KINDRED_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def walk_items(blog_index, story_index, member):
    """Eleven readable posts tagged "walk" (two pairs on the same second, two rated), a
    post in another section, and posts no visitor may read: a draft, a members-only
    post, one under a view restriction and an unpublished one."""
    readable = []
    for n in range(11):
        post = BlogPageFactory(parent=blog_index, title=f"Walk item {n:02d}", tags=["walk"])
        # Items 3 and 4, and 7 and 8, share a date: the id decides.
        dated(post, days={4: 3, 8: 7}.get(n, n))
        readable.append(post)
    for post, score, votes in ((readable[6], "4.5000", 4), (readable[9], "2.0000", 2)):
        RatingSummary.objects.create(
            page_id=post.pk, count=votes, total=votes * 4, bayesian_score=Decimal(score)
        )
    other = ExperienceStoryPageFactory(parent=story_index, title="Walk item 90", tags=["walk"])
    dated(other, days=5)
    draft = BlogPageFactory(parent=blog_index, title="Walk item 91", tags=["walk"], publish=False)
    members = BlogPageFactory(
        parent=blog_index, title="Walk item 92", tags=["walk"], audience=Audience.MEMBERS
    )
    dated(members, days=2)
    restricted = BlogPageFactory(parent=blog_index, title="Walk item 93", tags=["walk"])
    dated(restricted, days=6)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    gone = BlogPageFactory(parent=blog_index, title="Walk item 94", tags=["walk"])
    dated(gone, days=1)
    gone.unpublish()
    return {
        "readable": readable,
        "other": other,
        "unreadable": [draft, members, restricted, gone],
    }


def walk(client, url, link=NEXT):
    """Follow ``link`` from ``url`` to the end: the titles of each page and the addresses."""
    pages, addresses = [], [url]
    while True:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages.append(TITLE.findall(html))
        found = link.search(html)
        if not found:
            return pages, addresses
        url = url.split("?")[0] + unescape(found.group(1))
        addresses.append(url)
        assert len(addresses) < 50, "the links go round in circles"


def expected(path, sort="newest", **kwargs):
    listing = content_listing(user=AnonymousUser(), sort=sort, **kwargs)
    return [title for title in listing.values_list("title", flat=True) if TITLE.fullmatch(title)]


@pytest.mark.parametrize("sort", ["newest", "top"])
def test_a_sections_links_reach_every_readable_item_once_both_ways(
    small_pages, walk_items, blog_index, sort
):
    client = Client()
    start = blog_index.url + ("?sort=top" if sort == "top" else "")
    pages, addresses = walk(client, start)
    seen = [title for page in pages for title in page]
    readable = expected(
        blog_index.url, sort=sort, model=blog_index.listing_model, section=blog_index
    )
    assert sorted(readable) == sorted(post.title for post in walk_items["readable"])
    assert seen == readable
    # Two numbered pages, then positions only.
    assert "page=2" in addresses[1] and all("after=" in url for url in addresses[2:])
    assert len(addresses) == 6

    # "Newer" from the last page goes back by position and sees them all again.
    back, back_addresses = walk(client, addresses[-1], link=PREVIOUS)
    assert all("before=" in url for url in back_addresses[1:])
    assert [title for page in reversed(back) for title in page] == readable
    if sort == "top":
        assert all("sort=top" in url for url in addresses[1:] + back_addresses[1:])
        assert seen[:2] == ["Walk item 06", "Walk item 00"]
        assert seen[-1] == "Walk item 09"


def test_a_tag_pages_links_reach_every_readable_item_once(small_pages, walk_items):
    pages, addresses = walk(Client(), "/tags/walk/")
    seen = [title for page in pages for title in page]
    readable = expected("/tags/walk/", tag_slug="walk")
    assert sorted(readable) == sorted(
        post.title for post in [*walk_items["readable"], walk_items["other"]]
    )
    assert seen == readable
    assert all("after=" in url for url in addresses[2:]) and len(addresses) == 6


def test_a_sections_tag_filter_rides_along_with_the_position(small_pages, walk_items, blog_index):
    pages, addresses = walk(Client(), blog_index.url + "?tag=walk")
    assert [title for page in pages for title in page] == expected(
        blog_index.url, model=blog_index.listing_model, section=blog_index, tag_slug="walk"
    )
    assert all("tag=walk&after=" in url for url in addresses[2:])


def test_a_position_page_costs_no_more_queries_than_page_1(
    small_pages, walk_items, blog_index, django_assert_max_num_queries
):
    client = Client()
    _pages, addresses = walk(client, blog_index.url)
    with CaptureQueriesContext(connection) as first:
        client.get(blog_index.url)
    for url in addresses[2:]:
        with django_assert_max_num_queries(len(first.captured_queries)):
            assert client.get(url).status_code == 200
    _pages, tag_addresses = walk(client, "/tags/walk/")
    with CaptureQueriesContext(connection) as first:
        client.get("/tags/walk/")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(tag_addresses[-1]).status_code == 200


def key_of(page, sort="newest"):
    item = ContentPage.objects.get(pk=page.pk)
    listing = content_listing(user=AnonymousUser(), sort=sort)
    return listing._kindred_listing.keyset.key_of(item)


def test_a_key_made_from_unreadable_items_shows_only_readable_ones(
    small_pages, walk_items, blog_index, member
):
    visitor = Client()
    readable_titles = {post.title for post in walk_items["readable"]}
    every_shown = set()
    for page in walk_items["unreadable"]:
        if ContentPage.objects.get(pk=page.pk).listed_at is None:
            continue  # never published: no date to make a key of
        for sort in ("newest", "top"):
            for direction in ("after", "before"):
                url = f"{blog_index.url}?sort={sort}&{direction}={key_of(page, sort)}"
                response = visitor.get(url)
                assert response.status_code == 200, url
                shown = set(TITLE.findall(response.content.decode()))
                assert shown <= readable_titles, url
                every_shown |= shown
    assert every_shown
    # A key from another section is a place in this one's order: its own items only.
    response = visitor.get(f"{blog_index.url}?after={key_of(walk_items['other'])}")
    shown = TITLE.findall(response.content.decode())
    assert (
        shown == expected(blog_index.url, model=blog_index.listing_model, section=blog_index)[5:7]
    )


NEWEST_KEY = "2024-04-28T09:00:00.000000Z"


HOSTILE_KEYS = [
    ("after=", 404),
    ("after=abc", 404),
    ("before=-1", 404),
    ("after=" + "9" * 300, 404),
    (f"after={NEWEST_KEY}", 404),  # no id
    (f"after={NEWEST_KEY},1,2", 404),  # too many parts
    ("after=2024-13-40T09:00:00.000000Z,1", 404),
    ("after=2024-04-28 09:00:00,1", 404),
    ("after=NaN,1", 404),
    (f"after={NEWEST_KEY},1e9", 404),
    (f"after={NEWEST_KEY},%00", 404),
    (f"after={NEWEST_KEY},1&before={NEWEST_KEY},1", 404),
    (f"sort=top&after={NEWEST_KEY},1", 404),  # a newest key on "top"
    (f"after=4.5000,4,{NEWEST_KEY},1", 404),  # a "top" key on newest
    ("sort=top&after=Infinity,1,2024-04-28T09:00:00.000000Z,1", 404),
    # Valid keys far outside the listing: an empty page or the whole list.
    ("after=0001-01-01T00:00:00.000000Z,-5", 200),
    ("after=9999-12-31T23:59:59.999999Z,999999999999999999", 200),
    ("before=9999-12-31T23:59:59.999999Z,1", 200),
    ("sort=top&after=-999999999999.5,-1,0001-01-01T00:00:00.000000Z,-1", 200),
    ("sort=top&after=999999999999,999999999999999999,9999-12-31T23:59:59.999999Z,1", 200),
]


def test_any_key_gives_a_page_or_a_404(small_pages, walk_items, blog_index):
    readable_titles = {post.title for post in walk_items["readable"]}
    for query, status in HOSTILE_KEYS:
        assert_key_answers(blog_index, walk_items, readable_titles, query, status)


def assert_key_answers(blog_index, walk_items, readable_titles, query, status):
    # A tag's page has one order (newest): its ?sort= is ignored, so not asked.
    urls = [f"{blog_index.url}?{query}"] + ([] if "sort=" in query else [f"/tags/walk/?{query}"])
    for url in urls:
        response = Client().get(url)
        assert response.status_code == status, url
        if status == 200:
            assert set(TITLE.findall(response.content.decode())) <= readable_titles | {
                walk_items["other"].title
            }


def test_a_key_far_past_the_end_shows_the_empty_listing_and_no_pager(
    small_pages, walk_items, blog_index
):
    response = Client().get(f"{blog_index.url}?after=0001-01-01T00:00:00.000000Z,1")
    html = response.content.decode()
    assert not TITLE.findall(html) and 'rel="next"' not in html


def test_the_selector_refuses_keys_that_do_not_fit(blog_index):
    with pytest.raises(InvalidCursor):
        content_listing(user=AnonymousUser(), after="x")
    with pytest.raises(InvalidCursor):
        content_listing(user=AnonymousUser(), after=f"{NEWEST_KEY},1", before=f"{NEWEST_KEY},1")


def test_a_position_page_is_invalidated_like_page_1(small_pages, walk_items, blog_index, settings):
    settings.KINDRED_PAGE_CACHE_SECONDS = 600
    _pages, addresses = walk(Client(), blog_index.url)
    deep = addresses[3]
    Client().get(deep)
    assert Client().get(deep)["X-Kindred-Cache"] == "hit"
    shown = TITLE.findall(Client().get(deep).content.decode())
    victim = ContentPage.objects.get(title=shown[0])

    victim.unpublish()

    response = Client().get(deep)
    assert response["X-Kindred-Cache"] != "hit"
    assert victim.title not in response.content.decode()


def test_the_pager_of_a_position_page_links_newer_older_and_newest(
    small_pages, walk_items, blog_index
):
    _pages, addresses = walk(Client(), blog_index.url + "?sort=top")
    html = Client().get(addresses[3]).content.decode()
    nav = html[html.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'rel="prev" href="?sort=top&amp;before=' in nav
    assert 'rel="next" href="?sort=top&amp;after=' in nav
    assert '<a href="?sort=top">First page</a>' in nav
    assert "Page " not in nav


@pytest.mark.parametrize("number", ["3", "4", "6", "0", "-1", "9" * 30])
def test_a_number_past_the_numbered_pages_gives_the_last_numbered_one(
    small_pages, walk_items, blog_index, number
):
    # ?page=4 would walk past six items to show two (an OFFSET that grows with
    # the number); it gives page 2, the last numbered one, whose Older link
    # goes on by position. Nothing is counted or skipped past that page.
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(f"{blog_index.url}?page={number}")
    html = response.content.decode()
    readable = expected(blog_index.url, model=blog_index.listing_model, section=blog_index)
    assert response.status_code == 200
    assert TITLE.findall(html) == readable[2:4]
    assert re.search(r"Page 2( of 6)?</span>", html)
    assert 'rel="next" href="?after=' in html and 'rel="prev" href="?page=1"' in html
    listing_sql = [q["sql"] for q in queries.captured_queries if "Walk" not in q["sql"]]
    offsets = [int(n) for sql in listing_sql for n in re.findall(r"OFFSET (\d+)", sql)]
    limits = [int(n) for sql in listing_sql for n in re.findall(r"LIMIT (\d+)", sql)]
    assert max(offsets, default=0) <= 2
    # Page 2 and COUNTED_PAGES_AHEAD more, at two items a page: 2 * (2 + 10) + 1.
    assert max(limits) <= 25


def test_a_listing_that_ends_at_a_numbered_page_has_no_position_link(
    small_pages, blog_index, monkeypatch
):
    # Four items, two pages: ?page=9 is its last page, with no Older link at all.
    for n in range(4):
        dated(BlogPageFactory(parent=blog_index, title=f"Walk item {n:02d}"), days=n)
    html = Client().get(f"{blog_index.url}?page=9").content.decode()
    assert TITLE.findall(html) == ["Walk item 02", "Walk item 03"]
    assert 'rel="next"' not in html and "Page 2 of 2" in html


def test_a_page_whose_last_item_has_no_position_ends_the_listing(
    small_pages, walk_items, blog_index
):
    # An item that was never published has no listed_at, so no key: page 2
    # (the last numbered) cannot link on by position, and must not link to
    # ?page=3, which would give page 2 again. All but one item undated: page
    # 2's last item is undated whether the database sorts them first or last.
    undated = [post.pk for post in walk_items["readable"][1:]]
    ContentPage.objects.filter(pk__in=undated).update(listed_at=None)
    page = paginate(
        content_listing(user=AnonymousUser(), model=blog_index.listing_model, section=blog_index),
        2,
        per_page=2,
    )
    assert page[1].pk in undated
    assert page.ends_here and not page.has_next() and page.key_next is None
    assert page.paginator.num_pages > 2


def test_a_known_count_is_not_counted_again(blog_index, django_assert_num_queries):
    for n in range(3):
        BlogPageFactory(parent=blog_index, title=f"Walk item {n:02d}")
    listing = content_listing(user=AnonymousUser(), model=blog_index.listing_model)
    with django_assert_num_queries(0):
        paginator = ListingPaginator(listing, 2, exact_count=3)
        assert paginator.get_page(1).paginator.count == 3
        assert paginator.num_pages == 2 and not paginator.more_than_counted
    with django_assert_num_queries(0):
        # "At least 100": page 1 counts to 23 (11 pages of two, and one more) at most.
        paginator = ListingPaginator(listing, 2, count_at_least=100)
        paginator.get_page(1)
        assert paginator.count == 23 and paginator.more_than_counted
    with django_assert_num_queries(1):
        # "At least 3" does not answer page 1's question: counted.
        paginator = ListingPaginator(listing, 2, count_at_least=3)
        paginator.get_page(1)
        assert paginator.count == 3 and not paginator.more_than_counted
    with pytest.raises(ValueError):
        ListingPaginator(listing, 2, exact_count=3, count_at_least=3)
    assert isinstance(paginate(listing, 1), type(paginator.get_page(1)))
