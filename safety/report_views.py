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
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from wagtail.models import Site

from django_ratelimit.core import is_ratelimited

from core.clients import client_key
from core.emails import site_url
from core.sanitize import one_line
from core.submissions import (
    Repeated,
    Submission,
    submission_claim,
    submission_done,
    submission_from,
)
from safety.declarations import safety_settings_for
from safety.models import SafetyCase
from safety.report_forms import SideEffectReportForm, excerpt_of, readable_item
from safety.services import case_open
from safety.staff_mail import pharmacovigilance_staff, staff_email_queue

THROTTLE_RATE = "10/h"
SENT_SESSION_KEY = "kindred_safety_report_sent"
EMAIL_TEMPLATE = "safety/emails/side_effect_report"
# The Safety inbox's page for one case (``safety.admin_viewsets``); were it ever renamed,
# the email would link to the admin's dashboard, where the inbox is in the menu.
CASE_ADMIN_URL_NAME = "safety_cases:edit"
EVENT_MAX_LENGTH = 120


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


def _case_admin_link(case: SafetyCase) -> str:
    try:
        path = reverse(CASE_ADMIN_URL_NAME, args=[case.pk])
    except NoReverseMatch:
        path = reverse("wagtailadmin_home")
    return site_url(path)


def report_send(*, user, cleaned: dict, submission: Submission | None) -> SafetyCase:
    """Open a case from a valid ``SideEffectReportForm`` and email the Pharmacovigilance
    group (the reference and a link, not the words), in one transaction.

    ``user`` is the reporter, or an anonymous user for a visitor. A member's second
    press of the same form opens nothing new: it raises ``Repeated`` with the first case.
    """
    member = user if user.is_authenticated else None
    with transaction.atomic():
        receipt = (
            submission_claim(user=member, submission=submission) if member is not None else None
        )
        case = case_open(
            origin=SafetyCase.Origin.REPORTED,
            excerpt=excerpt_of(cleaned),
            author=member,
            reporter=f"the member {member.public_name}" if member else "a visitor",
            reporter_contact=cleaned["contact"],
            medicine=cleaned["medicine"],
            # A first line for the inbox's list; the triager writes the event proper.
            event=one_line(cleaned["what_happened"], max_length=EVENT_MAX_LENGTH),
            serious=cleaned["serious"],
            page=cleaned["item"],
        )
        submission_done(receipt=receipt, created=case)
        staff_email_queue(
            users=pharmacovigilance_staff(),
            template=EMAIL_TEMPLATE,
            context={"case": case, "link": _case_admin_link(case)},
            key=f"safety.report:{case.pk}",
        )
    return case


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
