"""Reads that decide what a person may see.

Every listing of member or expert content (home, sections, tags, and later
feeds, profiles and search) starts from ``readable_content`` so that access
rules live in one place.
"""

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith

from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction

from core.models import ContentPage
from ratings.models import PRIOR_MEAN

LISTING_PAGE_SIZE = 12
# How a listing may be ordered (``?sort=``); anything else means the default.
SORT_NEWEST = "newest"
SORT_TOP = "top"
LISTING_SORTS = {SORT_NEWEST: "Newest", SORT_TOP: "Top rated"}
NEWEST_ORDER = ("-first_published_at", "-pk")
# Best small-sample-aware score first (see ratings.models.RatingSummary); an
# item nobody has rated counts as the prior, exactly as the score assumes. Ties
# go to the item with more ratings, then the newer one.
TOP_RATED_ORDER = (
    Coalesce(F("rating_summary__bayesian_score"), Value(PRIOR_MEAN)).desc(),
    F("rating_summary__count").desc(nulls_last=True),
    *NEWEST_ORDER,
)
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


def listing_sort(value):
    """``value`` if it names a listing order (``LISTING_SORTS``), else the default, newest."""
    return value if isinstance(value, str) and value in LISTING_SORTS else SORT_NEWEST


def content_listing(*, user, model=ContentPage, section=None, tag_slug=None, sort=SORT_NEWEST):
    """Readable items, with what a listing card shows, in one query.

    ``model`` narrows to one concrete type, ``section`` to the children of an
    index page, ``tag_slug`` to items carrying that tag. ``sort`` is "newest"
    (the default) or "top" (top rated; see ``TOP_RATED_ORDER``); pass request
    input through ``listing_sort`` first. Authors, their profiles and the
    rating summary are joined, comments counted and tags prefetched, so the
    count of queries does not grow with the items, ratings or comments.
    """
    # discussion.selectors builds on this module, hence the import here.
    from discussion.selectors import with_comment_counts

    if sort not in LISTING_SORTS:
        raise ValueError(f"Unknown listing sort {sort!r}; use listing_sort() on input.")
    queryset = readable_content(user=user, queryset=model.objects.all())
    if section is not None:
        queryset = queryset.child_of(section)
    if tag_slug:
        queryset = queryset.filter(tags__slug=tag_slug)
    # The author's profile rides along so bylines can link to it without a
    # query per card (see social.selectors.author_profile).
    # The rating summary is its own table (see ratings.models), joined so
    # cards show "★ 4.3 (12)" without a query each.
    # Visible comments are counted in the same query (a correlated subquery).
    return (
        with_comment_counts(queryset)
        .select_related("author__profile", "rating_summary")
        .prefetch_related("tags")
        .order_by(*(TOP_RATED_ORDER if sort == SORT_TOP else NEWEST_ORDER))
    )


def top_rated(*, user, limit=5):
    """The ``limit`` best-rated readable items of every type, for the home page.

    Only items with at least one rating, best small-sample-aware score first
    (one 5-star vote does not beat forty votes averaging 4.8).
    """
    return list(
        content_listing(user=user, sort=SORT_TOP).filter(rating_summary__count__gte=1)[:limit]
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


def readable_tags(*, user):
    """Every tag carried by at least one item ``user`` may read (a queryset, not evaluated).

    A tag used only on drafts, items in review or restricted items does not
    exist for readers: not as a topic to follow, nor as a word to suggest.
    """
    readable_ids = readable_content(user=user).values("pk")
    return Tag.objects.filter(
        pk__in=Tag.objects.filter(
            core_contentpagetag_items__content_object__in=readable_ids
        ).values("pk")
    )


def readable_tag(*, user, slug):
    """The tag with ``slug`` if at least one item ``user`` may read carries it.

    Anything that is not a plausible slug is answered without a query (some
    databases refuse bytes such as NUL outright).
    """
    if not isinstance(slug, str) or not TAG_SLUG_PATTERN.fullmatch(slug):
        return None
    return readable_tags(user=user).filter(slug=slug).first()


def paginate(queryset, page_number, *, per_page=LISTING_PAGE_SIZE):
    """One page of ``queryset``; a missing, malformed or too large number gives a valid page."""
    return Paginator(queryset, per_page).get_page(page_number)


@dataclass(frozen=True)
class SiteLinks:
    """The pages every page links to: the header's sections and the footer's site pages."""

    sections: list
    footer: list


def site_links(*, site):
    """The header's sections and the footer's site pages (``InformationPage``), in one query.

    Sections are the home page's live children shown in menus; footer pages
    are the live information pages editors left in the footer, at any depth.
    Both in the tree's order, and neither under a view restriction (tested in
    the same query, where Wagtail's ``.public()`` first reads every
    restriction in a query of its own).
    """
    if site is None or site.root_page_id is None:
        return SiteLinks(sections=[], footer=[])
    root = site.root_page
    # A restriction covers its page and every page below it (path prefix).
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    pages = (
        Page.objects.live()
        .filter(path__startswith=root.path, depth__gt=root.depth)
        .filter(
            Q(depth=root.depth + 1, show_in_menus=True) | Q(informationpage__show_in_footer=True)
        )
        .exclude(Exists(restricted))
        .annotate(in_footer=Coalesce("informationpage__show_in_footer", Value(False)))
        .order_by("path")
        .only("title", "url_path", "path", "depth", "show_in_menus")
    )
    pages = list(pages)
    return SiteLinks(
        sections=[page for page in pages if page.depth == root.depth + 1 and page.show_in_menus],
        footer=[page for page in pages if page.in_footer],
    )
