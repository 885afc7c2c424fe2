"""Moderators' decisions about comments: approve, hide, remove, dismiss reports.

Editors decide about every comment (the admin queue); a community's
moderators about the comments on its items (``/communities/<slug>/moderate/``)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

import pagecache
from safety.crisis_selectors import open_crisis_comment_ids

from .. import notifications
from ..models import CommentReport, PageComment
from ..refusals import (
    CommentRefused,
)
from ..selectors import (
    MODERATE_PERMISSION,
    may_moderate_comment,
)


class Action:
    APPROVE = "approve"
    HIDE = "hide"
    REMOVE = "remove"
    # Close a comment's open reports and leave the comment as it is.
    DISMISS = "dismiss"
    ALL = (APPROVE, HIDE, REMOVE, DISMISS)
    # What a community's moderators may do: hiding (reversible, listed only in
    # the Editors' queue) stays with the Editors.
    COMMUNITY = (APPROVE, REMOVE, DISMISS)


ACTION_MESSAGES = {
    Action.APPROVE: gettext_lazy("Comment approved: it is shown on the page."),
    Action.HIDE: gettext_lazy("Comment hidden: it is no longer shown."),
    Action.REMOVE: gettext_lazy("Comment removed: its replies stay, under a placeholder."),
    Action.DISMISS: gettext_lazy("Reports dismissed: the comment stays as it was."),
}


def comment_moderate(
    *, moderator: AbstractBaseUser, comment: PageComment, action: str
) -> PageComment:
    """Approve, hide, remove ``comment`` or dismiss its reports, as ``moderator``; resolve its
    open reports; log it.

    Approving shows it (and tells the thread about a reply that was held);
    hiding takes it off the page (it can be approved again); removing is
    final and shows "This comment was removed" above any replies, which stay;
    dismissing closes its reports and changes nothing else. Who may decide:
    Editors about any comment, a community's moderators about the comments on
    its items (``selectors.may_moderate_comment``) and without hiding; anyone
    else is refused with ``PermissionDenied``. Nobody moderates their own comment.
    """
    if not may_moderate_comment(user=moderator, comment=comment):
        raise PermissionDenied
    if moderator.has_perm(MODERATE_PERMISSION):
        allowed, choose = Action.ALL, _("Choose approve, hide, remove or dismiss.")
    else:
        allowed, choose = Action.COMMUNITY, _("Choose approve, remove or dismiss.")
    if action not in allowed:
        raise CommentRefused(choose)
    if comment.user_id == moderator.pk:
        raise CommentRefused(_("You cannot moderate your own comment; another moderator will."))
    if comment.is_removed:
        raise CommentRefused(_("This comment was removed already; removal is final."))
    if action == Action.APPROVE and open_crisis_comment_ids([comment.pk]):
        raise CommentRefused(
            _(
                "This comment is held for a crisis signal: handle the signal first (Crisis "
                "signals, in the admin menu), then approve it if it should be shown."
            )
        )
    was_awaiting = comment.awaiting_moderation
    changes = {
        Action.APPROVE: {"is_public": True, "awaiting_moderation": False},
        Action.HIDE: {"is_public": False, "awaiting_moderation": False},
        # is_public goes too, so nothing that checks only that flag shows it.
        Action.REMOVE: {"is_public": False, "is_removed": True, "awaiting_moderation": False},
        Action.DISMISS: {},
    }[action]
    now = timezone.now()
    with transaction.atomic():
        if changes:
            PageComment.objects.filter(pk=comment.pk).update(**changes)
            # .update() sends no signal: visitors' cached pages learn of it here (issue 17).
            pagecache.invalidate(pagecache.page_tag(comment.object_pk), pagecache.LISTINGS)
        for name, value in changes.items():
            setattr(comment, name, value)
        resolved = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=moderator
        )
        if action == Action.DISMISS and not resolved:
            raise CommentRefused(_("This comment has no open reports to dismiss."))
        log(
            instance=comment,
            action=f"discussion.comment.{action}",
            user=moderator,
            title=str(comment),
            data={"page_id": comment.page_id, "reports_resolved": resolved},
        )
        # A held reply reaches the thread only now; a hidden one that is
        # restored was announced when it first appeared.
        if action == Action.APPROVE and was_awaiting and comment.level > 0:
            notifications.reply_notify(comment)
    return comment
