"""Sharing in the Wagtail admin: the rules, the "why" view and the share log.

- **Sharing** (a menu of its own): Rules (``sharing.admin_viewsets``,
  snippets: Wagtail's audit log records every change with who and when), the
  site-wide default (``SharingSettings``, also under Settings) and "Why
  shared or not" (``sharing.admin_views.why``).
- **Reports › Shares**: the share log per week, network and item.
- A "Why shared or not" button in the page listing's "More" menu and the
  page's header, for the kinds of page that are ever shared.

Each item shows only to those holding its permission (``core.roles``:
Community managers; superusers); the views check the same permissions.
"""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from . import admin_urls
from .admin_views import DEFAULT_EDIT_PERMISSION, REPORT_PERMISSION, WHY_PERMISSION
from .admin_viewsets import SHARING_MENU_HOOK, SharingMenu
from .models import SHAREABLE_TYPES

WHY_LABEL = gettext_lazy("Why shared or not")

register_snippet(SharingMenu)


@hooks.register("register_admin_urls")
def register_sharing_admin_urls():
    return [path("sharing/", include(admin_urls, namespace="kindred_sharing"))]


class PermissionMenuItem(MenuItem):
    """A menu item shown to those holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register(SHARING_MENU_HOOK)
def register_sharing_default_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Site-wide default"),
        reverse("wagtailsettings:edit", args=("sharing", "sharingsettings")),
        name="sharing-default",
        icon_name="cogs",
        order=10,
        permission=DEFAULT_EDIT_PERMISSION,
    )


@hooks.register(SHARING_MENU_HOOK)
def register_sharing_why_menu_item():
    return PermissionMenuItem(
        WHY_LABEL,
        reverse("kindred_sharing:why_index"),
        name="sharing-why",
        icon_name="help",
        order=20,
        permission=WHY_PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_share_log_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Shares"),
        reverse("kindred_sharing:shares"),
        name="sharing-shares",
        icon_name="link",
        order=730,
        permission=REPORT_PERMISSION,
    )


@hooks.register("register_permissions")
def register_share_log_permission():
    return Permission.objects.filter(content_type__app_label="sharing", codename="view_share_log")


def _why_button(page, user, priority: int):
    # ``specific_class`` comes from the cached content type: no query per row.
    model = page.specific_class
    if model is None or model._meta.label_lower not in SHAREABLE_TYPES:
        return None
    if not user.has_perm(WHY_PERMISSION):
        return None
    return Button(
        WHY_LABEL,
        reverse("kindred_sharing:why", args=(page.pk,)),
        icon_name="link",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_why_button(page, user, next_url=None):
    button = _why_button(page, user, priority=55)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def page_header_why_button(page, user, view_name=None, next_url=None):
    button = _why_button(page, user, priority=67)
    if button is not None:
        yield button
