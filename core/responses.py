"""One way for a view to answer: JSON to the site's scripts, a page or a redirect to browsers.

The star widget and the comment forms post with ``fetch`` and ask for JSON;
without JavaScript the same forms post normally and expect a page. Each
helper here answers both, so every endpoint words its refusals, its sign-in
prompts and its successes the same way (see ``core.refusals``).
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from .refusals import Refused


def wants_json(request: HttpRequest) -> bool:
    """Whether the client asked for JSON (the site's scripts send ``Accept: application/json``)."""
    # Browsers send "*/*" too, so only an explicit preference for JSON counts.
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def login_url_for(next_url: str) -> str:
    """The sign-in page that comes back to ``next_url`` afterwards."""
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


def sign_in_required(request: HttpRequest, *, next_url: str, message: str) -> HttpResponse:
    """Send a visitor to sign in: 401 JSON ``{error, login_url}`` or a 303 redirect there.

    ``next_url`` is where signing in brings them back (the page the form was
    on, never the POST-only address that answered).
    """
    login_url = login_url_for(next_url)
    if wants_json(request):
        return JsonResponse({"error": str(message), "login_url": login_url}, status=401)
    return HttpResponseRedirect(login_url, status=303)


def not_found(request: HttpRequest, message: str, *, json: bool = False) -> HttpResponse:
    """404 as JSON ``{error}`` to scripts (or whenever ``json``), else the site's 404 page.

    Raises ``Http404`` for browsers so the page is the one every other 404 shows.
    """
    if json or wants_json(request):
        return JsonResponse({"error": str(message)}, status=404)
    raise Http404(str(message))


def refusal_response(
    request: HttpRequest,
    refusal: Refused,
    *,
    template: str,
    context: Mapping[str, Any] | None = None,
    json: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Answer ``refusal`` at its status: JSON ``{error, **json}`` or ``template``.

    The page gets ``message`` (the refusal's words) besides ``context``; a
    script gets the same words as ``error``, plus ``json``'s keys (for example
    the form's field errors or where to sign in).
    """
    if wants_json(request):
        return JsonResponse({"error": str(refusal.message), **(json or {})}, status=refusal.status)
    return TemplateResponse(
        request,
        template,
        {**(context or {}), "message": str(refusal.message)},
        status=refusal.status,
    )


def done(
    request: HttpRequest,
    *,
    message: str,
    redirect_to: str,
    data: Mapping[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Answer a success: JSON ``{**data, message}`` at ``status``, or a flash message and a
    303 redirect to ``redirect_to`` (so reloading the page does not post again)."""
    if wants_json(request):
        return JsonResponse({**(data or {}), "message": str(message)}, status=status)
    messages.success(request, str(message))
    return HttpResponseRedirect(redirect_to, status=303)
