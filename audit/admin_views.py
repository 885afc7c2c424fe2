"""Reports › Access log: every access record, filtered, with CSV and XLSX downloads.

For superusers and holders of ``audit.export_accessrecord`` (the Data protection
group); anyone else meets Wagtail's "permission denied". Unlike the member's
page, this names the staff account (the officer answers members' questions
about a line) and the member by id and username, with the same pseudonymous
reference the member sees, so a member's quoted line can be found.

Filters: member id, role, purpose, what, and a date range (days, inclusive).
A filter that cannot be applied (a date that is no date, a value not offered)
is never ignored silently: the listing shows no rows and the form says what is
wrong, and a download with such a filter goes back to the listing instead of
exporting everything.
"""

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from audit.models import AccessPurpose, AccessRecord, AccessWhat
from audit.selectors import ROLE_CHOICES, access_log, may_export, viewer_reference
from core.reports import StrictFiltersMixin

MAX_ID = 2**31 - 1


class MemberIdFilter(django_filters.NumberFilter):
    # A whole number the database's key can hold; django-filter's default is a decimal.
    field_class = forms.IntegerField


class AccessLogFilterSet(WagtailFilterSet):
    member = MemberIdFilter(
        label=gettext_lazy("Member id"),
        field_name="subject_id",
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": gettext_lazy("A member id is a whole number."),
            "min_value": gettext_lazy("A member id is a whole number from 1."),
            "max_value": gettext_lazy("No member has so large an id."),
        },
    )
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role"),
        field_name="viewer_role",
        choices=ROLE_CHOICES,
        empty_label=gettext_lazy("All roles"),
    )
    purpose = django_filters.ChoiceFilter(
        label=gettext_lazy("Purpose"),
        choices=AccessPurpose.choices,
        empty_label=gettext_lazy("All purposes"),
    )
    what = django_filters.ChoiceFilter(
        label=gettext_lazy("What"),
        choices=AccessWhat.choices,
        empty_label=gettext_lazy("Everything"),
    )
    # Days compared in the database, so no day's edge (year 1, year 9999) can
    # overflow a conversion between time zones.
    since = django_filters.DateFilter(
        label=gettext_lazy("From (day)"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=gettext_lazy("Until (day, included)"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AccessRecord
        fields = []


class AccessLogReportView(StrictFiltersMixin, ReportView):
    """Every opening of a member's non-public data by staff, newest first."""

    page_title = gettext_lazy("Access log")
    header_icon = "view"
    verbose_name = gettext_lazy("access")
    verbose_name_plural = gettext_lazy("accesses")
    index_url_name = "kindred_audit:access"
    index_results_url_name = "kindred_audit:access_results"
    filterset_class = AccessLogFilterSet
    export_filename = "access-log"
    columns = [
        DateColumn("at", label=gettext_lazy("When")),
        Column("subject_label", label=gettext_lazy("Member")),
        Column("viewer_label", label=gettext_lazy("Opened by")),
        Column("viewer_role", label=gettext_lazy("Role")),
        Column("what_label", label=gettext_lazy("What")),
        Column("purpose_label", label=gettext_lazy("Why")),
        Column("object_ref", label=gettext_lazy("Object")),
    ]
    list_export = [
        "at",
        "subject_id",
        "subject_label",
        "viewer_id",
        "viewer_label",
        "viewer_reference",
        "viewer_role",
        "what",
        "purpose",
        "object_ref",
    ]
    export_headings = {
        "at": gettext_lazy("When (UTC)"),
        "subject_id": gettext_lazy("Member id"),
        "subject_label": gettext_lazy("Member"),
        "viewer_id": gettext_lazy("Staff account id"),
        "viewer_label": gettext_lazy("Opened by"),
        "viewer_reference": gettext_lazy("Reference the member sees"),
        "viewer_role": gettext_lazy("Role"),
        "what": gettext_lazy("What"),
        "purpose": gettext_lazy("Why"),
        "object_ref": gettext_lazy("Object"),
    }

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not may_export(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AccessRecord]:
        return access_log()

    def decorate_paginated_queryset(self, object_list):
        object_list = list(object_list)
        for record in object_list:
            record.subject_label = _account_label(record.subject)
            record.viewer_label = _account_label(record.viewer)
            record.viewer_reference = viewer_reference(record.viewer_id)
            record.what_label = record.get_what_display()
            record.purpose_label = record.get_purpose_display()
        return object_list


def _account_label(user) -> str:
    if user is None:
        return _("A deleted account")
    return f"{user.get_username()} (#{user.pk})"
