"""A page by position seeks the listing's own index to the key (``core.keyset``).

The point of ``?after=`` is that page 2,778 costs what page 1 costs: the database
must start reading at the key, in the index that gives the order, and never sort
or walk the items before it (benchmarks/README.md: 0.8-1.05x of the demo's size at
100,000 items, where ``?page=N`` is 7-11x). SQLite names the seek's constraint;
PostgreSQL's test database is too small for it to pick the index unasked, so its
plan is read with sorting priced out (``tests/plans.py``).
"""

from django.contrib.auth.models import AnonymousUser

import pytest

from core.models import ContentPage
from core.selectors import content_listing
from tests.factories import BlogPageFactory
from tests.plans import only_postgresql, only_sqlite, postgresql_plan_unsorted, sqlite_plan

pytestmark = pytest.mark.django_db

# The order's index, and what SQLite says it seeks with, per listing.
SEEKS = {
    "newest": ("content_listed_idx", "(listed_at<?)"),
    "top": ("content_top_idx", "((rating_score,rating_count,listed_at)<(?,?,?))"),
    "tag": ("content_tag_listed_idx", "(tag_id=? AND (listed_at,content_object_id)<(?,?))"),
}


def pages_by_position(blog_index):
    """Each listing's page after its first item: (name, the page's query)."""
    post = BlogPageFactory(parent=blog_index, tags=["fatigue"])
    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    item = ContentPage.objects.get(pk=post.pk)
    reader = AnonymousUser()
    found = []
    for name, kwargs in (
        ("newest", {"model": blog_index.listing_model, "section": blog_index}),
        ("top", {"model": blog_index.listing_model, "section": blog_index, "sort": "top"}),
        ("tag", {"tag_slug": "fatigue"}),
    ):
        keyset = content_listing(user=reader, **kwargs)._kindred_listing.keyset
        listing = content_listing(user=reader, after=keyset.key_of(item), **kwargs)
        found.append((name, listing[:13]))
    return found


@only_sqlite
def test_a_page_by_position_seeks_the_index_without_sorting(blog_index):
    for name, query in pages_by_position(blog_index):
        index, seek = SEEKS[name]
        plan = sqlite_plan(query)
        assert f"INDEX {index} {seek}" in plan, (name, plan)
        assert "TEMP B-TREE" not in plan, (name, plan)


@only_postgresql
def test_a_page_by_position_can_seek_the_index_on_postgresql(blog_index):
    for name, query in pages_by_position(blog_index):
        index, _seek = SEEKS[name]
        plan = postgresql_plan_unsorted(query)
        assert index in plan, (name, plan)
        assert "Sort" not in plan, (name, plan)
        # The key is the index scan's own condition, not a filter on rows read.
        assert "Index Cond: (ROW(" in plan or "Index Cond: ((tag_id = " in plan, (name, plan)
