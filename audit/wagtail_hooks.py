"""The access log's places in the admin and on the account page.

- Wagtail's page editor (and reverting to a revision, which is the editor):
  ``before_edit_page`` runs after Wagtail's ``can_edit`` check; the opening is
  recorded when the item is a member's draft or in review. The previews and
  revision views have no hook: ``audit.middleware`` records those.
- A member's account in the admin (``before_edit_user``), purpose support.
- Reports › Access log (``audit.admin_views``): for superusers and the Data
  protection group (``audit.export_accessrecord``).
- The account page's "Who saw your data" section (``core.hooks.ACCOUNT_SECTIONS``).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from audit import admin_urls
from audit.models import AccessPurpose, AccessWhat
from audit.selectors import is_staff, may_export, page_access_what
from audit.services import access_record
from core.hooks import ACCOUNT_SECTIONS, AccountSection


@hooks.register("before_edit_page")
def record_page_edit(request, page):
    """A staff member opened a member's draft or item in review in the editor."""
    what = page_access_what(page)
    if what is None or not is_staff(request.user):
        return None
    access_record(
        viewer=request.user,
        subject=page.author,
        what=what,
        purpose=AccessPurpose.REVIEW,
        object_ref=f"page:{page.pk}",
    )
    return None


@hooks.register("before_edit_user")
def record_user_edit(request, user):
    """A staff member opened a member's account in the admin (Settings › Users)."""
    if is_staff(request.user):
        access_record(
            viewer=request.user,
            subject=user,
            what=AccessWhat.ACCOUNT,
            purpose=AccessPurpose.SUPPORT,
            object_ref=f"user:{user.pk}",
        )
    return None


@hooks.register("register_admin_urls")
def register_access_log_urls():
    return [path("audit/access/", include(admin_urls, namespace="kindred_audit"))]


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request):
        return may_export(request.user)


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item():
    return AccessLogMenuItem(
        gettext_lazy("Access log"), reverse("kindred_audit:access"), icon_name="view", order=760
    )


@hooks.register(ACCOUNT_SECTIONS)
def access_account_section(*, request):
    """ "Who saw your data" on the account page: what it is, and the link.

    No count: the account page's query count stays where it was.
    """
    if not request.user.is_authenticated:
        return None
    return AccountSection(
        template="audit/account_section.html", context={"access_url": reverse("audit:mine")}
    )


# The audit trail and retention register their own hooks.
from audit import trail_hooks  # noqa: E402, F401
