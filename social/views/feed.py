"""The personal feed and "people like me"."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from social.selectors import feed_page, people_like_me, popular_topics, suggestions_enabled

from .profiles import _private


@require_http_methods(["GET", "HEAD"])
@login_required
def feed(request):
    """Home for a signed-in member: new items from people and topics they follow.

    An empty first page suggests people (if the member opted in to
    suggestions) and popular topics to follow instead.
    """
    items = feed_page(user=request.user, page_number=request.GET.get("page"))
    context = {"items": items, "people": [], "topics": [], "opted_in": None}
    if not items.paginator.count:
        context.update(
            people=people_like_me(viewer=request.user, limit=6),
            topics=popular_topics(user=request.user),
            opted_in=suggestions_enabled(user=request.user),
        )
    return _private(TemplateResponse(request, "social/feed.html", context))


@require_http_methods(["GET", "HEAD"])
@login_required
def people(request):
    """Members who share a condition of interest with the viewer, if both opted in."""
    context = {
        "opted_in": suggestions_enabled(user=request.user),
        "people": people_like_me(viewer=request.user),
    }
    return _private(TemplateResponse(request, "social/people.html", context))
