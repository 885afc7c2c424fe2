"""rating_upsert and the database constraints behind it."""

import random
from decimal import Decimal

from django.db import IntegrityError, transaction

import pytest

from ratings.models import Rating, RatingSummary
from ratings.services import (
    InvalidScore,
    OwnItem,
    anonymous_key_for,
    rating_summary_rebuild,
    rating_upsert,
    ratings_delete_for_user,
)
from tests.factories import BlogPageFactory, UserFactory
from tests.ratings.helpers import assert_summary_matches_ratings, expected_bayesian

pytestmark = pytest.mark.django_db

KEY_A = anonymous_key_for("a" * 43)
KEY_B = anonymous_key_for("b" * 43)


def test_first_rating_creates_the_rating_and_the_summary(story, member):
    rating, summary = rating_upsert(page=story, score=4, user=member)

    assert Rating.objects.get() == rating
    assert (rating.page_id, rating.user, rating.anonymous_key, rating.score) == (
        story.pk,
        member,
        None,
        4,
    )
    assert (summary.count, summary.total, summary.average) == (1, 4, Decimal("4.0"))
    assert summary.bayesian_score == Decimal("3.1667")  # (15 + 4) / 6
    assert RatingSummary.objects.get(page_id=story.pk).count == 1


def test_rating_again_changes_the_score_and_never_adds_a_row(story, member):
    first, _ = rating_upsert(page=story, score=2, user=member)
    again, summary = rating_upsert(page=story, score=5, user=member)
    same, summary = rating_upsert(page=story, score=5, user=member)

    assert first.pk == again.pk == same.pk
    assert Rating.objects.count() == 1
    assert Rating.objects.get().score == 5
    assert (summary.count, summary.total) == (1, 5)
    assert_summary_matches_ratings(story)


def test_members_and_browsers_count_in_the_same_average(story, member):
    other = UserFactory()
    rating_upsert(page=story, score=5, user=member)
    rating_upsert(page=story, score=4, user=other)
    rating_upsert(page=story, score=2, anonymous_key=KEY_A)
    _, summary = rating_upsert(page=story, score=3, anonymous_key=KEY_A)

    assert (summary.count, summary.total, summary.average) == (3, 12, Decimal("4.0"))
    assert_summary_matches_ratings(story)


def test_ratings_of_one_page_do_not_touch_another(blog_index, story, member):
    other_page = BlogPageFactory(parent=blog_index)
    rating_upsert(page=story, score=5, user=member)
    rating_upsert(page=other_page, score=1, user=member)

    assert RatingSummary.objects.get(page_id=story.pk).total == 5
    assert RatingSummary.objects.get(page_id=other_page.pk).total == 1


@pytest.mark.parametrize("score", [0, 6, -1, 4.5, "4", None, True, Decimal("3")])
def test_service_refuses_anything_but_an_integer_from_1_to_5(story, member, score):
    with pytest.raises(InvalidScore):
        rating_upsert(page=story, score=score, user=member)
    assert not Rating.objects.exists()
    assert not RatingSummary.objects.exists()


def test_authors_cannot_rate_their_own_items(story, author):
    with pytest.raises(OwnItem):
        rating_upsert(page=story, score=5, user=author)
    assert not Rating.objects.exists()


def test_exactly_one_rater_must_be_given(story, member):
    with pytest.raises(ValueError, match="exactly one"):
        rating_upsert(page=story, score=3)
    with pytest.raises(ValueError, match="exactly one"):
        rating_upsert(page=story, score=3, user=member, anonymous_key=KEY_A)


def test_anonymous_key_is_a_hash_of_the_browser_id():
    key = anonymous_key_for("x" * 43)

    assert len(key) == 64
    assert "x" * 8 not in key
    assert key == anonymous_key_for("x" * 43)
    assert key != anonymous_key_for("y" * 43)


# --- The database itself refuses what the service would never write -----------


def _insert(**fields):
    with transaction.atomic():
        return Rating.objects.create(**fields)


@pytest.mark.parametrize("score", [0, 6, 100])
def test_database_refuses_scores_outside_1_to_5(story, member, score):
    with pytest.raises(IntegrityError):
        _insert(page=story, user=member, score=score)


def test_database_refuses_a_second_rating_by_one_member(story, member):
    _insert(page=story, user=member, score=3)
    with pytest.raises(IntegrityError):
        _insert(page=story, user=member, score=4)
    assert Rating.objects.count() == 1


def test_database_refuses_a_second_rating_by_one_browser(story):
    _insert(page=story, anonymous_key=KEY_A, score=3)
    with pytest.raises(IntegrityError):
        _insert(page=story, anonymous_key=KEY_A, score=4)
    _insert(page=story, anonymous_key=KEY_B, score=4)  # another browser is another rater
    assert Rating.objects.count() == 2


def test_database_refuses_both_or_neither_rater(story, member):
    with pytest.raises(IntegrityError):
        _insert(page=story, user=member, anonymous_key=KEY_A, score=3)
    with pytest.raises(IntegrityError):
        _insert(page=story, score=3)
    with pytest.raises(IntegrityError):
        _insert(page=story, anonymous_key="", score=3)
    assert not Rating.objects.exists()


def test_database_refuses_a_summary_whose_total_cannot_be(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingSummary.objects.create(page_id=story.pk, count=2, total=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingSummary.objects.create(page_id=story.pk, count=2, total=1)


# --- The summary stays exact ------------------------------------------------------


def test_summary_equals_a_fresh_aggregate_after_many_operations(story, blog_index):
    other_page = BlogPageFactory(parent=blog_index)
    members = [UserFactory() for _ in range(6)]
    browsers = [anonymous_key_for(f"{n:043d}") for n in range(6)]
    chooser = random.Random(20261127)  # fixed seed: the same sequence on every run

    for _ in range(200):
        page = chooser.choice([story, other_page])
        score = chooser.randint(1, 5)
        if chooser.random() < 0.5:
            rating_upsert(page=page, score=score, user=chooser.choice(members))
        else:
            rating_upsert(page=page, score=score, anonymous_key=chooser.choice(browsers))

    for page in (story, other_page):
        summary = assert_summary_matches_ratings(page)
        assert 1 <= summary.count <= 12
    assert Rating.objects.count() <= 24


def test_bayesian_score_follows_the_documented_formula(story):
    for number, score in enumerate([5, 5, 4, 1, 3, 5, 2], start=1):
        _, summary = rating_upsert(
            page=story, score=score, anonymous_key=anonymous_key_for(f"{number:043d}")
        )

    assert summary.bayesian_score == expected_bayesian(7, 25)
    assert summary.bayesian_score == Decimal("3.3333")  # (15 + 25) / 12


def test_deleting_a_members_ratings_corrects_the_summaries(story, blog_index, member):
    other_page = BlogPageFactory(parent=blog_index)
    rating_upsert(page=story, score=5, user=member)
    rating_upsert(page=other_page, score=1, user=member)
    rating_upsert(page=story, score=3, anonymous_key=KEY_A)

    assert ratings_delete_for_user(user=member) == 2

    assert not Rating.objects.filter(user=member).exists()
    assert assert_summary_matches_ratings(story).count == 1
    assert assert_summary_matches_ratings(other_page).count == 0


def test_rebuild_repairs_a_summary(story, member):
    rating_upsert(page=story, score=4, user=member)
    RatingSummary.objects.filter(page_id=story.pk).update(count=3, total=9)

    rating_summary_rebuild(page=story)

    assert_summary_matches_ratings(story)
