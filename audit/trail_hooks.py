"""The audit trail's and retention's places in Wagtail (imported by ``audit.wagtail_hooks``).

- Reports › Audit trail (``audit.trail``), at ``/admin/reports/audit-trail/``, for
  superusers and holders of ``audit.view_audit_trail`` (the Data protection group).
- The log action of a retention run (``compliance.services.retention``), whose
  counts say what ``manage.py enforce_retention`` deleted.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from audit import trail_urls
from audit.trail import may_view_trail

# Written by compliance.services.retention; the string is the contract.
RETENTION_RUN = "kindred.retention.run"


@hooks.register("register_admin_urls")
def register_audit_trail_urls():
    return [path("reports/audit-trail/", include(trail_urls, namespace="kindred_audit_trail"))]


class AuditTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_trail(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_trail_menu_item():
    return AuditTrailMenuItem(
        gettext_lazy("Audit trail"),
        reverse("kindred_audit_trail:index"),
        icon_name="history",
        order=1010,
    )


@hooks.register("register_log_actions")
def register_retention_log_actions(actions):
    actions.register_action(
        RETENTION_RUN,
        gettext_lazy("Retention enforced"),
        gettext_lazy("Records past their retention period deleted"),
    )
