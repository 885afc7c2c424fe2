"""Sharing's parts of the site's pages (core.hooks) and of the admin.

Every content page and community page gets ``sharing`` (the decisions, the
buttons' networks and the card) from ``sharing.selectors.page_sharing``;
an item that may not be shared anywhere gets ``share_noindex`` so its head
asks search engines not to index it. A visitor arriving through a shared
link (``?via=share``) gets ``arrived_by_share`` (the invitation to join).
"""

from django.http import HttpRequest

from wagtail import hooks
from wagtail.models import Page, Site

from core.hooks import COMMUNITY_PAGE_CONTEXT, CONTENT_PAGE_CONTEXT
from core.models import CommunityPage, ContentPage

from .selectors import page_sharing


def _arrived_by_share(request: HttpRequest) -> bool:
    return request.GET.get("via") == "share" and not request.user.is_authenticated


def _sharing_context(page: Page, request: HttpRequest) -> dict:
    sharing = page_sharing(page=page, site=Site.find_for_request(request))
    return {
        "sharing": sharing,
        "share_card": sharing.card,
        "arrived_by_share": _arrived_by_share(request) and sharing.page.live,
    }


@hooks.register(CONTENT_PAGE_CONTEXT)
def content_sharing(*, page: ContentPage, request: HttpRequest) -> dict:
    context = _sharing_context(page, request)
    context["share_noindex"] = not context["sharing"].shareable
    return context


@hooks.register(COMMUNITY_PAGE_CONTEXT)
def community_sharing(*, page: CommunityPage, request: HttpRequest) -> dict:
    return _sharing_context(page, request)


# The admin's parts (rules, the "why" view, the share log) register their own hooks.
from . import admin_hooks  # noqa: E402, F401
