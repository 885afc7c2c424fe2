"""The export pages' addresses (included by compliance.urls)."""

from django.urls import path

from compliance import export_views

urlpatterns = [
    path("me/data/export/", export_views.export_request_view, name="export_request"),
    path(
        "me/data/download/<str:token>/",
        export_views.export_download_view,
        name="export_download",
    ),
]
