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
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import consent
from accounts.selectors import (
    consent_overview,
    consent_withdrawal_impact,
    has_standing_consent,
    primary_email,
)
from accounts.services import consent_give, consent_withdraw


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
        },
    )


@require_POST
@never_cache
@login_required
def consent_give_view(request, kind):
    """Agree (again) to the current version of one text."""
    if kind not in consent.CURRENT:
        raise Http404("No such consent.")
    consent_give(user=request.user, kind=kind)
    text = consent.CURRENT[kind]
    messages.success(request, f"Thank you. We recorded your agreement to ‘{text.title}’.")
    return redirect("accounts:account")


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def health_data_withdraw(request):
    """GET: what withdrawing would do, item by item. POST: withdraw and say what changed."""
    kind = consent.HEALTH_DATA
    if request.method == "POST":
        summary = consent_withdraw(user=request.user, kind=kind)
        if summary.withdrawn:
            messages.success(request, _withdrawal_message(summary))
        else:
            messages.info(request, "There was no consent to withdraw.")
        return redirect("accounts:account")
    if not has_standing_consent(request.user, kind):
        messages.info(request, "You have not given consent to the processing of health data.")
        return redirect("accounts:account")
    return TemplateResponse(
        request,
        "accounts/health_data_withdraw.html",
        {"impact": consent_withdrawal_impact(request.user), "text": consent.CURRENT[kind]},
    )


def _withdrawal_message(summary):
    parts = ["Your consent to the processing of health information is withdrawn."]
    if summary.withdrawn_from_review:
        parts.append(f"Withdrawn from review: {_count(summary.withdrawn_from_review)}.")
    if summary.unpublished:
        parts.append(f"Unpublished: {_count(summary.unpublished)}.")
    parts.append("You cannot submit anything new until you give your consent again.")
    return " ".join(parts)


def _count(items):
    return "1 item" if len(items) == 1 else f"{len(items)} items"


@require_GET
def consent_text(request, kind):
    """A text members agree to, at its current version; public, like any policy page."""
    text = consent.CURRENT[kind]
    return TemplateResponse(
        request,
        "accounts/consent_text.html",
        {"text": text, "signup_url": reverse("account_signup")},
    )
