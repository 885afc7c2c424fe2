"""Reads that decide what a person may see.

Every listing of member or expert content (home, sections, tags, and later
feeds, profiles and search) starts from ``readable_content`` so that access
rules live in one place.
"""

import re

from django.core.paginator import Paginator

from taggit.models import Tag

from portal.models import ContentPage

LISTING_PAGE_SIZE = 12
TAG_SLUG_PATTERN = re.compile(r"[-\w]{1,100}")


def readable_content(*, user, queryset=None):
    """Content pages ``user`` may read: published and not behind a view restriction.

    Drafts, pages in review (never published) and rejected pages are not live,
    so they never pass. ``user`` is accepted now so that community access
    rules can land here without touching any caller.
    """
    if queryset is None:
        queryset = ContentPage.objects.all()
    return queryset.live().public()


def content_listing(*, user, model=ContentPage, section=None, tag_slug=None):
    """Readable items newest first, with what a listing card shows, in one query.

    ``model`` narrows to one concrete type, ``section`` to the children of an
    index page, ``tag_slug`` to items carrying that tag. Authors and their
    profiles are joined and tags prefetched so the count of queries does not
    grow with the items.
    """
    queryset = readable_content(user=user, queryset=model.objects.all())
    if section is not None:
        queryset = queryset.child_of(section)
    if tag_slug:
        queryset = queryset.filter(tags__slug=tag_slug)
    # The author's profile rides along so bylines can link to it without a
    # query per card (see social.selectors.author_profile).
    return (
        queryset.select_related("author__profile")
        .prefetch_related("tags")
        .order_by("-first_published_at", "-pk")
    )


def latest_by_section(*, user, home, limit=3):
    """Each published section under ``home`` with its newest ``limit`` readable items."""
    sections = home.get_children().live().public().specific()
    return [
        (
            section,
            list(content_listing(user=user, model=section.listing_model, section=section)[:limit]),
        )
        for section in sections
        if getattr(section, "listing_model", None) is not None
    ]


def readable_tag(*, user, slug):
    """The tag with ``slug`` if at least one item ``user`` may read carries it.

    A tag used only on drafts or items in review does not exist for readers.
    Anything that is not a plausible slug is answered without a query (some
    databases refuse bytes such as NUL outright).
    """
    if not isinstance(slug, str) or not TAG_SLUG_PATTERN.fullmatch(slug):
        return None
    readable_ids = readable_content(user=user).values("pk")
    return (
        Tag.objects.filter(slug=slug, portal_contentpagetag_items__content_object__in=readable_ids)
        .distinct()
        .first()
    )


def paginate(queryset, page_number, *, per_page=LISTING_PAGE_SIZE):
    """One page of ``queryset``; a missing, malformed or too large number gives a valid page."""
    return Paginator(queryset, per_page).get_page(page_number)
