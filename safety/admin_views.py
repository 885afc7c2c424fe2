"""The Safety inbox's own admin pages, beside Wagtail's list, edit and history views.

- **Print** (``safety_cases:print``): the case as a printable form, laid out like a
  CIOMS-I form; **CSV** (``safety_cases:csv``): the case as one row with the fields a
  safety database takes, formulas neutralised (``core.spreadsheets``). Both are
  views of the case and logged so, like its page.
- **Note** (``safety_cases:note_add``, POST): a note, added and never edited.
- **Open a case by hand** (``kindred_safety:open_page`` and ``kindred_safety:open_comment``):
  for anyone holding ``safety.open_case`` (Editors, Medical reviewers, the
  Pharmacovigilance group, superusers), from a page they may see in the admin
  (``moderation.admin_privacy``) or a comment in the moderation queue (they moderate
  comments). Any other id answers as a missing one does (404). The opener is told
  that the Pharmacovigilance group will see the case: unless they hold the view
  permission, they will not.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.models import Page

from django_comments_xtd.models import XtdComment

from core.emails import site_url
from core.spreadsheets import spreadsheet_safe
from moderation.admin_privacy import admin_not_found, admin_visible_pages

from . import deadlines
from .admin_forms import NoteForm, OpenCaseForm
from .models import SafetyCase
from .selectors import (
    CHANGE_PERMISSION,
    MAX_CASE_ID,
    OPEN_PERMISSION,
    VIEW_PERMISSION,
    case_for_staff,
    case_notes,
    highlighted_excerpt,
    overdue_days,
)
from .services.cases import CaseRefused, case_note_add, case_open_by_hand, case_viewed
from .text import page_text

# Who moderates comments (discussion's permission; named, not imported: discussion sits
# above safety in the layers).
MODERATE_COMMENTS = "discussion.moderate_comments"
OPENED_MESSAGE = gettext_noop("Case opened; the Pharmacovigilance group will see it.")
NOT_YOURS_MESSAGE = gettext_noop("Only that group and administrators see cases.")
# Bound on the text a page offers as the excerpt (the excerpt holds 4,000 characters).
PREFILL_MAX_CHARS = SafetyCase._meta.get_field("excerpt").max_length

CSV_FIELDS = [
    ("reference", "Case reference"),
    ("day_zero", "Day zero (date received)"),
    ("report_due", "Report due"),
    ("seriousness", "Seriousness"),
    ("patient", "Patient"),
    ("reporter", "Reporter"),
    ("reporter_contact", "Reporter contact"),
    ("medicine", "Suspect medicine"),
    ("event", "Adverse event"),
    ("narrative", "Narrative (excerpt)"),
    ("source_url", "Source URL"),
    ("origin", "Origin"),
    ("status", "Status"),
    ("reason", "Reason not reportable"),
    ("lexicon_version", "Lexicon version"),
]


# --- Links to open a case by hand -------------------------------------------------------


def open_case_url(
    *, page_id: int | None = None, comment_id: int | None = None, next_url: str = ""
) -> str:
    """The address of the form that opens a case by hand from a page or a comment; the
    form goes back to ``next_url`` (a page of the admin) when done."""
    if comment_id is not None:
        url = reverse("kindred_safety:open_comment", args=(comment_id,))
    else:
        url = reverse("kindred_safety:open_page", args=(page_id,))
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# --- A case's sources and facts ---------------------------------------------------------


def _source(request: HttpRequest, case: SafetyCase) -> dict:
    """Where the case came from, as the inbox links it: the page in the admin and on the
    site (when live), the comment at its place on the page."""
    page = case.page
    if page is None and case.comment_id is not None and case.comment is not None:
        page = Page.objects.filter(pk=_int_or_zero(case.comment.object_pk)).first()
    source = {
        "kind": "comment" if case.comment_id else ("item" if case.page_id else "report"),
        "title": page.title if page is not None else "",
        "admin_url": "",
        "live_url": "",
        "missing": (case.page_id is None and case.comment_id is None)
        and case.origin != SafetyCase.Origin.REPORTED,
    }
    if page is not None:
        source["admin_url"] = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        if page.live:
            url = page.get_url(request=request) or ""
            if url and case.comment_id:
                url = f"{url}#c{case.comment_id}"
            source["live_url"] = url
    # For the printed form and the CSV row, which leave the site: on its public address.
    url = source["live_url"] or source["admin_url"]
    source["absolute_url"] = site_url(url) if url.startswith("/") else url
    return source


def _int_or_zero(value) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return 0
    return number if 0 < number <= MAX_CASE_ID else 0


def case_facts(request: HttpRequest, case: SafetyCase) -> dict:
    """What the case page, the printable form and the CSV row show about ``case``."""
    today = timezone.localdate()
    return {
        "case": case,
        "excerpt_html": highlighted_excerpt(case.excerpt, case.matches),
        "source": _source(request, case),
        "day_zero": deadlines.day_zero(case.opened_at),
        "overdue_days": overdue_days(case, today=today),
        "triage_overdue": case.status == SafetyCase.Status.NEW and today > case.triage_due,
        "report_overdue": case.status in (SafetyCase.Status.NEW, SafetyCase.Status.TRIAGED)
        and today > case.report_due,
        "report_days": deadlines.SERIOUS_REPORT_DAYS
        if case.serious
        else deadlines.NON_SERIOUS_REPORT_DAYS,
        "today": today,
        # Mid-sentence on the case's page: lower-cased in English, as written in German.
        "origin_label": case.get_origin_display().lower()
        if get_language().startswith("en")
        else case.get_origin_display(),
    }


def _case_or_404(request: HttpRequest, pk: int) -> SafetyCase:
    case = case_for_staff(case_id=pk)
    if case is None:
        raise Http404("No such case")
    return case


# --- Print and CSV ----------------------------------------------------------------------


@require_GET
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The case as a printable form (CIOMS-I-like), logged as a view."""
    if not request.user.has_perm(VIEW_PERMISSION):
        return permission_denied(request)
    case = _case_or_404(request, pk)
    case_viewed(case=case, user=request.user, on="print")
    response = TemplateResponse(
        request,
        "safety/admin/case_print.html",
        {**case_facts(request, case), "notes": case_notes(case), "printed_at": timezone.now()},
    )
    response["Cache-Control"] = "private, no-store"
    return response


def case_csv_row(request: HttpRequest, case: SafetyCase) -> dict:
    """The case's row for a safety database, every text cell safe for a spreadsheet."""
    facts = case_facts(request, case)
    source = facts["source"]
    source_url = source["absolute_url"]
    row = {
        "reference": case.reference,
        "day_zero": facts["day_zero"].isoformat(),
        "report_due": case.report_due.isoformat(),
        "seriousness": "serious" if case.serious else "non-serious",
        "patient": case.patient,
        "reporter": case.reporter,
        "reporter_contact": case.reporter_contact,
        "medicine": case.medicine,
        "event": case.event,
        "narrative": case.excerpt,
        "source_url": source_url,
        "origin": case.get_origin_display(),
        "status": case.get_status_display(),
        "reason": case.not_reportable_reason,
        "lexicon_version": case.lexicon_version,
    }
    return {name: spreadsheet_safe(value) for name, value in row.items()}


@require_GET
def case_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The case as one CSV row with a heading row, logged as a view."""
    if not request.user.has_perm(VIEW_PERMISSION):
        return permission_denied(request)
    case = _case_or_404(request, pk)
    row = case_csv_row(request, case)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for _name, heading in CSV_FIELDS])
    writer.writerow([row[name] for name, _heading in CSV_FIELDS])
    case_viewed(case=case, user=request.user, on="csv")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Notes ------------------------------------------------------------------------------


@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note to a case, then back to its page."""
    if not (request.user.has_perm(VIEW_PERMISSION) and request.user.has_perm(CHANGE_PERMISSION)):
        return permission_denied(request)
    case = _case_or_404(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            case_note_add(case=case, user=request.user, text=form.cleaned_data["text"])
        except CaseRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Note added."))
    else:
        messages.error(request, " ".join(form.errors.get("text", [_("The note was not added.")])))
    return redirect(reverse("safety_cases:edit", args=(case.pk,)) + "#notes")


# --- Opening a case by hand -------------------------------------------------------------


def _page_text(page: Page) -> str:
    """A page's newest version as plain text, for the excerpt: title, summary, body."""
    latest = page.get_latest_revision_as_object() if page.latest_revision_id else page
    return page_text(latest)[:PREFILL_MAX_CHARS]


def _next_url(request: HttpRequest) -> str:
    """Where the form was opened from (``?next=``), when it is a page of this admin."""
    url = request.GET.get("next", "")
    if url.startswith("/admin/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _page_back(request: HttpRequest, page: Page) -> str:
    if page.permissions_for_user(request.user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=(page.pk,))
    return reverse("wagtailadmin_home")


def _page_author(page: Page):
    return getattr(page, "author", None) or page.owner


def _open(request: HttpRequest, *, page=None, comment=None, author=None, prefill: str, back: str):
    form = OpenCaseForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        form = OpenCaseForm(initial={"excerpt": prefill})
    elif form.is_valid():
        try:
            case_open_by_hand(
                opened_by=request.user,
                page=page,
                comment=comment,
                author=author,
                **form.cleaned_data,
            )
        except CaseRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            # Back where they came from (a reload there opens nothing twice), told so.
            message = _(OPENED_MESSAGE)
            if not request.user.has_perm(VIEW_PERMISSION):
                message += " " + _(NOT_YOURS_MESSAGE)
            messages.success(request, message)
            return redirect(back)
    what = "comment" if comment is not None else "item"
    title = page.title if page is not None else ""
    if comment is not None:
        on_page = Page.objects.filter(pk=_int_or_zero(comment.object_pk)).first()
        title = on_page.title if on_page is not None else ""
    return TemplateResponse(
        request,
        "safety/admin/case_open.html",
        {
            "page_title": _("Open a safety case"),
            "header_icon": "warning",
            "form": form,
            "what": what,
            "title": title,
            "back": back,
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@require_http_methods(["GET", "POST"])
def open_from_page(request: HttpRequest, page_id: int) -> HttpResponse:
    """Open a case by hand from a page ``page_id`` the user may see in the admin."""
    if not request.user.has_perm(OPEN_PERMISSION):
        return permission_denied(request)
    page = None
    if 0 < page_id <= MAX_CASE_ID:
        page = admin_visible_pages(user=request.user).filter(pk=page_id).first()
    if page is None:
        return admin_not_found(request)
    page = page.specific
    return _open(
        request,
        page=page,
        author=_page_author(page),
        prefill=_page_text(page) if request.method == "GET" else "",
        back=_next_url(request) or _page_back(request, page),
    )


@require_http_methods(["GET", "POST"])
def open_from_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Open a case by hand from comment ``comment_id``, for those who moderate comments."""
    if not request.user.has_perm(OPEN_PERMISSION):
        return permission_denied(request)
    comment = None
    if 0 < comment_id <= MAX_CASE_ID and request.user.has_perm(MODERATE_COMMENTS):
        comment = XtdComment.objects.select_related("user").filter(pk=comment_id).first()
    if comment is None:
        return admin_not_found(request)
    return _open(
        request,
        comment=comment,
        author=comment.user,
        prefill=(comment.comment or "")[:PREFILL_MAX_CHARS],
        back=reverse("discussion_admin:queue") + f"#queue-c{comment.pk}",
    )
