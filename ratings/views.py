"""The rating endpoint: a form POST from the star widget, with or without JavaScript."""

import ipaddress
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from allauth.account.adapter import get_adapter
from django_ratelimit.core import is_ratelimited

from .forms import RatingForm
from .selectors import (
    BROWSER_COOKIE,
    BROWSER_COOKIE_MAX_AGE,
    BROWSER_COOKIE_SALT,
    anonymous_ratings_allowed,
    browser_id,
    login_url_for,
    rateable_page,
)
from .services import RatingRefused, anonymous_key_for, rating_upsert

# Attempts (valid or not) per window. Per member, per client address for
# everyone, and stricter per address for anonymous votes, since clearing the
# cookie is all it takes to vote again. Deployments (and tests) may override
# any of them with RATINGS_THROTTLE_RATES.
DEFAULT_THROTTLE_RATES = {"member": "10/m", "client": "30/m", "anonymous_client": "10/h"}
THROTTLED_MESSAGE = (
    "You have rated a lot in a short time, so we have paused ratings from here "
    "for a moment. Please try again in a few minutes."
)
NOT_FOUND_MESSAGE = "There is no published item to rate here."
SIGN_IN_MESSAGE = "Sign in to rate."


def _throttle_rates():
    return {**DEFAULT_THROTTLE_RATES, **getattr(settings, "RATINGS_THROTTLE_RATES", {})}


def _client_key(group, request):
    # The same notion of "client" as the sign-in throttles (allauth honours
    # TRUSTED_PROXY_COUNT). An IPv6 client usually holds a whole /64, so
    # count per /64 rather than per address.
    address = ipaddress.ip_address(get_adapter(request).get_client_ip(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _member_key(group, request):
    return str(request.user.pk)


def _throttled(request):
    """Count this attempt against every throttle that applies; True if any is exceeded."""
    rates = _throttle_rates()
    checks = [("ratings.client", _client_key, rates["client"])]
    if request.user.is_authenticated:
        checks.append(("ratings.member", _member_key, rates["member"]))
    else:
        checks.append(("ratings.anonymous", _client_key, rates["anonymous_client"]))
    # Evaluate every check (no short-circuit) so each counter sees the attempt.
    results = [
        is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
        for group, key, rate in checks
    ]
    return any(results)


def _wants_json(request):
    # Browsers send "*/*" too, so only an explicit preference for JSON counts.
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _refused(request, message, status, *, page=None):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return TemplateResponse(
        request, "ratings/refused.html", {"message": message, "rated_page": page}, status=status
    )


def _page_url(request, page):
    return page.get_url(request=request) or "/"


@require_POST
def rate(request, page_id):
    """Rate a readable content page 1–5 stars as the signed-in member (or anonymous browser).

    Answers JSON ``{average, count, your_score}`` to ``Accept: application/json``,
    otherwise redirects back to the page with a message.
    """
    if _throttled(request):
        return _refused(request, THROTTLED_MESSAGE, 429)
    page = rateable_page(user=request.user, page_id=page_id)
    if page is None:
        if _wants_json(request):
            return JsonResponse({"error": NOT_FOUND_MESSAGE}, status=404)
        raise Http404(NOT_FOUND_MESSAGE)

    user, raw_browser_id, anonymous_key = None, None, None
    if request.user.is_authenticated:
        user = request.user
    elif anonymous_ratings_allowed(request):
        # A tampered or unknown cookie is ignored and a new id issued: it
        # gains nothing that clearing cookies would not (both are throttled).
        raw_browser_id = browser_id(request) or secrets.token_urlsafe(32)
        anonymous_key = anonymous_key_for(raw_browser_id)
    else:
        login_url = login_url_for(_page_url(request, page))
        if _wants_json(request):
            return JsonResponse({"error": SIGN_IN_MESSAGE, "login_url": login_url}, status=401)
        return HttpResponseRedirect(login_url, status=303)

    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refused(request, form.message, 400, page=page)
    try:
        rating, summary = rating_upsert(
            page=page, score=form.cleaned_data["score"], user=user, anonymous_key=anonymous_key
        )
    except RatingRefused as refusal:
        return _refused(request, refusal.message, refusal.status, page=page)

    stars = "star" if rating.score == 1 else "stars"
    message = f"Thank you: your rating of {rating.score} {stars} is saved."
    if _wants_json(request):
        response = JsonResponse(
            {
                "average": float(summary.average),
                "count": summary.count,
                "your_score": rating.score,
                "message": message,
            }
        )
    else:
        messages.success(request, message)
        response = HttpResponseRedirect(_page_url(request, page), status=303)
    if raw_browser_id is not None:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            raw_browser_id,
            salt=BROWSER_COOKIE_SALT,
            max_age=BROWSER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
