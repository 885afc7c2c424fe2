"""The comment moderation queue in the Wagtail admin, for Editors (and superusers)."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
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
        "Comment queue",
        reverse("discussion_admin:queue"),
        name="comment-moderation",
        icon_name="comment",
        order=250,
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # Written by discussion.services.comment_moderate; shown in the admin's history reports.
    actions.register_action("discussion.comment.approve", "Approve comment", "Comment approved")
    actions.register_action("discussion.comment.hide", "Hide comment", "Comment hidden")
    actions.register_action("discussion.comment.remove", "Remove comment", "Comment removed")
