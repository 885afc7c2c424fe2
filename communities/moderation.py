"""The community moderators' page: their community's held comments and reports, nothing else.

``GET /communities/<slug>/moderate/`` lists them; ``POST …/moderate/comments/``
decides about one. Only the community's active moderators get in; everyone
else signed in gets the same 404 whether the community exists, is listed or
not (one answer), and visitors are sent to sign in. What is listed and what a
decision does are the discussion's (``moderation_queue(community=...)``,
``community_queue_comment``, ``comment_moderate``, which checks again that the
moderator moderates the item's community). Join requests are on the
community's own page.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.refusals import Refused
from core.responses import done, refusal_response
from discussion import selectors, services

from .moderation_forms import CommentDecisionForm

NOT_FOUND = gettext_lazy("There is no such page here.")
CHOOSE = gettext_lazy("Choose a comment in this community's queue and what to do with it.")


def _moderated_or_404(request, slug):
    community = selectors.moderated_community(user=request.user, slug=slug)
    if community is None:
        raise Http404(str(NOT_FOUND))
    return community


@login_required
@require_http_methods(["GET", "HEAD"])
def queue(request, slug):
    """The community's held comments and reported comments, oldest first."""
    community = _moderated_or_404(request, slug)
    awaiting, reported, _hidden = selectors.moderation_queue(community=community)
    return TemplateResponse(
        request,
        "communities/moderate.html",
        {
            "community": community,
            "community_url": community.get_url(request=request) or "/",
            "awaiting": awaiting,
            "reported": reported,
        },
    )


@login_required
@require_POST
def comment_decide(request, slug):
    """Approve or remove a held comment, dismiss a reported one's reports or remove it."""
    community = _moderated_or_404(request, slug)
    back = reverse("communities:moderate", args=[community.slug])
    context = {"community": community, "back_url": back}
    form = CommentDecisionForm(request.POST)
    if not form.is_valid():
        return refusal_response(
            request,
            Refused(str(CHOOSE), status=400),
            template="communities/moderate_refused.html",
            context=context,
        )
    comment = selectors.community_queue_comment(
        community=community, comment_id=form.cleaned_data["comment"]
    )
    if comment is None:
        raise Http404(str(NOT_FOUND))
    action = form.cleaned_data["action"]
    try:
        services.comment_moderate(moderator=request.user, comment=comment, action=action)
    except PermissionDenied:
        # Not theirs after all (a role changed between the two reads): as missing.
        raise Http404(str(NOT_FOUND)) from None
    except services.CommentRefused as refusal:
        return refusal_response(
            request, refusal, template="communities/moderate_refused.html", context=context
        )
    return done(request, message=str(services.ACTION_MESSAGES[action]), redirect_to=back)
