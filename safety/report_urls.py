""" "Report a side effect": the page and its form."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("report/", report_views.report, name="report"),
    path("report/sent/", report_views.report_sent, name="report_sent"),
]
