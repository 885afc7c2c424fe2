"""The Safety inbox in the admin (menu, views, permissions).

- **Safety › Inbox**: the cases (``safety.admin_viewsets``), for those who hold
  ``safety.view_safetycase`` (the Pharmacovigilance group; superusers). Other safety
  pages join the "Safety" menu through ``SAFETY_MENU_HOOK``.
- **Open a safety case**: a button in a page's header and in the page listing's "More"
  menu, for those who hold ``safety.open_case`` (Editors, Medical reviewers, the
  Pharmacovigilance group; superusers); the comment moderation queue links each comment
  to the same form (``templates/discussion/admin/queue_item.html``, by URL name).
- The log actions of working a case: changed, note added (opened and viewed are
  registered in ``safety.wagtail_hooks``).
"""

from django.urls import include, path
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.widgets import Button

from . import admin_urls
from .admin_views import open_case_url
from .admin_viewsets import SafetyMenu
from .selectors import OPEN_PERMISSION
from .services.cases import CASE_NOTE_ADDED, CASE_UPDATED

OPEN_LABEL = gettext_lazy("Open a safety case")


@hooks.register("register_admin_viewset")
def register_safety_menu():
    return SafetyMenu()


@hooks.register("register_admin_urls")
def register_safety_admin_urls():
    return [path("safety/", include(admin_urls, namespace="kindred_safety"))]


@hooks.register("register_log_actions")
def register_case_work_log_actions(actions):
    actions.register_action(
        CASE_UPDATED, gettext_lazy("Safety case changed"), gettext_lazy("Safety case changed")
    )
    actions.register_action(
        CASE_NOTE_ADDED, gettext_lazy("Safety case note added"), gettext_lazy("Note added")
    )


def _open_button(page, user, priority: int, next_url=None):
    if page.is_root() or not user.has_perm(OPEN_PERMISSION):
        return None
    return Button(
        OPEN_LABEL,
        open_case_url(page_id=page.pk, next_url=next_url or ""),
        icon_name="warning",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_open_case_button(page, user, next_url=None):
    button = _open_button(page, user, priority=60, next_url=next_url)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def page_header_open_case_button(page, user, view_name=None, next_url=None):
    button = _open_button(page, user, priority=68, next_url=next_url)
    if button is not None:
        yield button
