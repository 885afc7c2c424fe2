"""The audit trail's addresses in the admin (included by ``audit.trail_hooks``)."""

from django.urls import path

from audit.trail import AuditTrailView

app_name = "kindred_audit_trail"

urlpatterns = [
    path("", AuditTrailView.as_view(), name="index"),
    path("results/", AuditTrailView.as_view(results_only=True), name="results"),
]
