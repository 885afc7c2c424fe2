"""The member's comments, the reports and flags they made, the threads they muted."""

from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from discussion.models import CommentReport, PageComment, ThreadMute

from . import COMMENT_NOTICE, FORMER_MEMBER, Erasure


def comments_erase(erasure: Erasure) -> None:
    """Delete the member's comments; one that others replied to stays as a neutral notice.

    Deepest first, so a member's reply beneath their own comment is gone
    before the parent is looked at: only replies by others keep a parent.
    A kept comment names nobody: no account, name, address, site or IP.
    """
    comments = PageComment.objects.filter(user=erasure.user).order_by("-level", "-pk")
    for comment in comments:
        has_replies = (
            XtdComment.objects.filter(parent_id=comment.pk).exclude(pk=comment.pk).exists()
        )
        if has_replies:
            PageComment.objects.filter(pk=comment.pk).update(
                comment=COMMENT_NOTICE,
                user=None,
                user_name=FORMER_MEMBER,
                user_email="",
                user_url="",
                ip_address=None,
            )
            # Reports and flags are about words that are gone.
            CommentReport.objects.filter(comment_id=comment.pk).delete()
            CommentFlag.objects.filter(comment_id=comment.pk).delete()
            erasure.add("comments_detached", 1)
        else:
            erasure.removed_comment_ids.add(comment.pk)
            comment.delete()
            erasure.add("comments_removed", 1)
    # Comments left under the member's addresses without the account (none are made
    # that way today; a guard for imported or older rows).
    if erasure.emails:
        erasure.add(
            "comments_detached",
            PageComment.objects.filter(user_email__in=erasure.emails).update(
                comment=COMMENT_NOTICE,
                user=None,
                user_name=FORMER_MEMBER,
                user_email="",
                user_url="",
                ip_address=None,
            ),
        )


def reports_erase(erasure: Erasure) -> None:
    """Reports and flags the member made, and the threads they muted."""
    erasure.add(
        "comment_reports",
        CommentReport.objects.filter(reporter=erasure.user)
        .delete()[1]
        .get(CommentReport._meta.label, 0),
    )
    erasure.add("comment_flags", CommentFlag.objects.filter(user=erasure.user).delete()[0])
    erasure.add("thread_mutes", ThreadMute.objects.filter(user=erasure.user).delete()[0])
