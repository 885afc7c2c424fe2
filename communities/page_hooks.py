"""The communities directory's and each community page's context (core.hooks).

The core's ``CommunityIndexPage`` and ``CommunityPage`` ask these hooks for
everything beyond their own fields; each answer is read by
``communities.selectors``, so the templates hold no queries.
"""

from django.http import HttpRequest

from wagtail import hooks

from core.hooks import COMMUNITY_INDEX_CONTEXT, COMMUNITY_PAGE_CONTEXT
from core.models import CommunityIndexPage, CommunityPage

from . import selectors


@hooks.register(COMMUNITY_INDEX_CONTEXT)
def directory(*, page: CommunityIndexPage, request: HttpRequest) -> dict:
    return selectors.directory_context(viewer=request.user)


@hooks.register(COMMUNITY_PAGE_CONTEXT)
def community(*, page: CommunityPage, request: HttpRequest) -> dict:
    return selectors.community_page_context(
        viewer=request.user, community=page, members_page=request.GET.get("members")
    )
