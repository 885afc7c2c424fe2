"""Wagtail pages that are the same for every visitor, marked public before they are served.

Wagtail's ``before_serve_page`` hook sees the routed (live) page before its
``serve``. A page marked here is still stored only if the visitor's answer is a
plain 200 (``pagecache.middleware.storable``): a view restriction answers a
visitor with a redirect to sign in (Wagtail's own hook), a teaser with 403, an
unlisted community with 404, and none of those is stored. Drafts and previews
never come through here (Wagtail routes live pages only; previews are the
admin's views, for signed-in staff).
"""

from wagtail import hooks

from core.models import (
    Audience,
    CommunityIndexPage,
    CommunityPage,
    ContentPage,
    HomePage,
    InformationPage,
    SectionIndexPage,
)

from .marking import mark_public
from .tags import LISTINGS, page_tag


def page_tags(page) -> list[str] | None:
    """The tags of a visitor's view of ``page``, or None when it is not the same for everyone.

    An item: only when its audience is everyone (``core.selectors.item_access``
    reads the audience alone then, with no query, and answers READ to anyone);
    members-only and community items are never stored. Home, sections, the
    community directory and a listed community's page list items or
    communities: ``listings``. Any other page type is not stored until someone
    decides it is the same for everyone.
    """
    if isinstance(page, ContentPage):
        return [page_tag(page.pk)] if page.audience == Audience.EVERYONE else None
    if isinstance(page, (HomePage, SectionIndexPage, CommunityIndexPage)):
        return [LISTINGS]
    if isinstance(page, CommunityPage):
        return [LISTINGS, page_tag(page.pk)] if page.is_listed else None
    if isinstance(page, InformationPage):
        return [page_tag(page.pk)]
    return None


@hooks.register("before_serve_page")
def mark_public_page(page, request, serve_args, serve_kwargs):
    tags = page_tags(page)
    if tags is not None:
        mark_public(request, tags=tags)
