"""The comment moderation queue in the Wagtail admin, for Editors (and superusers),
and the discussion's parts of the core's pages and listings (core/hooks.py)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.hooks import CARD_STATS, CONTENT_PAGE_CONTEXT, LISTING_COLUMNS
from core.models import ContentPage
from social.models import NotificationKind
from social.notifications.kinds import NOTIFICATION_KINDS

from . import admin_urls, selectors
from .notifications import reply_entries
from .selectors import MODERATE_PERMISSION


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("comment-moderation/", include(admin_urls, namespace="discussion_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ModerationMenuItem(
        gettext_lazy("Comment queue"),
        reverse("discussion_admin:queue"),
        name="comment-moderation",
        icon_name="comment",
        order=250,
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # Written by discussion.services.comment_moderate; shown in the admin's history reports.
    actions.register_action(
        "discussion.comment.approve",
        gettext_lazy("Approve comment"),
        gettext_lazy("Comment approved"),
    )
    actions.register_action(
        "discussion.comment.hide", gettext_lazy("Hide comment"), gettext_lazy("Comment hidden")
    )
    actions.register_action(
        "discussion.comment.remove",
        gettext_lazy("Remove comment"),
        gettext_lazy("Comment removed"),
    )
    # Community moderators close reports without changing the comment (issue 12).
    actions.register_action(
        "discussion.comment.dismiss",
        gettext_lazy("Dismiss reports"),
        gettext_lazy("Reports on a comment dismissed"),
    )


# --- The discussion's parts of the core's pages and listings (issue 11: features plug in) ---
# The card's stats line shows the comment count after the rating (ratings: 10).
CARD_STATS_ORDER = 20


@hooks.register(CONTENT_PAGE_CONTEXT)
def discussion_context(*, page: ContentPage, request: HttpRequest) -> dict:
    return selectors.page_context(page=page, request=request)


@hooks.register(LISTING_COLUMNS)
def comment_count_column(queryset: QuerySet) -> QuerySet:
    return selectors.with_comment_counts(queryset)


@hooks.register(CARD_STATS, order=CARD_STATS_ORDER)
def card_comment_count() -> list[str]:
    return ["discussion/includes/card_comment_count.html"]


# --- Reply notifications, as social.notifications shows them (issue 11: features plug in) ---
# Social sits below discussion, so it learns how to show a "comment_reply"
# notification from this hook rather than by importing discussion.
@hooks.register(NOTIFICATION_KINDS)
def reply_notification_kinds():
    return {NotificationKind.COMMENT_REPLY: reply_entries}
