"""The moderation queue's views, inside the Wagtail admin (which already requires admin access).

Only people with ``discussion.moderate_comments`` (Editors, superusers) may see
or act; others get Wagtail's usual "permission denied".
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from audit.models import AccessPurpose, AccessWhat
from audit.services import access_record_many

from . import selectors, services
from .models import PageComment


def _may_moderate(request):
    return request.user.has_perm(selectors.MODERATE_PERMISSION)


def queue(request):
    """Comments awaiting moderation, reported comments with their reports, and hidden ones."""
    if not _may_moderate(request):
        return permission_denied(request)
    awaiting, reported, hidden = selectors.moderation_queue()
    # Held and hidden comments are not public: their authors see who read them (issue 16).
    access_record_many(
        viewer=request.user,
        purpose=AccessPurpose.MODERATION,
        accesses=[
            (item.comment.user_id, AccessWhat.HELD_COMMENT, f"comment:{item.comment.pk}")
            for item in (*awaiting, *hidden)
        ],
    )
    return TemplateResponse(
        request,
        "discussion/admin/queue.html",
        {
            "page_title": _("Comments to moderate"),
            "header_icon": "comment",
            "awaiting": awaiting,
            "reported": reported,
            "hidden": hidden,
        },
    )


@require_POST
def moderate(request, comment_id, action):
    """Approve, hide or remove one comment, then back to the queue with a message."""
    if not _may_moderate(request):
        return permission_denied(request)
    comment = (
        PageComment.objects.filter(pk=comment_id).first()
        if 0 < comment_id <= selectors.MAX_ID
        else None
    )
    if comment is None:
        messages.error(request, _("That comment no longer exists."))
        return redirect("discussion_admin:queue")
    try:
        services.comment_moderate(moderator=request.user, comment=comment, action=action)
    except services.CommentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, services.ACTION_MESSAGES[action])
    return redirect("discussion_admin:queue")
