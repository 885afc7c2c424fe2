"""What the sitemap lists: only what an anonymous visitor may open, read through the core's rules.

Items, sections, communities and site pages come from ``core.selectors.readable_content``;
tags are those ``readable_tags`` gives (asked per tag, as ``readable_tag`` asks); profiles
are narrowed in the database to those open to everyone and each is then asked
``Profile.is_visible_to``. Always for ``AnonymousUser()``: a crawler is a visitor, and a
page a visitor would get as a teaser, a sign-in redirect or a 404 is not in the sitemap.
A new access rule reaches the sitemap by landing in those functions.

The long lists (items, tags, profiles) are read in *windows* of ids: the window ``n`` holds
the rows whose id is in ``[n * size, (n + 1) * size)``. A window is one range read on a
primary key (flat at any size, no OFFSET), and it can never hold more than ``size`` rows,
so a sitemap page stays under the protocol's 50,000 addresses. The index learns which
windows have rows, with each window's newest change, from grouped queries (``*_windows``):
no count, and an empty window is never linked.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BigIntegerField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Length, Substr

from taggit.models import Tag
from wagtail.models import Page, get_page_models

from core.languages import default_content_language
from core.models import CommunityIndexPage, CommunityPage, ContentPage, HomePage, InformationPage
from core.selectors import TAG_SLUG_PATTERN, readable_content
from social.models import Profile, ProfileVisibility


def visitor() -> AnonymousUser:
    """The reader every sitemap read is made for: nobody signed in."""
    return AnonymousUser()


def _bucket(column: str, size: int) -> ExpressionWrapper:
    """The window of a row: its id divided by ``size`` (integer division on both databases)."""
    return ExpressionWrapper(F(column) / Value(size), output_field=BigIntegerField())


def _windows(queryset: QuerySet, *, column: str, size: int, lastmod: str) -> dict[int, datetime]:
    """``{window: newest lastmod}`` for the windows of ``queryset`` that hold rows (one query)."""
    rows = (
        queryset.order_by()
        .annotate(window=_bucket(column, size))
        .values("window")
        .annotate(newest=Max(lastmod))
        .values_list("window", "newest")
    )
    return dict(rows)


def _window(queryset: QuerySet, *, column: str, window: int, size: int) -> QuerySet:
    """The rows of ``queryset`` in ``window`` (a range on ``column``), in its order."""
    start = window * size
    return queryset.filter(**{f"{column}__gte": start, f"{column}__lt": start + size}).order_by(
        column
    )


# --- Items ---------------------------------------------------------------------------------


def _read_under_another_types() -> list[int]:
    """The content types of items read as part of another (answers, ``listed_alone = False``):
    their own address only redirects to their question's, which is listed instead."""
    models = [
        model
        for model in get_page_models()
        if issubclass(model, ContentPage) and not getattr(model, "listed_alone", True)
    ]
    if not models:
        return []
    return [kind.pk for kind in ContentType.objects.get_for_models(*models).values()]


def public_items() -> QuerySet:
    """Every item a visitor may read at its own address (``readable_content`` for a visitor):
    published, not behind a view restriction, for everyone; never a draft, an item in review
    or rejected, an unpublished, members-only or community item, nor an answer (read under
    its question). Not evaluated."""
    return readable_content(user=visitor()).exclude(content_type_id__in=_read_under_another_types())


def _public_children() -> QuerySet:
    """Public items read under another (answers), each with ``parent_id``, the item whose
    page shows them (found by its tree path: one lookup of the path index per row)."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    ).values("pk")[:1]
    return (
        readable_content(user=visitor())
        .filter(content_type_id__in=_read_under_another_types())
        .annotate(parent_id=Subquery(parent))
    )


def item_windows(*, size: int) -> dict[int, datetime]:
    """``{window: newest publication}`` of the public items' windows (two grouped queries):
    an item's own, or a public answer's under it (a question's page shows its answers)."""
    own = _windows(public_items(), column="page_ptr_id", size=size, lastmod="last_published_at")
    children = _windows(
        _public_children(), column="parent_id", size=size, lastmod="last_published_at"
    )
    return {
        window: max((t for t in (newest, children.get(window)) if t), default=None)
        for window, newest in own.items()
    }


def items_in_window(*, window: int, size: int) -> QuerySet:
    """The public items of one window, by id, with what their addresses need and no more."""
    return _window(
        public_items().only("url_path", "path", "depth", "last_published_at"),
        column="page_ptr_id",
        window=window,
        size=size,
    )


def newest_children_in_window(*, window: int, size: int) -> dict[int, datetime]:
    """``{item id: newest publication of a public answer under it}`` for one window (a query)."""
    rows = (
        _window(_public_children(), column="parent_id", window=window, size=size)
        .order_by()
        .values("parent_id")
        .annotate(newest=Max("last_published_at"))
        .values_list("parent_id", "newest")
    )
    return dict(rows)


# --- Tags ----------------------------------------------------------------------------------


def public_tags() -> QuerySet:
    """Tags a visitor may see, each with ``lastmod``: the last publication of the newest
    public item carrying it (the first card of its tag page). Not evaluated.

    A tag is visible when at least one item ``readable_content`` gives a visitor carries it:
    ``readable_tags``' rule, asked per tag as ``readable_tag`` asks it (from the tag's rows,
    newest first, to the first readable item: ``content_tag_listed_idx``), because
    ``readable_tags`` joins every tag row to every readable item, ~0.35 s at 100,000 items.
    tests/discovery/test_sitemap.py holds the two equal. The newest carrier's date is the
    test (a live item always has one): no ``EXISTS``, which PostgreSQL would turn into a join
    hashing every live page (``core.selectors.readable_tag``).
    """
    carriers = readable_content(user=visitor()).filter(tagged_items__tag_id=OuterRef("pk"))
    newest = carriers.order_by(F("tagged_items__listed_at").desc()).values("last_published_at")
    return Tag.objects.annotate(lastmod=Subquery(newest[:1])).filter(lastmod__isnull=False)


def tag_windows(*, size: int) -> dict[int, datetime]:
    """``{window: newest lastmod}`` of the visible tags' windows (one grouped query)."""
    return _windows(public_tags(), column="id", size=size, lastmod="lastmod")


def tags_in_window(*, window: int, size: int) -> list[Tag]:
    """The visible tags of one window, by id; a slug a tag page would refuse is left out."""
    tags = _window(public_tags().only("slug"), column="id", window=window, size=size)
    return [tag for tag in tags if TAG_SLUG_PATTERN.fullmatch(tag.slug)]


# --- Profiles ------------------------------------------------------------------------------


def public_profiles() -> QuerySet:
    """Profiles open to everyone, of active accounts: what ``Profile.is_visible_to`` allows a
    visitor, narrowed in the database (``profiles_in_window`` asks it again). Not evaluated."""
    return Profile.objects.filter(visibility=ProfileVisibility.EVERYONE, user__is_active=True)


def profile_windows(*, size: int) -> dict[int, datetime]:
    """``{window: newest change}`` of the public profiles' windows (one grouped query)."""
    return _windows(public_profiles(), column="id", size=size, lastmod="updated_at")


def profiles_in_window(*, window: int, size: int) -> list[Profile]:
    """The public profiles of one window, by id, each one a visitor may open."""
    profiles = _window(
        public_profiles()
        .select_related("user")
        .only("handle", "visibility", "updated_at", "user__id", "user__is_active"),
        column="id",
        window=window,
        size=size,
    )
    anonymous = visitor()
    return [profile for profile in profiles if profile.is_visible_to(anonymous)]


# --- The site's own pages ------------------------------------------------------------------


@dataclass(frozen=True)
class SitePage:
    """A page of the site itself (home, a section, the directory, a community, an information
    page) and when what it shows last changed."""

    page: Page
    lastmod: datetime | None


def _site_page_types() -> list[int]:
    """Home, the sections (types that name a ``listing_model``), the community directory,
    listed communities and the information pages (about, guidelines, privacy…)."""
    models = [HomePage, CommunityIndexPage, CommunityPage, InformationPage]
    models += [model for model in get_page_models() if getattr(model, "listing_model", None)]
    return [kind.pk for kind in ContentType.objects.get_for_models(*models).values()]


def site_pages() -> list[SitePage]:
    """The site's own pages a visitor may open, in the tree's order (two queries and the
    restrictions' one).

    ``readable_content`` decides (a community page passes only when listed). A page that
    lists items (home, a section) changed when an item under it was last published, so its
    ``lastmod`` is the newest of its own publication and its public items'; the directory's
    is the newest of its listed communities'.
    """
    # The site's own pages are its default language's; their translations (the German
    # about page…) are read at the same address (core.models.InformationPage) and sit
    # in a tree no site routes, so they are no pages of their own here.
    own = Page.objects.filter(
        content_type_id__in=_site_page_types(), locale__language_code=default_content_language()
    )
    pages = list(
        readable_content(user=visitor(), queryset=own)
        .order_by("path")
        .only("url_path", "path", "depth", "last_published_at", "content_type_id")
    )
    if not pages:
        return []
    steplen = Page.steplen
    section_depth = min(page.depth for page in pages) + 1
    newest_under = dict(
        public_items()
        .order_by()
        .annotate(branch=_path_prefix(steplen * section_depth))
        .values("branch")
        .annotate(newest=Max("last_published_at"))
        .values_list("branch", "newest")
    )
    community_type = ContentType.objects.get_for_model(CommunityPage).pk
    result = []
    for page in pages:
        times = [page.last_published_at]
        if page.depth < section_depth:
            times += list(newest_under.values())
        elif page.depth == section_depth:
            times.append(newest_under.get(page.path))
            times += [
                other.last_published_at
                for other in pages
                if other.content_type_id == community_type and other.path.startswith(page.path)
            ]
        result.append(SitePage(page=page, lastmod=max((t for t in times if t), default=None)))
    return result


def _path_prefix(length: int) -> Substr:
    """The first ``length`` characters of a page's tree path: the branch it is in."""
    return Substr("path", 1, length)
