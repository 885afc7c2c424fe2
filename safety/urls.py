"""The safety app's public addresses: "Report a side effect" and the personal-data hints."""

from django.urls import include, path

app_name = "safety"

urlpatterns = [
    path("", include("safety.report_urls")),
    path("", include("safety.hint_urls")),
]
