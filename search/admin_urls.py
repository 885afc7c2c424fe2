from django.urls import path

from . import admin_views

app_name = "kindred_search_reports"

urlpatterns = [
    path("popular/", admin_views.PopularSearchesReportView.as_view(), name="popular"),
    path(
        "popular/results/",
        admin_views.PopularSearchesReportView.as_view(results_only=True),
        name="popular_results",
    ),
    path("no-results/", admin_views.SearchesWithoutResultsReportView.as_view(), name="zero"),
    path(
        "no-results/results/",
        admin_views.SearchesWithoutResultsReportView.as_view(results_only=True),
        name="zero_results",
    ),
]
