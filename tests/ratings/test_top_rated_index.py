""" "Top rated" from the content table: the summary's copies are kept by every writer.

``ContentPage.rating_score`` and ``rating_count`` copy ``RatingSummary`` so the
order walks ``content_top_idx`` and stops after a page (issue 17, 100,000
items). The database keeps them (ratings/migrations/0004): these tests write
the summary and the content row every way the code does and compare.
"""

import importlib
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import connection

import pytest

from core.models import ContentPage
from core.selectors import content_listing
from ratings.models import RatingSummary
from ratings.selectors import top_rated
from ratings.services import anonymous_key_for, rating_summary_rebuild, rating_upsert
from tests.factories import BlogPageFactory
from tests.plans import only_postgresql, only_sqlite, postgresql_plan_unsorted, sqlite_plan

pytestmark = pytest.mark.django_db

keep_migration = importlib.import_module("ratings.migrations.0004_top_rated_on_the_content_table")


def copies(page):
    return ContentPage.objects.values_list("rating_score", "rating_count").get(pk=page.pk)


def summary(page):
    return RatingSummary.objects.values_list("bayesian_score", "count").get(page_id=page.pk)


def vote(page, score, number=0):
    rating_upsert(page=page, score=score, anonymous_key=anonymous_key_for(f"{number:043d}"))


def test_an_item_nobody_rated_has_the_prior(blog_index):
    page = BlogPageFactory(parent=blog_index)
    assert copies(page) == (Decimal("3.0"), 0)


def test_a_vote_and_a_changed_vote_are_copied(blog_index):
    page = BlogPageFactory(parent=blog_index)
    vote(page, 5)
    assert copies(page) == summary(page) == (Decimal("3.3333"), 1)
    vote(page, 1)  # the same browser changes its mind
    assert copies(page) == summary(page) == (Decimal("2.6667"), 1)


def test_an_update_bulk_create_and_delete_of_the_summary_are_copied(blog_index):
    page, other = BlogPageFactory(parent=blog_index), BlogPageFactory(parent=blog_index)
    RatingSummary.objects.bulk_create(
        [RatingSummary(page_id=other.pk, count=2, total=10, bayesian_score=Decimal("3.5714"))]
    )
    assert copies(other) == (Decimal("3.5714"), 2)

    vote(page, 4)
    RatingSummary.objects.filter(page_id=page.pk).update(
        count=3, total=15, bayesian_score=Decimal("3.7500")
    )
    assert copies(page) == (Decimal("3.75"), 3)

    RatingSummary.objects.filter(page_id=page.pk).delete()
    assert copies(page) == (Decimal("3.0"), 0)


def test_a_rebuilt_summary_is_copied(blog_index):
    page = BlogPageFactory(parent=blog_index)
    vote(page, 5)
    page.ratings.all().delete()  # as erasing an account does, before the rebuild
    rating_summary_rebuild(page=page)
    assert copies(page) == summary(page) == (Decimal("3.0"), 0)


def test_a_save_with_stale_numbers_keeps_the_summarys(blog_index):
    # A revision drafted before the votes is published after them: Django
    # writes every field of the instance, including the copies it read then.
    page = BlogPageFactory(parent=blog_index)
    revision = page.save_revision()
    stale = ContentPage.objects.get(pk=page.pk)
    for number in range(3):
        vote(page, 5, number)

    revision.publish()
    assert copies(page) == summary(page) == (Decimal("3.75"), 3)

    stale.title = "Saved from an instance read before the votes"
    stale.save()
    assert copies(page) == summary(page)


def test_a_copied_page_starts_with_the_prior(blog_index):
    page = BlogPageFactory(parent=blog_index, slug="rated-original")
    vote(page, 5)
    page.refresh_from_db()
    assert page.rating_count == 1

    copy = page.copy(update_attrs={"slug": "rated-copy", "title": "Copy"})

    assert copies(copy) == (Decimal("3.0"), 0)


def test_the_migration_fills_existing_rows(blog_index):
    page = BlogPageFactory(parent=blog_index)
    vote(page, 5)
    with connection.cursor() as cursor:  # as the rows were before the columns existed
        for statement in (
            keep_migration.SQLITE_DROP
            if connection.vendor == "sqlite"
            else keep_migration.POSTGRES_DROP
        ):
            cursor.execute(statement)
        cursor.execute("UPDATE core_contentpage SET rating_score = 3.0, rating_count = 0")
        assert copies(page) == (Decimal("3.0"), 0)
        cursor.execute(keep_migration.FILL)
        for statement in (
            keep_migration.SQLITE if connection.vendor == "sqlite" else keep_migration.POSTGRES
        ):
            cursor.execute(statement)
    assert copies(page) == summary(page) == (Decimal("3.3333"), 1)


def test_top_rated_and_sort_top_follow_the_copies(blog_index):
    low, high, unrated = (BlogPageFactory(parent=blog_index, title=t) for t in "LHU")
    vote(low, 2)
    vote(high, 4)
    listing = content_listing(user=None, section=blog_index, sort="top")
    assert [item.title for item in listing] == ["H", "U", "L"]
    assert [item.title for item in top_rated(user=None)] == ["H", "L"]

    RatingSummary.objects.filter(page_id=low.pk).update(bayesian_score=Decimal("4.5"))

    listing = content_listing(user=None, section=blog_index, sort="top")
    assert [item.title for item in listing] == ["L", "H", "U"]


@only_sqlite
def test_top_rated_walks_the_index_without_sorting(blog_index):
    BlogPageFactory(parent=blog_index)
    reader = AnonymousUser()
    section = content_listing(
        user=reader, model=blog_index.listing_model, section=blog_index, sort="top"
    )
    home = content_listing(user=reader, sort="top").filter(rating_count__gte=1)
    for listing in (section[:12], home[:5]):
        plan = sqlite_plan(listing)
        assert "USING INDEX content_top_idx" in plan
        assert "TEMP B-TREE" not in plan


@only_postgresql
def test_top_rated_can_walk_the_index_on_postgresql(blog_index):
    BlogPageFactory(parent=blog_index)
    reader = AnonymousUser()
    section = content_listing(
        user=reader, model=blog_index.listing_model, section=blog_index, sort="top"
    )
    home = content_listing(user=reader, sort="top").filter(rating_count__gte=1)
    for listing in (section[:12], home[:5]):
        plan = postgresql_plan_unsorted(listing)
        assert "content_top_idx" in plan
        assert "Sort" not in plan
