"""The account page, consent changes and the texts members agree to.

Views parse the request, call one service or selector and render; every
change is a POST (CSRF-checked by Django's middleware).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import WelcomeInterestsForm, WelcomeVisibilityForm
from accounts.models import ConsentEvent
from accounts.selectors import (
    consent_history,
    consent_overview,
    consent_withdrawal_impact,
    has_standing_consent,
    may_contribute,
    primary_email,
    welcome_interests,
    welcome_visibility,
)
from accounts.services import (
    consent_give,
    consent_withdraw,
    member_interests_save,
)
from core import consent
from core.hooks import account_sections
from core.selectors import readable_tags
from social.services import profile_visibility_set


@require_GET
@never_cache
@login_required
def account(request):
    """Email, password and consent records; member-only, so never cached."""
    return TemplateResponse(
        request,
        "accounts/account.html",
        {
            "primary_email": primary_email(request.user),
            "consents": consent_overview(request.user),
            # The consent ledger's entries about communities' rules and sharing.
            "consent_history": consent_history(request.user),
            # Issue 16: who saw my data, download my data, delete my account.
            "sections": account_sections(request),
        },
    )


@require_POST
@never_cache
@login_required
def consent_give_view(request, kind):
    """Agree (again) to the current version of one text."""
    if kind not in consent.CURRENT:
        raise Http404("No such consent.")
    consent_give(user=request.user, kind=kind, channel=ConsentEvent.Channel.ACCOUNT_PAGE)
    text = consent.CURRENT[kind]
    messages.success(
        request, _("Thank you. We recorded your agreement to ‘%(title)s’.") % {"title": text.title}
    )
    return redirect("accounts:account")


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def health_data_withdraw(request):
    """GET: what withdrawing would do, item by item. POST: withdraw and say what changed."""
    kind = consent.HEALTH_DATA
    if request.method == "POST":
        summary = consent_withdraw(
            user=request.user, kind=kind, channel=ConsentEvent.Channel.ACCOUNT_PAGE
        )
        if summary.withdrawn:
            messages.success(request, _withdrawal_message(summary))
        else:
            messages.info(request, _("There was no consent to withdraw."))
        return redirect("accounts:account")
    if not has_standing_consent(request.user, kind):
        messages.info(request, _("You have not given consent to the processing of health data."))
        return redirect("accounts:account")
    return TemplateResponse(
        request,
        "accounts/health_data_withdraw.html",
        {"impact": consent_withdrawal_impact(request.user), "text": consent.CURRENT[kind]},
    )


def _withdrawal_message(summary):
    parts = [_("Your consent to the processing of health information is withdrawn.")]
    if summary.withdrawn_from_review:
        parts.append(
            _("Withdrawn from review: %(items)s.")
            % {"items": _count(summary.withdrawn_from_review)}
        )
    if summary.unpublished:
        parts.append(_("Unpublished: %(items)s.") % {"items": _count(summary.unpublished)})
    parts.append(_("You cannot submit anything new until you give your consent again."))
    return " ".join(parts)


def _count(items):
    return ngettext("%(count)d item", "%(count)d items", len(items)) % {"count": len(items)}


@require_GET
def consent_text(request, kind):
    """A text members agree to, at its current version; public, like any policy page."""
    text = consent.CURRENT[kind]
    return TemplateResponse(
        request,
        "accounts/consent_text.html",
        {"text": text, "signup_url": reverse("account_signup")},
    )


# --- Welcome: three short steps after confirming the address -------------------
# Every step can be skipped (a plain link to the next one) and saved on its own;
# a GET never changes anything. Members come back from the account page.


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def welcome(request):
    """Step 1: conditions of interest and topics to follow."""
    interests = welcome_interests(user=request.user)
    tags = readable_tags(user=request.user)
    if request.method == "POST":
        form = WelcomeInterestsForm(request.POST, interests=interests, readable_tags=tags)
        if form.is_valid():
            member_interests_save(
                user=request.user,
                conditions=form.cleaned_data["conditions"],
                topics=form.cleaned_data["topics"],
                shown_topics=interests.followed_topics,
            )
            messages.success(request, _("Saved your conditions and topics."))
            return redirect("accounts:welcome_visibility")
    else:
        form = WelcomeInterestsForm(interests=interests, readable_tags=tags)
    return TemplateResponse(
        request,
        "accounts/welcome.html",
        {"form": form, "interests": interests, "step": 1},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def welcome_visibility_view(request):
    """Step 2: who may see the profile."""
    if request.method == "POST":
        form = WelcomeVisibilityForm(request.POST)
        if form.is_valid():
            profile_visibility_set(user=request.user, visibility=form.cleaned_data["visibility"])
            messages.success(request, _("Saved who can see your profile."))
            return redirect("accounts:welcome_start")
    else:
        form = WelcomeVisibilityForm(initial={"visibility": welcome_visibility(user=request.user)})
    return TemplateResponse(
        request,
        "accounts/welcome_visibility.html",
        {"form": form, "step": 2},
        status=400 if form.is_bound else 200,
    )


@require_GET
@never_cache
@login_required
def welcome_start(request):
    """Step 3: write something, or go to the feed."""
    return TemplateResponse(
        request,
        "accounts/welcome_start.html",
        {"may_write": may_contribute(request.user), "step": 3},
    )
