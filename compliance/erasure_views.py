"""Delete my account: what will happen, the password and the choice; then signed out."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from django_ratelimit.core import is_ratelimited

from compliance.erasure import WAIT
from compliance.erasure_forms import ErasureRequestForm
from compliance.services.erasure import ErasureAlreadyRequested, erasure_request_create
from core.models import ContentPage

# Password tries on this page, per account: the member is signed in, but a session left
# open on a shared computer must not become a way to guess their password.
THROTTLE_RATE = "5/h"


def _throttled(request) -> bool:
    """Count this post against the account's allowance; True once it is spent."""
    return is_ratelimited(
        request,
        group="compliance.erasure",
        key=lambda group, request: str(request.user.pk),
        rate=THROTTLE_RATE,
        increment=True,
    )


def _items(user) -> dict:
    """How many of the member's items are published and how many are not: one query."""
    return ContentPage.objects.filter(author=user).aggregate(
        published=Count("pk", filter=Q(live=True)), unpublished=Count("pk", filter=Q(live=False))
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def erasure_request(request):
    """GET: what deleting the account does. POST: the password and the choice; then signed out."""
    throttled = request.method == "POST" and _throttled(request)
    form = ErasureRequestForm(
        request.POST if request.method == "POST" and not throttled else None, user=request.user
    )
    if request.method == "POST" and not throttled and form.is_valid():
        try:
            erasure = erasure_request_create(
                user=request.user, published_items=form.cleaned_data["published_items"]
            )
        except ErasureAlreadyRequested as already:
            erasure = already.request
        # Every other browser was signed out by the service; this one now.
        logout(request)
        return TemplateResponse(request, "compliance/erasure_requested.html", {"erasure": erasure})
    status = 429 if throttled else 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "compliance/erasure.html",
        {
            "form": form,
            "items": _items(request.user),
            "wait_days": WAIT.days,
            "throttled": throttled,
        },
        status=status,
    )
