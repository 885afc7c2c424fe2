"""Reads for ratings: what a content page's widget shows, and who may rate what.

``page_context`` is what a content page's template needs; it never
aggregates over ratings (the summary row holds the numbers). The listing's
part (the summary join, the "Top rated" order, the home page's best-rated
items) is here too, plugged into the core by ``ratings.wagtail_hooks``.
"""

from django.db.models import QuerySet
from django.http import HttpRequest

from wagtail.models import Site

from core.models import CommunitySettings, ContentPage
from core.responses import login_url_for
from core.selectors import NEWEST_ORDER, Reader, content_listing, page_readable_by, readable_content

from .browser import (  # noqa: F401 (the cookie's names, read from here by views and tests)
    BROWSER_COOKIE,
    BROWSER_COOKIE_MAX_AGE,
    BROWSER_COOKIE_SALT,
    browser_id,
)
from .models import SCORE_CHOICES, RaterBrowser, Rating, RatingSummary
from .services import anonymous_key_for

MAX_PAGE_ID = 2**31 - 1
# The listing order ratings add (``?sort=top``; search spells it "rating").
SORT_TOP = "top"
# Best small-sample-aware score first (see ratings.models.RatingSummary); an
# item nobody has rated counts as the prior, exactly as the score assumes. Ties
# go to the item with more ratings, then the newer one. From the summary's
# copies on the content table (``ContentPage.rating_score``, kept by the
# database), so the order walks ``content_top_idx`` and stops after a page.
TOP_RATED_ORDER = ("-rating_score", "-rating_count", *NEWEST_ORDER)
# How many best-rated items the home page shows.
HOME_TOP_RATED = 5
# What the widget offers: value, label for everyone, glyphs for the eye only.
STAR_CHOICES = [(value, label, "★" * value) for value, label in SCORE_CHOICES]


def with_rating_summary(queryset: QuerySet) -> QuerySet:
    """``queryset`` of content pages with their ``RatingSummary`` joined (no query per card).

    Cards show "★ 4.3 (12)" from it (``ratings_tags.joined_rating_summary``).
    """
    return queryset.select_related("rating_summary")


def top_rated(*, user: Reader, limit: int = HOME_TOP_RATED) -> list[ContentPage]:
    """The ``limit`` best-rated readable items of every type, for the home page.

    Only items with at least one rating, best small-sample-aware score first
    (one 5-star vote does not beat forty votes averaging 4.8).
    """
    return list(content_listing(user=user, sort=SORT_TOP).filter(rating_count__gte=1)[:limit])


def anonymous_ratings_allowed(request: HttpRequest) -> bool:
    """Whether this request's site accepts ratings from visitors who are not signed in.

    One query, remembered on the request. Unlike ``CommunitySettings.for_request``
    it never creates the settings row on a read: a site nobody has configured
    keeps the field's default (off).
    """
    if not hasattr(request, "_kindred_anonymous_ratings"):
        site = Site.find_for_request(request)
        allowed = (
            CommunitySettings.objects.filter(site=site)
            .values_list("allow_anonymous_ratings", flat=True)
            .first()
            if site is not None
            else None
        )
        default = CommunitySettings._meta.get_field("allow_anonymous_ratings").default
        request._kindred_anonymous_ratings = default if allowed is None else allowed
    return request._kindred_anonymous_ratings


def rateable_page(*, user: Reader, page_id: int) -> ContentPage | None:
    """The content page ``page_id`` if ``user`` may read it, else None.

    Drafts, pages in review, restricted pages and missing ids all give None,
    so the endpoint answers them alike.
    """
    # Page ids are 32-bit; a longer number would overflow the database driver.
    if not 0 < page_id <= MAX_PAGE_ID:
        return None
    queryset = ContentPage.objects.filter(pk=page_id).select_related("author")
    return readable_content(user=user, queryset=queryset).first()


def rating_summary(*, page: ContentPage) -> RatingSummary | None:
    """The page's ``RatingSummary``, or None before its first rating (one query)."""
    return RatingSummary.objects.filter(page_id=page.pk).first()


def own_score(
    *, page: ContentPage, user: Reader = None, anonymous_key: str | None = None
) -> int | None:
    """The score this member or anonymous browser gave ``page``, or None (one query)."""
    if user is not None and user.is_authenticated:
        owner = {"user": user}
    elif anonymous_key is not None:
        owner = {"anonymous_key": anonymous_key}
    else:
        return None
    return Rating.objects.filter(page_id=page.pk, **owner).values_list("score", flat=True).first()


def browser_is_members(*, anonymous_key: str) -> bool:
    """Whether a member signed in with this browser, which then rates only signed in (one query)."""
    return RaterBrowser.objects.filter(anonymous_key=anonymous_key).exists()


def _joined_summary(page: ContentPage) -> RatingSummary | None:
    """The summary the page's own query joined (``core.routing``: the listing columns),
    else ``rating_summary`` (one query)."""
    descriptor = getattr(type(page), "rating_summary", None)
    if descriptor is not None and descriptor.is_cached(page):
        try:
            return page.rating_summary
        except RatingSummary.DoesNotExist:
            return None
    return rating_summary(page=page)


def page_context(*, page: ContentPage, request: HttpRequest) -> dict:
    """The star widget's data for ``page`` as ``request``'s reader sees it.

    ``rating_widget`` holds the summary, the reader's own score, and whether
    they may rate (a member who did not write it, or an anonymous visitor when
    the site allows it and no member has signed in on their browser), else why
    not (``is_author``, ``login_url``, ``member_browser``). Previews and pages
    the reader may not read show the numbers without a form.
    """
    user = request.user
    summary = _joined_summary(page)
    widget = {
        "page_id": page.pk,
        "summary": summary,
        "choices": STAR_CHOICES,
        "your_score": None,
        "can_rate": False,
        "is_author": False,
        "login_url": None,
        "member_browser": False,
    }
    if getattr(request, "is_preview", False):
        return {"rating_widget": widget}

    if user.is_authenticated:
        widget["is_author"] = page.author_id is not None and page.author_id == user.pk
        may_rate = not widget["is_author"]
        if may_rate:
            widget["your_score"] = own_score(page=page, user=user)
    elif anonymous_ratings_allowed(request):
        may_rate = True
        raw_id = browser_id(request)
        if raw_id is not None:
            key = anonymous_key_for(raw_id)
            if browser_is_members(anonymous_key=key):
                # The endpoint would refuse this browser's visitor vote.
                may_rate = False
                widget["member_browser"] = True
                widget["login_url"] = login_url_for(request.get_full_path())
            else:
                widget["your_score"] = own_score(page=page, anonymous_key=key)
    else:
        may_rate = False
        widget["login_url"] = login_url_for(request.get_full_path())

    if may_rate:
        # The same gate as the endpoint, so the form is offered only where a
        # vote would be accepted (not on a page behind a view restriction).
        # (page_readable_by: readable_content's answer from the served page, no query.)
        widget["can_rate"] = page_readable_by(user=user, page=page)
    return {"rating_widget": widget}
