"""``ContentPage.listed_at``: the newest-first order's own column follows ``first_published_at``.

Listings order by it so the database walks one index and stops after a page
(issue 17, 100,000 items); every way the publication date is written must move it.
"""

import importlib
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection

import pytest

from core.models import ContentPage
from core.selectors import content_listing
from tests.factories import BlogPageFactory
from tests.plans import only_sqlite, sqlite_plan

pytestmark = pytest.mark.django_db

THEN = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
fill_migration = importlib.import_module("core.migrations.0005_listed_at")


def listed_at(page):
    return ContentPage.objects.values_list("listed_at", flat=True).get(pk=page.pk)


def newest_titles(section):
    listing = content_listing(user=AnonymousUser(), model=section.listing_model, section=section)
    return [item.title for item in listing]


def test_publishing_sets_it(blog_index):
    page = BlogPageFactory(parent=blog_index)
    page.refresh_from_db()
    assert page.first_published_at is not None
    assert listed_at(page) == page.first_published_at


def test_a_draft_has_none_until_published(blog_index):
    page = BlogPageFactory(parent=blog_index, publish=False)
    assert listed_at(page) is None
    page.save_revision().publish()
    page.refresh_from_db()
    assert listed_at(page) == page.first_published_at is not None


def test_an_update_of_the_page_row_moves_it(blog_index):
    # The demo's backdating and several tests date items this way: no save, no signal.
    older, newer = (BlogPageFactory(parent=blog_index, title=t) for t in ("Older", "Newer"))
    assert newest_titles(blog_index) == ["Newer", "Older"]

    ContentPage.objects.filter(pk=newer.pk).update(first_published_at=THEN)

    assert listed_at(newer) == THEN
    assert newest_titles(blog_index) == ["Older", "Newer"]


def test_save_with_update_fields_keeps_it(blog_index):
    page = BlogPageFactory(parent=blog_index)
    page.first_published_at = THEN - timedelta(days=1)
    page.save(update_fields=["first_published_at"])
    assert listed_at(page) == THEN - timedelta(days=1)


def test_the_migration_fills_existing_rows(blog_index):
    page = BlogPageFactory(parent=blog_index)
    with connection.cursor() as cursor:  # as the rows were before the column existed
        cursor.execute("UPDATE core_contentpage SET listed_at = NULL")
        cursor.execute(fill_migration.FILL)
    page.refresh_from_db()
    assert listed_at(page) == page.first_published_at is not None


@only_sqlite
def test_a_section_listing_walks_the_index_and_looks_up_its_counts(blog_index):
    BlogPageFactory(parent=blog_index)
    listing = content_listing(
        user=AnonymousUser(), model=blog_index.listing_model, section=blog_index
    )
    plan = sqlite_plan(listing[:12])
    # Newest first from the index, stopping after a page: no sort of the section.
    assert "USING INDEX content_listed_idx" in plan
    assert "TEMP B-TREE" not in plan
    # Each card's comment count is one lookup (discussion/migrations/0002).
    assert "discussion_comment_target_idx (content_type_id=? AND object_pk=?)" in plan
