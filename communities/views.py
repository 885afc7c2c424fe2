"""Membership actions (communities.membership_urls): POST only, signed in, CSRF-checked.

Each view finds the community the person may see (else 404, as for a missing
one: an unlisted community does not exist for outsiders), parses its form
(``communities.forms``: the fields each form sends), calls one service and
answers through ``core.responses``: a 303 redirect to the community's page
with a message, or JSON ``{message, state}`` to a script; a refusal at its
status (400, 403, 404, 409) with its words, as a page or as JSON ``{error}``.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.models import CommunityIndexPage, CommunityPage
from core.refusals import Refused
from core.responses import done, not_found, refusal_response, sign_in_required
from core.selectors import community_visible, visible_community_condition

from . import services
from .forms import (
    InviteForm,
    MemberRemoveForm,
    ProfileListingForm,
    RequestDecideForm,
    RulesForm,
    first_error,
)

SLUG_MAX_LENGTH = CommunityPage._meta.get_field("slug").max_length
NOT_FOUND = gettext_lazy("There is no such community.")
SIGN_IN = gettext_lazy("Sign in to take part in a community.")


def _community(request: HttpRequest, slug: str) -> CommunityPage | None:
    """The live community at ``slug`` that the person may see, else None (one query)."""
    if len(slug) > SLUG_MAX_LENGTH:
        return None
    return (
        CommunityPage.objects.live()
        .filter(slug=slug)
        .filter(visible_community_condition(user=request.user))
        .first()
    )


def _directory_url() -> str:
    index = CommunityIndexPage.objects.live().first()
    return (index.url if index is not None else None) or "/"


def _page_url(request: HttpRequest, community: CommunityPage) -> str:
    """Where to go back: the community's page, or the directory once it is no longer
    the person's to see (they left, or declined, an unlisted community)."""
    if community_visible(user=request.user, community=community):
        return community.get_url(request=request) or _directory_url()
    return _directory_url()


def membership_action(
    form_class: type[forms.Form] | None = None,
) -> Callable:
    """The shared shape of every membership view (see the module docstring).

    The decorated function gets ``(request, community, data)``, ``data`` the
    form's cleaned data, and returns a ``services.MembershipChange``.
    """

    def decorate(act: Callable) -> Callable:
        @wraps(act)
        @never_cache
        @require_POST
        def view(request: HttpRequest, slug: str) -> HttpResponse:
            if not request.user.is_authenticated:
                community = _community(request, slug)
                back = community.url if community is not None else _directory_url()
                return sign_in_required(request, next_url=back or "/", message=str(SIGN_IN))
            community = _community(request, slug)
            if community is None:
                return not_found(request, str(NOT_FOUND))
            data = {}
            try:
                if form_class is not None:
                    form = form_class(request.POST)
                    if not form.is_valid():
                        raise Refused(first_error(form), status=400)
                    data = form.cleaned_data
                change = act(request, community, data)
            except Refused as refusal:
                return refusal_response(
                    request,
                    refusal,
                    template="communities/refused.html",
                    context={"community": community},
                )
            membership = change.membership
            return done(
                request,
                message=change.message,
                redirect_to=_page_url(request, community),
                data={"state": membership.state if membership is not None else None},
            )

        return view

    return decorate


# --- The person themselves ----------------------------------------------------


@membership_action(RulesForm)
def join(request, community, data):
    """Join (open), ask to join (on request) or accept an invitation, with the rules."""
    return services.membership_join(user=request.user, community=community, **data)


@membership_action()
def leave(request, community, data):
    """Leave the community, withdraw one's request, or decline one's invitation."""
    return services.membership_leave(user=request.user, community=community)


@membership_action(RulesForm)
def rules_accept(request, community, data):
    """Accept the community's current rules (after they changed)."""
    return services.rules_accept(user=request.user, community=community, **data)


@membership_action(RulesForm)
def invitation_accept(request, community, data):
    """Accept one's invitation, with the rules."""
    return services.invitation_accept(user=request.user, community=community, **data)


@membership_action()
def invitation_decline(request, community, data):
    """Decline one's invitation."""
    return services.invitation_decline(user=request.user, community=community)


@membership_action(ProfileListingForm)
def profile_listing(request, community, data):
    """List the community on one's profile, or stop."""
    return services.profile_listing(user=request.user, community=community, show=data["show"])


# --- The community's moderators -------------------------------------------------


@membership_action(InviteForm)
def invite(request, community, data):
    """Invite a member by their profile handle."""
    return services.invitation_create(
        moderator=request.user, community=community, handle=data["handle"]
    )


@membership_action(RequestDecideForm)
def request_decide(request, community, data):
    """Approve or refuse (with a reason) a request to join."""
    return services.request_decide(
        moderator=request.user,
        community=community,
        membership_id=data["membership"],
        decision=data["decision"],
        reason=data["reason"],
    )


@membership_action(MemberRemoveForm)
def member_remove(request, community, data):
    """Remove a member, with a reason they are told."""
    return services.member_remove(
        moderator=request.user,
        community=community,
        membership_id=data["membership"],
        reason=data["reason"],
    )
