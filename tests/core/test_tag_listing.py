"""A tag's listing walks the tag's own rows, newest first (``ContentPageTag.listed_at``).

The tag rows carry their item's ``listed_at`` so a tag page stops after a
page whether the tag is on one item or on 19,000 (issue 17). The database
keeps the copy (core/migrations/0007): every way an item's date or its tag
rows are written must leave them equal.
"""

import importlib
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from taggit.models import Tag

import pytest

from core.models import ContentPage, ContentPageTag
from core.selectors import content_listing
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory
from tests.plans import only_postgresql, only_sqlite, postgresql_plan_unsorted, sqlite_plan

pytestmark = pytest.mark.django_db

THEN = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
keep_migration = importlib.import_module("core.migrations.0007_tag_rows_listed_at")


def row_dates(page):
    return list(
        ContentPageTag.objects.filter(content_object_id=page.pk).values_list("listed_at", flat=True)
    )


def item_date(page):
    return ContentPage.objects.values_list("listed_at", flat=True).get(pk=page.pk)


def tag_titles(slug, **kwargs):
    return [item.title for item in content_listing(user=None, tag_slug=slug, **kwargs)]


def test_published_tag_rows_carry_the_items_date(blog_index):
    page = BlogPageFactory(parent=blog_index, tags=["fatigue", "sleep"])
    assert row_dates(page) == [item_date(page)] * 2
    assert item_date(page) is not None


def test_a_drafts_rows_have_none_until_published(blog_index):
    page = BlogPageFactory(parent=blog_index, tags=["fatigue"], publish=False)
    assert row_dates(page) == [None]
    page.get_latest_revision().publish()
    assert row_dates(page) == [item_date(page)] != [None]


def test_backdating_the_page_row_moves_the_tag_rows(blog_index):
    page = BlogPageFactory(parent=blog_index, tags=["fatigue"])
    ContentPage.objects.filter(pk=page.pk).update(first_published_at=THEN)
    assert row_dates(page) == [THEN]


def test_a_tag_added_later_and_a_stale_save_keep_the_items_date(blog_index):
    page = BlogPageFactory(parent=blog_index, tags=["fatigue"])
    stale = ContentPageTag.objects.get(content_object_id=page.pk)
    ContentPage.objects.filter(pk=page.pk).update(first_published_at=THEN)

    stale.save()  # written with the date it read before the move
    ContentPageTag.objects.bulk_create(
        [ContentPageTag(content_object_id=page.pk, tag=Tag.objects.create(name="Sleep"))]
    )

    assert row_dates(page) == [THEN, THEN]


def test_publishing_an_edit_keeps_the_date(blog_index):
    page = BlogPageFactory(parent=blog_index, tags=["fatigue"])
    ContentPage.objects.filter(pk=page.pk).update(first_published_at=THEN)
    page = ContentPage.objects.get(pk=page.pk).specific
    page.tags.add("sleep")
    page.save_revision().publish()
    assert row_dates(page) == [THEN, THEN]


def test_the_order_is_newest_first_with_ties_by_id(blog_index, story_index):
    first = BlogPageFactory(parent=blog_index, title="First", tags=["fatigue"])
    second = ExperienceStoryPageFactory(parent=story_index, title="Second", tags=["fatigue"])
    third = BlogPageFactory(parent=blog_index, title="Third", tags=["fatigue", "sleep"])
    BlogPageFactory(parent=blog_index, title="Untagged")
    assert tag_titles("fatigue") == ["Third", "Second", "First"]

    # Same date: the higher id first, as "newest" orders everywhere.
    ContentPage.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(
        first_published_at=THEN
    )
    later = datetime(2021, 1, 1, tzinfo=UTC)
    ContentPage.objects.filter(pk=first.pk).update(first_published_at=later)
    assert tag_titles("fatigue") == ["First", "Third", "Second"]
    assert tag_titles("fatigue", model=blog_index.listing_model, section=blog_index) == [
        "First",
        "Third",
    ]
    assert tag_titles("sleep") == ["Third"]


def test_the_migration_fills_existing_rows(blog_index):
    page = BlogPageFactory(parent=blog_index, tags=["fatigue"])
    sqlite = connection.vendor == "sqlite"
    drops = keep_migration.SQLITE_DROP if sqlite else keep_migration.POSTGRES_DROP
    adds = keep_migration.SQLITE if sqlite else keep_migration.POSTGRES
    with connection.cursor() as cursor:  # as the rows were before the column existed
        for statement in drops:
            cursor.execute(statement)
        cursor.execute("UPDATE core_contentpagetag SET listed_at = NULL")
        cursor.execute(keep_migration.FILL)
        for statement in adds:
            cursor.execute(statement)
    assert row_dates(page) == [item_date(page)] != [None]


def tag_listings(blog_index):
    reader = AnonymousUser()
    return [
        content_listing(user=reader, tag_slug="fatigue")[:12],
        content_listing(
            user=reader, model=blog_index.listing_model, section=blog_index, tag_slug="fatigue"
        )[:12],
    ]


@only_sqlite
def test_a_tag_listing_walks_the_tags_rows_without_sorting(blog_index):
    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    for listing in tag_listings(blog_index):
        plan = sqlite_plan(listing)
        assert "INDEX content_tag_listed_idx (tag_id=?)" in plan
        assert "TEMP B-TREE" not in plan


@only_postgresql
def test_a_tag_listing_can_walk_the_tags_rows_on_postgresql(blog_index):
    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    for listing in tag_listings(blog_index):
        plan = postgresql_plan_unsorted(listing)
        assert "content_tag_listed_idx" in plan
        assert "Sort" not in plan


def test_readable_tag_answers_as_readable_tags_do(blog_index, member):
    from core.models import Audience
    from core.selectors import readable_tag, readable_tags

    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    BlogPageFactory(parent=blog_index, tags=["drafted"], publish=False)
    BlogPageFactory(parent=blog_index, tags=["members"], audience=Audience.MEMBERS)
    for user in (None, AnonymousUser(), member):
        for slug in ("fatigue", "drafted", "members", "unknown"):
            expected = readable_tags(user=user).filter(slug=slug).first()
            assert readable_tag(user=user, slug=slug) == expected
    assert readable_tag(user=None, slug="members") is None
    assert readable_tag(user=member, slug="members").slug == "members"
    assert readable_tag(user=member, slug="drafted") is None


@only_sqlite
def test_readable_tag_starts_from_the_tags_rows(blog_index, django_assert_max_num_queries):
    from core.selectors import readable_tag

    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    with django_assert_max_num_queries(3) as captured:
        assert readable_tag(user=None, slug="fatigue") is not None
    plan = sqlite_plan(captured.captured_queries[-1]["sql"])
    # No scan of every readable item: the tag's rows, then one item at a time.
    assert "SCAN" not in plan
    assert "content_tag_listed_idx (tag_id=?)" in plan


@only_postgresql
def test_readable_tag_is_asked_per_tag_on_postgresql(blog_index, django_assert_max_num_queries):
    """Not an ``EXISTS``: PostgreSQL makes that a join, sizes the tag by the average tag
    and, at 100,000 items, hashes every live page before looking at one row (36 ms for
    any tag). A subquery it runs as written: this tag's rows, to the first readable."""
    from core.selectors import readable_tag

    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    with django_assert_max_num_queries(3) as captured:
        assert readable_tag(user=None, slug="fatigue") is not None
    plan = postgresql_plan_unsorted(captured.captured_queries[-1]["sql"])
    assert "SubPlan" in plan
    assert "Semi Join" not in plan
    assert "Hash" not in plan
