"""How the discussion's services say no (``discussion.services``): one ``Refused`` subclass per
reason, and the words."""

from __future__ import annotations

from core.refusals import Refused

from .models import COMMENT_MAX_LENGTH


class CommentRefused(Refused):
    """The action is not possible; ``message`` says why, in words for the member."""

    status = 400


class CommentThrottled(CommentRefused):
    status = 429


class EditWindowClosed(CommentRefused):
    status = 403


class ReplyTargetGone(CommentRefused):
    """The comment replied to is missing, not visible, or on another page (all alike)."""


class CommentPageGone(CommentRefused):
    """The item can no longer be read by the commenter (their membership ended meanwhile).

    Views answer it as they answer a missing page (404).
    """

    status = 404


class RulesNotAccepted(CommentRefused):
    """The community's rules changed since the member accepted them."""

    status = 403


PARENT_GONE = (
    "The comment you replied to is no longer available, so your reply was not posted. "
    "Your text is kept: you can post it as a new comment."
)
EMPTY = "Write something before posting."
TOO_LONG = f"Comments can be at most {COMMENT_MAX_LENGTH:,} characters long."
EDIT_CLOSED = (
    "Comments can be changed for 15 minutes after posting; this one can no longer be changed."
)
