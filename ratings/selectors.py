"""Reads for ratings: what a content page's widget shows, and who may rate what.

``page_context`` is what a content page's template needs; it never
aggregates over ratings (the summary row holds the numbers).
"""

from urllib.parse import urlencode

from django.urls import reverse

from wagtail.models import Site

from core.models import CommunitySettings, ContentPage
from core.selectors import readable_content

from .browser import (  # noqa: F401 (the cookie's names, read from here by views and tests)
    BROWSER_COOKIE,
    BROWSER_COOKIE_MAX_AGE,
    BROWSER_COOKIE_SALT,
    browser_id,
)
from .models import SCORE_CHOICES, RaterBrowser, Rating, RatingSummary
from .services import anonymous_key_for

MAX_PAGE_ID = 2**31 - 1
# What the widget offers: value, label for everyone, glyphs for the eye only.
STAR_CHOICES = [(value, label, "★" * value) for value, label in SCORE_CHOICES]


def anonymous_ratings_allowed(request):
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


def rateable_page(*, user, page_id):
    """The content page ``page_id`` if ``user`` may read it, else None.

    Drafts, pages in review, restricted pages and missing ids all give None,
    so the endpoint answers them alike.
    """
    # Page ids are 32-bit; a longer number would overflow the database driver.
    if not 0 < page_id <= MAX_PAGE_ID:
        return None
    queryset = ContentPage.objects.filter(pk=page_id).select_related("author")
    return readable_content(user=user, queryset=queryset).first()


def rating_summary(*, page):
    """The page's ``RatingSummary``, or None before its first rating (one query)."""
    return RatingSummary.objects.filter(page_id=page.pk).first()


def own_score(*, page, user=None, anonymous_key=None):
    """The score this member or anonymous browser gave ``page``, or None (one query)."""
    if user is not None and user.is_authenticated:
        owner = {"user": user}
    elif anonymous_key is not None:
        owner = {"anonymous_key": anonymous_key}
    else:
        return None
    return Rating.objects.filter(page_id=page.pk, **owner).values_list("score", flat=True).first()


def browser_is_members(*, anonymous_key):
    """Whether a member signed in with this browser, which then rates only signed in (one query)."""
    return RaterBrowser.objects.filter(anonymous_key=anonymous_key).exists()


def login_url_for(path):
    """The sign-in address that brings the visitor back to ``path`` afterwards."""
    return f"{reverse('account_login')}?{urlencode({'next': path})}"


def page_context(*, page, request):
    """The star widget's data for ``page`` as ``request``'s reader sees it.

    ``rating_widget`` holds the summary, the reader's own score, and whether
    they may rate (a member who did not write it, or an anonymous visitor when
    the site allows it and no member has signed in on their browser), else why
    not (``is_author``, ``login_url``, ``member_browser``). Previews and pages
    the reader may not read show the numbers without a form.
    """
    user = request.user
    summary = rating_summary(page=page)
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
        widget["can_rate"] = readable_content(
            user=user, queryset=ContentPage.objects.filter(pk=page.pk)
        ).exists()
    return {"rating_widget": widget}
