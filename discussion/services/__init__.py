"""Writes to the discussion; import them from here (``from discussion.services import ...``).

Callers pass pages and comments they obtained through ``discussion.selectors``
(so already checked as readable and visible); the rules about who may do
what, how often, and what happens next live here. ``posting``: post, edit,
report, mute; ``standing``: who is held for a moderator and who may write in
a community; ``moderation``: moderators' decisions; ``discussion.refusals``: how they say no.
"""

# Read by callers that place replies (the deepest level lives with the thread's shape).
from ..refusals import (
    EDIT_CLOSED,
    EMPTY,
    PARENT_GONE,
    TOO_LONG,
    CommentPageGone,
    CommentRefused,
    CommentThrottled,
    EditWindowClosed,
    ReplyTargetGone,
    RulesNotAccepted,
)
from ..selectors import MAX_LEVEL
from .moderation import ACTION_MESSAGES, Action, comment_moderate
from .posting import (
    EDIT_RATE,
    NEW_MEMBER_HOURLY_COMMENTS,
    NEW_MEMBER_POST_INTERVAL,
    POST_INTERVAL,
    REPORT_RATE,
    comment_edit,
    comment_post,
    comment_report,
    thread_mute,
)
from .standing import (
    PREMODERATED_COMMENTS,
    comment_is_held,
    is_trusted_commenter,
    membership_in_good_standing,
    rules_first_message,
)

__all__ = [
    "ACTION_MESSAGES",
    "EDIT_CLOSED",
    "EDIT_RATE",
    "EMPTY",
    "MAX_LEVEL",
    "NEW_MEMBER_HOURLY_COMMENTS",
    "NEW_MEMBER_POST_INTERVAL",
    "PARENT_GONE",
    "POST_INTERVAL",
    "PREMODERATED_COMMENTS",
    "REPORT_RATE",
    "TOO_LONG",
    "Action",
    "CommentPageGone",
    "CommentRefused",
    "CommentThrottled",
    "EditWindowClosed",
    "ReplyTargetGone",
    "RulesNotAccepted",
    "comment_edit",
    "comment_is_held",
    "comment_moderate",
    "comment_post",
    "comment_report",
    "is_trusted_commenter",
    "membership_in_good_standing",
    "rules_first_message",
    "thread_mute",
]
