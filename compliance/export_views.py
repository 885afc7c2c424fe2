"""The views of "Download my data": the member's request (from the account page), the page the
emailed link opens and the download itself, and the staff's admin page that prepares
a member's export (a subject-access request by post).

Every change is a POST (CSRF-checked by Django's middleware). Opening the link
(GET) changes nothing: mail scanners follow links, and must not use the single
download up. Every page is member-only: ``never_cache`` (private, no-store).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.admin import messages as admin_messages
from wagtail.admin.auth import permission_denied

from compliance.services.exports import (
    DAILY_LIMIT,
    ExportThrottled,
    LinkRefused,
    download_filename,
    export_claim_download,
    export_for_link,
    export_request,
)
from core.dates import local_date
from core.mail import primary_email

# Who may prepare a member's export from the admin, besides superusers: the
# data-protection officer (the "Data protection" group holds this permission).
STAFF_PERMISSION = "audit.export_accessrecord"
ACCOUNT_ANCHOR = "#download-my-data"


def _when(moment) -> str:
    return _("%(moment)s (UTC)") % {"moment": local_date(moment, "day_at_time")}


@require_POST
@never_cache
@login_required
def export_request_view(request: HttpRequest) -> HttpResponse:
    """Start an export of the signed-in member's data; back to the account page, told."""
    back = reverse("accounts:account") + ACCOUNT_ANCHOR
    try:
        outcome = export_request(user=request.user)
    except ExportThrottled as refusal:
        messages.error(
            request,
            ngettext(
                "You have asked for a copy of your data %(limit)s time in the last 24 hours. "
                "You can ask again after %(when)s.",
                "You have asked for a copy of your data %(limit)s times in the last 24 hours. "
                "You can ask again after %(when)s.",
                DAILY_LIMIT,
            )
            % {"limit": DAILY_LIMIT, "when": _when(refusal.retry_after)},
        )
        return redirect(back)
    if outcome.created:
        messages.success(
            request,
            _(
                "We are preparing a copy of your data. When it is ready (usually within a few "
                "minutes) we will email you a link; it works once, for 24 hours, while you are "
                "signed in."
            ),
        )
    else:
        messages.info(
            request,
            _("A copy of your data is already being prepared. We will email you when it is ready."),
        )
    return redirect(back)


def _refused(request: HttpRequest, refusal: LinkRefused) -> HttpResponse:
    return TemplateResponse(
        request,
        "compliance/export_refused.html",
        {"reason": refusal.reason, "gone": refusal.gone},
        status=410 if refusal.gone else 404,
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def export_download_view(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: GET shows the download button, POST uses the link and streams
    the archive. Used, expired: 410; forged, unknown or another member's: 404."""
    try:
        export = export_for_link(token=token, user=request.user)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    if request.method == "GET":
        return TemplateResponse(request, "compliance/export_download.html", {"export": export})
    try:
        handle = export_claim_download(export=export, user=request.user)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_filename(export),
        content_type="application/zip",
    )
    return response


class StaffExportForm(forms.Form):
    member = forms.CharField(
        label=gettext_lazy("The member's email address or username"),
        max_length=254,
        help_text=gettext_lazy(
            "The copy is prepared from everything they have on Kindred and the link "
            "is emailed to the member's own address, never to you."
        ),
    )

    def clean_member(self):
        value = self.cleaned_data["member"].strip()
        member = (
            get_user_model()
            .objects.filter(Q(email__iexact=value) | Q(username=value))
            .filter(is_active=True)
            .first()
        )
        if member is None:
            raise forms.ValidationError(_("No active account has that email address or username."))
        return member


def may_prepare_for_others(user) -> bool:
    """Superusers and the data-protection officer prepare exports for members."""
    return user.is_active and (user.is_superuser or user.has_perm(STAFF_PERMISSION))


@require_http_methods(["GET", "POST"])
def staff_export_view(request: HttpRequest) -> HttpResponse:
    """The admin's "Prepare a member's data export": for a request that arrived by post.

    The access is recorded in the member's access log (what "export", purpose
    "support"), the staff member is named in the export's log, and the link goes
    to the member. The staff never sees the archive.
    """
    if not may_prepare_for_others(request.user):
        return permission_denied(request)
    # Prefilled from the button on the admin's user listing (?member=<username>).
    prefill = request.GET.get("member", "")[:254] if request.method == "GET" else ""
    form = StaffExportForm(request.POST or None, initial={"member": prefill})
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        outcome = export_request(user=member, requested_by=request.user)
        if outcome.created:
            admin_messages.success(
                request,
                _(
                    "The export is being prepared. The link will be emailed to the member's "
                    "own address (%(address)s); it works once, for 24 hours, when they are "
                    "signed in."
                )
                % {"address": primary_email(member) or _("none on file")},
            )
        else:
            admin_messages.info(request, _("An export for this member is already being prepared."))
        return redirect("compliance_admin:export")
    return TemplateResponse(
        request,
        "compliance/export_admin.html",
        {
            "page_title": _("Prepare a member's data export"),
            "header_icon": "download",
            "form": form,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
