"""The export's admin page, under /admin/compliance/exports/ (namespace ``compliance_admin``)."""

from django.urls import path

from compliance import export_views

app_name = "compliance_admin"

urlpatterns = [path("", export_views.staff_export_view, name="export")]
