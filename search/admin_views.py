"""Wagtail admin reports on what readers search for, for Editors.

Wagtail's own "Search terms" report is for superusers only; Kindred's editors
(``kindred_search.view_search_reports``, see core/roles.py) get the popular
searches and the searches that found nothing. Neither shows who searched:
nobody's identity is stored with a query.
"""

from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from django_filters import DateFromToRangeFilter

REPORTS_PERMISSION = "kindred_search.view_search_reports"


class EditorReportMixin:
    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.has_perm(REPORTS_PERMISSION):
            return permission_denied(request)
        # Skip Wagtail's superuser-only check (SearchTermsReportView.dispatch).
        return ReportView.dispatch(self, request, *args, **kwargs)


class PopularSearchesReportView(EditorReportMixin, SearchTermsReportView):
    """Every logged query by number of searches (Wagtail's query hits)."""

    page_title = _("Popular searches")
    index_url_name = "kindred_search_reports:popular"
    index_results_url_name = "kindred_search_reports:popular_results"
    columns = [
        Column("query_string", label=_("Search"), sort_key="query_string"),
        NumberColumn("_hits", label=_("Searches"), sort_key="_hits"),
    ]


class ZeroResultFilterSet(WagtailFilterSet):
    date = DateFromToRangeFilter(
        label=_("Date"), field_name="zero_result_days__date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Query
        fields = []


class SearchesWithoutResultsReportView(EditorReportMixin, ReportView):
    """Queries that found nothing a reader could read, most frequent first."""

    page_title = _("Searches without results")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    filterset_class = ZeroResultFilterSet
    default_ordering = "-_hits"
    index_url_name = "kindred_search_reports:zero"
    index_results_url_name = "kindred_search_reports:zero_results"
    columns = [
        Column("query_string", label=_("Search"), sort_key="query_string"),
        NumberColumn("_hits", label=_("Searches without results"), sort_key="_hits"),
    ]
    export_headings = {"query_string": _("Search"), "_hits": _("Searches without results")}
    list_export = ["query_string", "_hits"]

    def get_filterset_kwargs(self) -> dict[str, object]:
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = self.get_base_queryset()
        return kwargs

    def get_base_queryset(self) -> QuerySet[Query]:
        return (
            Query.objects.filter(zero_result_days__isnull=False)
            .annotate(_hits=Sum("zero_result_days__hits"))
            .distinct()
            .order_by("-_hits")
        )
