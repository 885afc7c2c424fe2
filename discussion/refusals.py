"""How the discussion's services say no (``discussion.services``): one ``Refused`` subclass per
reason, and the words."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


PARENT_GONE = gettext_lazy(
    "The comment you replied to is no longer available, so your reply was not posted. "
    "Your text is kept: you can post it as a new comment."
)
EMPTY = gettext_lazy("Write something before posting.")


def _too_long() -> str:
    return _("Comments can be at most %(limit)s characters long.") % {
        "limit": number_format(COMMENT_MAX_LENGTH, force_grouping=True)
    }


# Worded (and the number written) in the language active when it is shown.
TOO_LONG = lazy(_too_long, str)()
EDIT_CLOSED = gettext_lazy(
    "Comments can be changed for 15 minutes after posting; this one can no longer be changed."
)
