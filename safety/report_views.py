""" "Report a side effect": anyone, signed in or not, tells the Pharmacovigilance group.

``GET /safety/report/`` explains the national scheme and shows the form
(``?item=<page id>`` links the item the reader came from, when they may read it);
``POST`` opens a case (``SafetyCase.Origin.REPORTED``), emails the group and
redirects to ``/safety/report/sent/`` with the case's reference. An invalid form
answers 400 with its errors (the house style), too many posts from one client 429.

The staff email holds the reference, the deadlines and a link to the case in the
admin, never the reporter's words or contact: email is copied to phones and mail
servers beyond our control, while the admin is where access is limited to the group
and every view of a case is logged (``CASE_VIEWED``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from wagtail.models import Site

from django_ratelimit.core import is_ratelimited

from core.clients import client_key
from core.submissions import Repeated, submission_from
from safety.declarations import safety_settings_for
from safety.models import SafetyCase
from safety.report_forms import SideEffectReportForm, readable_item
from safety.services import report_send

THROTTLE_RATE = "10/h"
SENT_SESSION_KEY = "kindred_safety_report_sent"


def _throttled(request: HttpRequest) -> bool:
    """Count this post against the client's allowance; True once it is spent."""
    return is_ratelimited(
        request,
        group="safety.report",
        key=lambda group, request: client_key(request, salt=group),
        rate=getattr(settings, "SAFETY_REPORT_THROTTLE_RATE", THROTTLE_RATE),
        increment=True,
    )


def _scheme(request: HttpRequest) -> dict:
    safety = safety_settings_for(Site.find_for_request(request))
    return {
        "scheme_name": safety.reporting_scheme_name,
        "scheme_url": safety.reporting_scheme_url,
    }


def _sent(request: HttpRequest, case: SafetyCase | None) -> HttpResponse:
    if case is not None:
        request.session[SENT_SESSION_KEY] = case.reference
    return HttpResponseRedirect(reverse("safety:report_sent"), status=303)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The page and its form (see the module's docstring)."""
    if request.method == "POST":
        if _throttled(request):
            return TemplateResponse(
                request, "safety/report_throttled.html", _scheme(request), status=429
            )
        form = SideEffectReportForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                case = report_send(
                    user=request.user,
                    cleaned=form.cleaned_data,
                    submission=submission_from(form, target="safety.report"),
                )
            except Repeated as repeat:
                case = repeat.created
            return _sent(request, case)
        item = form.cleaned_data.get("item")
    else:
        item = readable_item(user=request.user, raw=request.GET.get("item"))
        form = SideEffectReportForm(
            user=request.user, initial={"item": item.pk if item is not None else ""}
        )
    return TemplateResponse(
        request,
        "safety/report.html",
        {"form": form, "item": item, **_scheme(request)},
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_safe
def report_sent(request: HttpRequest) -> HttpResponse:
    """Thank you, with the reference of the case just opened (from this session)."""
    return TemplateResponse(
        request,
        "safety/report_sent.html",
        {"reference": request.session.get(SENT_SESSION_KEY, ""), **_scheme(request)},
    )
