"""The opt-in: only the code that knows a page is the same for every visitor marks it public."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponseBase

from .tags import ALL

REQUEST_ATTRIBUTE = "_kindred_page_cache_tags"
# The same opt-in for code that has a response but not the request's ear.
RESPONSE_ATTRIBUTE = "kindred_page_cache_tags"


def mark_public(request: HttpRequest, *, tags: Iterable[str] = ()) -> None:
    """Say that this request's page is the same for every visitor and depends on ``tags``.

    ``all`` is always added. The middleware still stores the page only if the
    request was anonymous and the response is a plain 200 that sets no cookie
    (``pagecache.middleware.storable``): marking a page never makes a
    signed-in member's page shared. Mark only what a visitor may read in full;
    never a teaser, a view-restricted, members-only or community page, a
    draft or a preview.
    """
    marked = getattr(request, REQUEST_ATTRIBUTE, None)
    if marked is None:
        marked = set()
        setattr(request, REQUEST_ATTRIBUTE, marked)
    marked.update({ALL, *tags})


def mark_private(request: HttpRequest) -> None:
    """Take back a mark: something later in the request found the page is not for everyone."""
    setattr(request, REQUEST_ATTRIBUTE, None)
    request._kindred_page_cache_private = True


def public_tags(request: HttpRequest, response: HttpResponseBase) -> set[str] | None:
    """The tags the page was marked public with, or None if it was not marked (or taken back)."""
    if getattr(request, "_kindred_page_cache_private", False):
        return None
    marked = getattr(request, REQUEST_ATTRIBUTE, None)
    on_response = getattr(response, RESPONSE_ATTRIBUTE, None)
    if marked is None and on_response is None:
        return None
    return {ALL, *(marked or ()), *(on_response or ())}
