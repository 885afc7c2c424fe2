from django.urls import path

from audit import admin_views

app_name = "kindred_audit"

urlpatterns = [
    path("", admin_views.AccessLogReportView.as_view(), name="access"),
    path(
        "results/",
        admin_views.AccessLogReportView.as_view(results_only=True),
        name="access_results",
    ),
]
