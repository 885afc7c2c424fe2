"""Listings count only as far as their page needs (issue 17: 100,000 items).

``core.selectors.paginate`` gives a content listing a ``ListingPaginator``:
it counts up to ``COUNTED_PAGES_AHEAD`` pages past the one asked for, so
page 1 of a large section no longer counts the whole section, while every
older item stays reachable and any ``?page=`` value still gives a page.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

import pytest

from core import selectors
from core.selectors import content_listing, paginate
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 2
ITEMS = 7  # four pages of two


@pytest.fixture
def listing(blog_index, monkeypatch):
    """Seven posts, newest first, with one page counted past the one asked for."""
    monkeypatch.setattr(selectors, "COUNTED_PAGES_AHEAD", 1)
    posts = [BlogPageFactory(parent=blog_index, title=f"Post {n}") for n in range(ITEMS)]

    def make():
        return content_listing(
            user=AnonymousUser(), model=blog_index.listing_model, section=blog_index
        )

    make.titles = [post.title for post in reversed(posts)]
    return make


def test_the_first_page_counts_only_what_it_needs(listing):
    with CaptureQueriesContext(connection) as queries:
        page = paginate(listing(), 1, per_page=PER_PAGE)
        shown = [item.title for item in page]
    assert shown == listing.titles[:2]
    # (1 + 1 pages ahead) * 2 + 1 rows counted: enough to know there is more.
    assert page.paginator.count == 5
    assert page.paginator.more_than_counted
    assert page.has_next() and page.next_page_number() == 2
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "LIMIT 5" in counts[0]


def test_following_older_links_reaches_every_item(listing):
    seen, number = [], 1
    while True:
        page = paginate(listing(), number, per_page=PER_PAGE)
        seen += [item.title for item in page]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == listing.titles
    # Near the end the count is exact again: "Page 4 of 4".
    assert number == 4 and page.paginator.num_pages == 4
    assert not page.paginator.more_than_counted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("0", 4),  # as Paginator.get_page: below the first is the last
        ("-3", 4),
        ("2", 2),
        ("99", 4),
        ("9" * 30, 4),
        ("2.0", 1),  # not an integer to Paginator either
        ("1e3", 1),
        ("\x00", 1),
    ],
)
def test_any_page_value_gives_a_page(listing, value, expected):
    page = paginate(listing(), value, per_page=PER_PAGE)
    assert page.number == expected
    assert len(page) in (1, 2)


def test_the_pagination_says_page_without_a_total_when_more_remain(listing):
    first = paginate(listing(), 1, per_page=PER_PAGE)
    html = render_to_string("includes/pagination.html", {"page_obj": first})
    assert "Page 1</span>" in html and " of " not in html
    assert 'rel="next" href="?page=2"' in html

    last = paginate(listing(), 4, per_page=PER_PAGE)
    html = render_to_string("includes/pagination.html", {"page_obj": last})
    assert "Page 4 of 4" in html and 'rel="next"' not in html


def test_other_lists_are_still_counted_whole(listing):
    # A list, or a queryset derived from a listing, keeps Django's exact count.
    assert paginate(list(range(30)), 1, per_page=PER_PAGE).paginator.count == 30
    derived = listing().filter(title__startswith="Post")
    page = paginate(derived, 1, per_page=PER_PAGE)
    assert page.paginator.count == ITEMS and not getattr(page.paginator, "more_than_counted", False)
