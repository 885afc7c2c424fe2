from django.urls import path

from . import admin_views

app_name = "kindred_sharing"

urlpatterns = [
    path("why/", admin_views.why_index, name="why_index"),
    # Only digits reach the view: anything else is the admin's "not found".
    path("why/<int:page_id>/", admin_views.why, name="why"),
    path("shares/", admin_views.ShareLogReportView.as_view(), name="shares"),
    path(
        "shares/results/",
        admin_views.ShareLogReportView.as_view(results_only=True),
        name="shares_results",
    ),
]
