"""Profile pages: the member's own edit form and the public profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import AccessPurpose, AccessWhat
from audit.selectors import is_staff
from audit.services import access_record
from core.selectors import paginate
from social.forms import ProfileForm
from social.selectors import (
    former_handle_target,
    own_profile,
    profile_communities,
    profile_items,
    visible_profile,
)
from social.services import profile_update


def _private(response):
    # Member-only or personal content: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


def moved_or_404(request, handle):
    """For an address whose handle matched no profile this reader may see: redirect to
    the same page at the member's current handle if ``handle`` is one of their old
    ones and they keep old addresses working; otherwise the 404 of a missing member.

    A temporary redirect (302), never cached: the member may turn it off.
    """
    profile = former_handle_target(viewer=request.user, handle=handle)
    if profile is None:
        raise Http404("No such member")
    url = reverse(request.resolver_match.view_name, kwargs={"handle": profile.handle})
    query = request.META.get("QUERY_STRING", "")
    return _private(HttpResponseRedirect(f"{url}?{query}" if query else url))


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """The signed-in member edits their own profile (never anyone else's).

    The profile is created by the first save, not by opening the form: a GET
    changes nothing, and nobody gets a profile page they did not ask for.
    """
    profile = own_profile(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            old_handle = profile.handle
            saved = profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            if old_handle and saved.handle != old_handle:
                messages.info(
                    request,
                    _(
                        "Your display name changed, so your profile has a new address without "
                        "the old name: %(address)s."
                    )
                    % {"address": saved.get_absolute_url()}
                    + " "
                    + (
                        _("Your old address still leads to it, as you chose.")
                        if saved.redirect_former_handles
                        else _("Your old address no longer leads anywhere.")
                    ),
                )
            return _private(redirect("social:profile_edit"))
    else:
        form = ProfileForm(
            initial={
                "display_name": request.user.display_name,
                "bio": profile.bio,
                "conditions": list(profile.conditions.all()) if profile.pk else [],
                "visibility": profile.visibility,
                "show_in_suggestions": profile.show_in_suggestions,
                "show_follow_lists": profile.show_follow_lists,
                "show_followed_topics": profile.show_followed_topics,
                "redirect_former_handles": profile.redirect_former_handles,
            }
        )
    return _private(
        TemplateResponse(request, "social/profile_edit.html", {"form": form, "profile": profile})
    )


@require_http_methods(["GET", "HEAD"])
def profile_detail(request, handle):
    """A member's public profile and published items, if this reader may see it."""
    profile = visible_profile(viewer=request.user, handle=handle)
    if profile is None:
        # Hidden and unknown profiles must be indistinguishable; an old
        # address leads on only if its member said so.
        return moved_or_404(request, handle)
    if (
        profile.visibility != profile.Visibility.EVERYONE
        and profile.user_id != request.user.pk
        and is_staff(request.user)
    ):
        # Staff reading a profile not open to everyone (issue 16): recorded even though
        # any member could read it too; nobody can tell in which capacity they looked.
        access_record(
            viewer=request.user,
            subject=profile.user,
            what=AccessWhat.PRIVATE_PROFILE,
            purpose=AccessPurpose.MODERATION,
            object_ref=f"profile:{profile.pk}",
        )
    items = paginate(profile_items(viewer=request.user, profile=profile), request.GET.get("page"))
    communities = profile_communities(viewer=request.user, profile=profile)
    response = TemplateResponse(
        request,
        "social/profile_detail.html",
        {"profile": profile, "items": items, "communities": communities},
    )
    if request.user.is_authenticated or profile.visibility != profile.Visibility.EVERYONE:
        _private(response)
    return response
