"""Reviewers in the Wagtail admin: the review queue, its menu item and dashboard panel,
and a confirmation after every review decision (see ``moderation.admin_views``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import RecentEditsPanel, WorkflowObjectsToModeratePanel
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from moderation import admin_pages, admin_privacy, admin_urls, admin_views, selectors

# Least privilege in the admin (moderation.admin_privacy): registered first, before
# anything asks Wagtail's registry for the page policy.
register_permission_policy(Page, admin_privacy.VisiblePagePermissionPolicy(Page))

# The dashboard shows the longest-waiting few; the queue page shows them all.
PANEL_ITEMS = 10


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_reviewer(user=request.user)


class ReviewQueuePanel(Component):
    """The dashboard's "Awaiting your review", from the same selector as the queue page.

    Replaces Wagtail's panel, which showed no content type, named authors by
    username and listed the newest first.
    """

    name = WorkflowObjectsToModeratePanel.name
    order = WorkflowObjectsToModeratePanel.order
    template_name = "moderation/admin/review_panel.html"

    class Media:
        css = {"all": ["css/review_queue.css"]}

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        summary = selectors.review_queue_summary(user=request.user)
        return {
            "request": request,
            "csrf_token": parent_context["csrf_token"],
            "waiting": summary.waiting if summary else 0,
            "items": (
                selectors.review_queue_items(user=request.user, limit=PANEL_ITEMS)
                if summary and summary.waiting
                else []
            ),
        }


class VisibleRecentEditsPanel(RecentEditsPanel):
    """Wagtail's "Your most recent edits", without pages the user may no longer see.

    A page an editor once corrected may since carry its author's unsubmitted
    draft, whose title Wagtail's panel would show (``moderation.admin_privacy``).
    """

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        ids = [page.pk for _when, page in context["last_edits"]]
        visible = set(
            admin_privacy.admin_visible_pages(user=user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        context["last_edits"] = [
            (when, page) for when, page in context["last_edits"] if page.pk in visible
        ]
        return context


@hooks.register("register_admin_viewset")
def replace_base_page_viewset():
    # After Wagtail's own (registered with order -1): the last one registered
    # for ``Page`` is the one the page views use.
    return admin_pages.KindredPageViewSet()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("review-queue/", include(admin_urls, namespace="kindred_review"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ReviewQueueMenuItem(
        gettext_lazy("Review queue"),
        reverse("kindred_review:queue"),
        name="review-queue",
        icon_name="tasks",
        order=150,
    )


@hooks.register("construct_homepage_panels")
def replace_review_panel(request, panels):
    panels[:] = [
        ReviewQueuePanel() if isinstance(panel, WorkflowObjectsToModeratePanel) else panel
        for panel in panels
    ]


hooks.register("before_edit_page", admin_views.capture_task_state)
hooks.register("after_edit_page", admin_views.confirm_editor_decision)


@hooks.register("construct_page_chooser_queryset")
def chooser_lists_only_visible_pages(pages, request):
    """The page chooser (browse and search) offers only ``admin_visible_pages``."""
    if not admin_privacy.is_restricted(request.user):
        return pages
    return pages.filter(pk__in=admin_privacy.admin_visible_pages(user=request.user).values("pk"))


@hooks.register("construct_homepage_panels")
def recent_edits_only_of_visible_pages(request, panels):
    if admin_privacy.is_restricted(request.user):
        panels[:] = [
            VisibleRecentEditsPanel() if isinstance(panel, RecentEditsPanel) else panel
            for panel in panels
        ]


@hooks.register("construct_reports_menu")
def hide_page_reports(request, menu_items):
    """Wagtail's page reports are for superusers (their URLs answer "not found" to others)."""
    if admin_privacy.is_restricted(request.user):
        menu_items[:] = [
            item for item in menu_items if item.name not in admin_privacy.PAGE_REPORT_MENU_NAMES
        ]


# Reports › Email delivery (issue 10, finding 7): its hooks live with the view.
from core import mail_admin  # noqa: E402, F401
