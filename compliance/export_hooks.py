"""Wagtail hooks of the export (imported by compliance.wagtail_hooks): the section of the
account page, the admin page for staff, and the log actions."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from compliance import export_admin_urls
from compliance.export_views import may_prepare_for_others
from compliance.models import DataExport
from compliance.services.exports import (
    ACTION_DOWNLOAD,
    ACTION_EXPIRE,
    ACTION_FAIL,
    ACTION_READY,
    ACTION_REQUEST,
    DAILY_LIMIT,
    exports_recent,
)
from core.hooks import ACCOUNT_SECTIONS, AccountSection


@hooks.register(ACCOUNT_SECTIONS, order=20)
def download_my_data_section(*, request):
    """The "Download my data" section: the latest export's state and the button (one query)."""
    user = request.user
    if not user.is_authenticated:
        return None
    recent = exports_recent(user=user)
    latest = recent[0] if recent else None
    since = timezone.now() - timedelta(days=1)
    asked_today = sum(1 for export in recent if export.requested_at > since)
    return AccountSection(
        template="compliance/export_account_section.html",
        context={
            "latest": latest,
            "pending": latest is not None and latest.status == DataExport.Status.PENDING,
            "limit": DAILY_LIMIT,
            "limit_reached": asked_today >= DAILY_LIMIT,
        },
    )


@hooks.register("register_log_actions")
def register_export_log_actions(actions):
    actions.register_action(
        ACTION_REQUEST, gettext_lazy("Data export requested"), gettext_lazy("Data export requested")
    )
    actions.register_action(
        ACTION_READY, gettext_lazy("Data export ready"), gettext_lazy("Data export ready")
    )
    actions.register_action(
        ACTION_DOWNLOAD,
        gettext_lazy("Data export downloaded"),
        gettext_lazy("Data export downloaded"),
    )
    actions.register_action(
        ACTION_EXPIRE, gettext_lazy("Data export expired"), gettext_lazy("Data export expired")
    )
    actions.register_action(
        ACTION_FAIL, gettext_lazy("Data export failed"), gettext_lazy("Data export failed")
    )


@hooks.register("register_admin_urls")
def register_export_admin_urls():
    return [path("compliance/exports/", include(export_admin_urls, namespace="compliance_admin"))]


class StaffExportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_prepare_for_others(request.user)


@hooks.register("register_settings_menu_item")
def register_export_menu_item():
    return StaffExportMenuItem(
        gettext_lazy("Member data exports"),
        reverse("compliance_admin:export"),
        icon_name="download",
        order=900,
    )


@hooks.register("register_user_listing_buttons")
def user_listing_export_button(user, request_user):
    """The "Prepare data export" item in the "More" menu of each account in the admin's users
    listing, for those who may (it opens the staff page, filled in)."""
    if not may_prepare_for_others(request_user):
        return []
    url = reverse("compliance_admin:export") + "?" + urlencode({"member": user.get_username()})
    return [Button(gettext_lazy("Prepare data export"), url, icon_name="download", priority=90)]
