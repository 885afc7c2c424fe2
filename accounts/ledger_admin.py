"""Reports › Consent ledger: every grant and withdrawal, for the data-protection officer.

The Wagtail admin report lists the whole ledger (``accounts.ConsentEvent``),
newest first, filtered by kind, action, channel and a range of days, with CSV
and XLSX downloads of what the filters select (Wagtail's
``SpreadsheetExportMixin``, whose CSV writer neutralises formulas,
``core.spreadsheets``; its XLSX writer stores text as text).

Who sees it: holders of ``accounts.export_consentevent`` (``core.roles``: the
Data protection group) and superusers; anyone else is refused as Wagtail
refuses (the admin's "permission denied"). What it shows of a person: their
user id and username, enough to find them in the Users admin and nothing
more (members' usernames are random, ``accounts.services``); never an email,
a display name or health text. ``scope`` names a community or an item by id.
An account since deleted keeps its entries under its id, with no username.

Filters that do not parse (a date that is not one, a kind that does not
exist) are said so above the list, which then shows nothing rather than
everything; a download with such filters is refused (400) with the same words.
"""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils.translation import gettext_lazy

from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from accounts.models import ConsentEvent
from core.reports import StrictFiltersMixin

EXPORT_PERMISSION = "accounts.export_consentevent"
DELETED_ACCOUNT = gettext_lazy("(account deleted)")

app_name = "kindred_consent_ledger"


class ConsentLedgerFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Consent"),
        choices=ConsentEvent.Kind.choices,
        empty_label=gettext_lazy("All consents"),
    )
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Given or withdrawn"),
        choices=ConsentEvent.Action.choices,
        empty_label=gettext_lazy("Both"),
    )
    channel = django_filters.ChoiceFilter(
        label=gettext_lazy("Where"),
        choices=ConsentEvent.Channel.choices,
        empty_label=gettext_lazy("Everywhere"),
    )
    at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Days"),
        widget=DateRangePickerWidget,
        help_text=gettext_lazy("From the first day to the last, UTC."),
    )

    class Meta:
        model = ConsentEvent
        fields = ["kind", "action", "channel", "at"]


class ConsentLedgerReportView(StrictFiltersMixin, ReportView):
    """The ledger, newest first: when, who (id, username), what, version, scope, where."""

    page_title = gettext_lazy("Consent ledger")
    header_icon = "tasks"
    verbose_name = gettext_lazy("entry")
    verbose_name_plural = gettext_lazy("entries")
    index_url_name = "kindred_consent_ledger:index"
    index_results_url_name = "kindred_consent_ledger:results"
    filterset_class = ConsentLedgerFilterSet
    export_filename = "consent-ledger"
    columns = [
        DateColumn("at", label=gettext_lazy("When")),
        Column("user_id", label=gettext_lazy("User id")),
        Column("username", label=gettext_lazy("Username")),
        Column("kind", label=gettext_lazy("Consent"), accessor="get_kind_display"),
        Column("action", label=gettext_lazy("Given or withdrawn"), accessor="get_action_display"),
        Column("version", label=gettext_lazy("Version")),
        Column("scope", label=gettext_lazy("Scope")),
        Column("channel", label=gettext_lazy("Where"), accessor="get_channel_display"),
    ]
    list_export = [
        "pk",
        "at",
        "user_id",
        "username",
        "kind",
        "action",
        "version",
        "scope",
        "channel",
    ]
    export_headings = {
        "pk": gettext_lazy("Entry"),
        "at": gettext_lazy("When (UTC)"),
        "user_id": gettext_lazy("User id"),
        "username": gettext_lazy("Username"),
        "kind": gettext_lazy("Consent"),
        "action": gettext_lazy("Action"),
        "version": gettext_lazy("Version"),
        "scope": gettext_lazy("Scope"),
        "channel": gettext_lazy("Channel"),
    }

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.has_perm(EXPORT_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ConsentEvent]:
        # The username by subquery, not a join: an entry whose account was deleted
        # has no user row (no constraint, by design) and must still be listed.
        usernames = get_user_model().objects.filter(pk=OuterRef("user_id")).values("username")
        return ConsentEvent.objects.annotate(username=Subquery(usernames[:1])).order_by(
            "-at", "-pk"
        )

    def to_row_dict(self, item: ConsentEvent) -> dict:
        row = super().to_row_dict(item)
        # Codes, not labels, in the download: they are what the ledger stores.
        row["username"] = item.username or str(DELETED_ACCOUNT)
        return row


urlpatterns = [
    path("", ConsentLedgerReportView.as_view(), name="index"),
    path("results/", ConsentLedgerReportView.as_view(results_only=True), name="results"),
]
