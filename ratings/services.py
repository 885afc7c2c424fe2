"""Writes to ratings. Every change to a ``Rating`` goes through here so that the
page's ``RatingSummary`` moves in the same transaction, under the same lock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from core.models import ContentPage
from core.refusals import Refused

from .models import MAX_SCORE, MIN_SCORE, RaterBrowser, Rating, RatingSummary


class RatingRefused(Refused):
    """A rating the rules do not allow. ``message`` is safe to show to the rater."""

    status = 400


class InvalidScore(RatingRefused):
    status = 400


class OwnItem(RatingRefused):
    status = 403


class MemberBrowser(RatingRefused):
    """A visitor rating from a browser that a member has signed in with."""

    status = 403


class ItemBusy(RatingRefused):
    """A new visitor rating beyond the item's cap for the hour."""

    status = 429


INVALID_SCORE_MESSAGE = format_lazy(
    gettext_lazy("Choose a rating from {low} to {high} stars."), low=MIN_SCORE, high=MAX_SCORE
)
OWN_ITEM_MESSAGE = gettext_lazy(
    "You wrote this, so you cannot rate it. Readers' ratings will show here."
)
# The same words for every item: a refusal that depended on who wrote the item
# would tell whoever shares the browser which anonymous stories its members wrote.
MEMBER_BROWSER_MESSAGE = gettext_lazy(
    "A member has signed in on this browser, so ratings from it count only when "
    "signed in. Please sign in to rate."
)
ITEM_BUSY_MESSAGE = gettext_lazy(
    "This item has received many ratings from visitors in the last hour, so we are "
    "not taking more for now and your rating was not saved. Please try again later, "
    "or sign in to rate."
)


def anonymous_key_for(browser_id: str) -> str:
    """The key stored for an anonymous browser: a hash of its random id, never the id.

    Someone who reads the table cannot recover a cookie that would let them
    change another browser's rating. A plain SHA-256 is enough because the id
    is 256 random bits; keying it on SECRET_KEY would orphan every anonymous
    rating when the key is rotated.
    """
    return hashlib.sha256(f"kindred-rating-browser:{browser_id}".encode()).hexdigest()


def _lock_summary(page_id: int) -> RatingSummary:
    """The page's summary row, created if need be, locked until the transaction ends.

    Two first raters may race to create the row: ``ignore_conflicts`` makes the
    loser's insert a no-op (on PostgreSQL it waits for the winner's insert to
    commit), and ``select_for_update`` then serialises every writer of this
    page's ratings on the one row.
    """
    RatingSummary.objects.bulk_create([RatingSummary(page_id=page_id)], ignore_conflicts=True)
    return RatingSummary.objects.select_for_update().get(page_id=page_id)


def _withdraw(summary: RatingSummary, rating: Rating) -> None:
    """Delete ``rating`` and take it out of its page's locked ``summary``."""
    rating.delete()
    summary.count -= 1
    summary.total -= rating.score


def rating_upsert(
    *,
    page: ContentPage,
    score: int,
    user: AbstractBaseUser | None = None,
    anonymous_key: str | None = None,
    browser_key: str | None = None,
    visitor_limit: tuple[int, int] | None = None,
) -> tuple[Rating, RatingSummary]:
    """Record ``score`` (1–5) by a member or an anonymous browser; return ``(rating, summary)``.

    Rating again changes the score, never adds a row. The summary row is
    locked first and the rating is read and written under that lock, so
    concurrent requests from one rater end with exactly one rating and a
    summary equal to a fresh aggregate. Raises ``InvalidScore`` for anything
    but an integer from 1 to 5 and ``OwnItem`` when a member rates what they
    wrote. Whether the page is readable, and whether anonymous ratings are
    accepted, is for the caller to have checked (``ratings.selectors``).

    Visitors (``anonymous_key``): ``MemberBrowser`` when a member has signed
    in with that browser (``RaterBrowser``), and, given ``visitor_limit`` as
    ``(count, seconds)``, ``ItemBusy`` when the page already has ``count``
    visitor ratings created in the last ``seconds`` (counted under the lock,
    so the cap holds under concurrent votes; changing a vote is not counted).

    Members may pass ``browser_key``, the key of the browser they rate from:
    it is linked to them (``rater_browser_link``) and that browser's visitor
    rating of this page, if any, is replaced by the member's: one vote each.
    """
    if (user is None) == (anonymous_key is None):
        raise ValueError("Give exactly one of user and anonymous_key.")
    # bool is an int in Python; True must not pass as one star.
    if type(score) is not int or not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidScore(str(INVALID_SCORE_MESSAGE))
    if user is not None and page.author_id is not None and page.author_id == user.pk:
        raise OwnItem(str(OWN_ITEM_MESSAGE))
    if (
        anonymous_key is not None
        and RaterBrowser.objects.filter(anonymous_key=anonymous_key).exists()
    ):
        raise MemberBrowser(str(MEMBER_BROWSER_MESSAGE))
    if user is not None and browser_key is not None:
        rater_browser_link(user=user, anonymous_key=browser_key)

    owner = {"user": user} if user is not None else {"anonymous_key": anonymous_key}
    with transaction.atomic():
        summary = _lock_summary(page.pk)
        rating = Rating.objects.filter(page_id=page.pk, **owner).first()
        if user is not None and browser_key is not None:
            replaced = Rating.objects.filter(page_id=page.pk, anonymous_key=browser_key).first()
            if replaced is not None:
                _withdraw(summary, replaced)
        if rating is None:
            if anonymous_key is not None and visitor_limit is not None:
                limit, seconds = visitor_limit
                recent = Rating.objects.filter(
                    page_id=page.pk,
                    user__isnull=True,
                    created_at__gte=timezone.now() - timedelta(seconds=seconds),
                ).count()
                if recent >= limit:
                    # Raising rolls back the summary row this transaction made.
                    raise ItemBusy(str(ITEM_BUSY_MESSAGE))
            rating = Rating.objects.create(page_id=page.pk, score=score, **owner)
            summary.count += 1
            summary.total += score
        elif rating.score != score:
            summary.total += score - rating.score
            rating.score = score
            rating.save(update_fields=["score", "updated_at"])
        summary.recalculate_score()
        summary.save()
    return rating, summary


def rater_browser_link(*, user: AbstractBaseUser, anonymous_key: str) -> int:
    """Remember that the browser keyed ``anonymous_key`` is ``user``'s; return votes withdrawn.

    From then on that browser may rate only while signed in (see
    ``rating_upsert``). Visitor ratings it already gave to ``user``'s own
    items are withdrawn, with their summaries corrected: an author who rated
    their item before ever signing in on that browser loses that vote too.
    Idempotent; called on every sign-in (``ratings.signals``).
    """
    RaterBrowser.objects.bulk_create(
        [RaterBrowser(anonymous_key=anonymous_key, user=user)], ignore_conflicts=True
    )
    page_ids = list(
        Rating.objects.filter(anonymous_key=anonymous_key, page__author=user).values_list(
            "page_id", flat=True
        )
    )
    return _withdraw_each(page_ids, anonymous_key=anonymous_key)


def _withdraw_each(page_ids: Iterable[int], **rating_filter: object) -> int:
    """Withdraw the rating matching ``rating_filter`` on each page; return how many there were.

    One page at a time, each in its own transaction under its summary's lock,
    as a vote takes it, so a vote meanwhile is never miscounted.
    """
    withdrawn = 0
    for page_id in sorted(page_ids):
        with transaction.atomic():
            summary = _lock_summary(page_id)
            rating = Rating.objects.filter(page_id=page_id, **rating_filter).first()
            if rating is None:
                continue
            _withdraw(summary, rating)
            summary.recalculate_score()
            summary.save()
            withdrawn += 1
    return withdrawn


def rating_summary_rebuild(*, page: ContentPage) -> RatingSummary:
    """Recount ``page``'s summary from its ratings, under the same lock as a vote.

    For repairs and for anything that deletes ratings in bulk (for example
    erasing an account); normal voting keeps the summary exact on its own.
    """
    with transaction.atomic():
        summary = _lock_summary(page.pk)
        fresh = Rating.objects.filter(page_id=page.pk).aggregate(
            count=Count("pk"), total=Sum("score")
        )
        summary.count = fresh["count"]
        summary.total = fresh["total"] or 0
        summary.recalculate_score()
        summary.save()
    return summary


def ratings_delete_for_user(*, user: AbstractBaseUser) -> int:
    """Delete every rating ``user`` gave and correct the summaries of the pages concerned.

    Deleting the user row would cascade to their ratings without touching the
    summaries; account erasure calls this first.
    """
    page_ids = list(Rating.objects.filter(user=user).values_list("page_id", flat=True))
    _withdraw_each(page_ids, user=user)
    return len(page_ids)
