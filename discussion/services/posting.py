"""Posting, editing and reporting comments, and muting a thread's emails.

Comment flags are always changed with ``update()``: xtd's ``pre_save``
receiver would otherwise cascade a parent's new state onto its replies (see
``discussion.models``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.models import Site
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from django_comments_xtd.models import XtdComment
from django_ratelimit.core import is_ratelimited

import pagecache
from authoring.services import is_new_member
from core.models import ContentPage
from core.submissions import Submission, submission_claim, submission_done
from safety.crisis_selectors import crisis_in
from safety.services import crisis_signal_open
from social.selectors import replier_is_blocked

from .. import notifications
from ..models import COMMENT_MAX_LENGTH, CommentReport, PageComment, ThreadMute
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
)
from ..selectors import (
    MAX_LEVEL,
    VISIBLE,
    page_content_type,
)
from ..threads import may_edit
from .standing import comment_is_held, membership_in_good_standing

# Posting pace, measured on the comments themselves (exact, and shared by
# every worker without a cache): seconds between two comments, and for new
# members (see authoring.services.is_new_member) an hourly cap too.
POST_INTERVAL = timedelta(seconds=10)
NEW_MEMBER_POST_INTERVAL = timedelta(seconds=30)
NEW_MEMBER_HOURLY_COMMENTS = 5
# Edits and reports are cheaper to make, so a cache counter is enough.
EDIT_RATE = "10/10m"
REPORT_RATE = "10/h"


def _site_id() -> int:
    """The django.contrib.sites row comments point at, created if a flushed database lost it."""
    try:
        return Site.objects.get_current().pk
    except Site.DoesNotExist:
        site, _ = Site.objects.get_or_create(
            pk=settings.SITE_ID, defaults={"domain": "kindred.example", "name": "Kindred"}
        )
        return site.pk


def _check_pace(user: AbstractBaseUser, now: datetime) -> None:
    new = is_new_member(user)
    interval = NEW_MEMBER_POST_INTERVAL if new else POST_INTERVAL
    latest = (
        PageComment.objects.filter(user=user)
        .order_by("-submit_date")
        .values_list("submit_date", flat=True)
        .first()
    )
    if latest is not None and now - latest < interval:
        seconds = int(interval.total_seconds())
        if new:
            message = ngettext(
                "You can post a comment every %(seconds)s second while you are new to "
                "Kindred. Please wait a moment and post it again (your text is kept).",
                "You can post a comment every %(seconds)s seconds while you are new to "
                "Kindred. Please wait a moment and post it again (your text is kept).",
                seconds,
            )
        else:
            message = ngettext(
                "You can post a comment every %(seconds)s second. Please wait a moment and "
                "post it again (your text is kept).",
                "You can post a comment every %(seconds)s seconds. Please wait a moment and "
                "post it again (your text is kept).",
                seconds,
            )
        raise CommentThrottled(message % {"seconds": seconds})
    if new:
        recent = PageComment.objects.filter(user=user, submit_date__gte=now - timedelta(hours=1))
        if recent.count() >= NEW_MEMBER_HOURLY_COMMENTS:
            raise CommentThrottled(
                ngettext(
                    "While you are new to Kindred you can post %(count)s comment an hour, "
                    "and you have reached that. Please come back a little later (your text "
                    "is kept).",
                    "While you are new to Kindred you can post %(count)s comments an hour, "
                    "and you have reached that. Please come back a little later (your text "
                    "is kept).",
                    NEW_MEMBER_HOURLY_COMMENTS,
                )
                % {"count": NEW_MEMBER_HOURLY_COMMENTS}
            )


def _reply_target(page: ContentPage, parent_id: int) -> PageComment:
    """The visible comment on ``page`` to attach a reply to, or refuse.

    A reply to a comment at the deepest level is attached beside it, to the
    same parent, so the conversation continues at that level.
    """
    parent = (
        PageComment.objects.filter(
            VISIBLE, pk=parent_id, content_type=page_content_type(), object_pk=str(page.pk)
        ).first()
        if 0 < parent_id <= 2**31 - 1
        else None
    )
    if parent is None:
        raise ReplyTargetGone(PARENT_GONE)
    if parent.level >= MAX_LEVEL:
        # Its parent may since have been hidden or removed: the reply still
        # belongs beside the comment it answers, under the placeholder.
        return PageComment.objects.get(pk=parent.parent_id)
    return parent


def _reply_blocked(user: AbstractBaseUser, parent: PageComment, parent_id: int) -> bool:
    # The comment answered and the one the reply attaches to (they differ at
    # the deepest level): if either author blocked ``user``, no reply.
    authors = PageComment.objects.filter(pk__in={parent.pk, parent_id}).values("user_id")
    return replier_is_blocked(replier=user, author_ids=authors)


def comment_post(
    *,
    user: AbstractBaseUser,
    page: ContentPage,
    text: str,
    parent_id: int | None = None,
    submission: Submission | None = None,
) -> PageComment:
    """Post ``text`` by ``user`` on ``page`` (readable), as a reply to ``parent_id`` if given.

    The text is stored as plain text (``discussion.text`` renders it). Held for
    moderation as ``comment_is_held`` says (the site's rule, or the item's
    community's preset); in a community only an active member who accepted
    its current rules may post (``RulesNotAccepted``, ``CommentPageGone``);
    paced per member; a visible
    reply emails the thread's other participants once the transaction commits.
    The same ``submission`` (``core.submissions``) posted again raises
    ``Repeated`` with the comment it posted, before the pace is checked.
    """
    if not text:
        raise CommentRefused(EMPTY)
    if len(text) > COMMENT_MAX_LENGTH:
        raise CommentRefused(TOO_LONG)
    now = timezone.now()
    community = page.community if page.community_id is not None else None
    with transaction.atomic():
        # In a community, the membership lock comes first (its protocol:
        # core.selectors.active_membership_for_update).
        membership = membership_in_good_standing(user, community)
        # One post at a time per member, so the pace check cannot be raced
        # (a no-op on SQLite, which writes one transaction at a time anyway).
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        receipt = submission_claim(user=user, submission=submission)
        _check_pace(user, now)
        parent = _reply_target(page, parent_id) if parent_id else None
        if parent is not None and _reply_blocked(user, parent, parent_id):
            # Blocked by the person answered: the same refusal as a gone target,
            # so the block itself is not announced.
            raise ReplyTargetGone(PARENT_GONE)
        if parent is not None:
            # xtd renumbers ``order`` across the thread; lock its root so two
            # replies in one thread cannot take the same place.
            XtdComment.norel_objects.select_for_update().filter(pk=parent.thread_id).exists()
        # Words suggesting the writer may harm themselves hold the comment for a
        # moderator, whoever wrote it (safety: the moderators are told at once).
        crisis = crisis_in(text)
        held = crisis or comment_is_held(user=user, page=page, membership=membership)
        comment = PageComment(
            content_type=page_content_type(),
            object_pk=str(page.pk),
            site_id=_site_id(),
            user=user,
            # xtd wants a name; Kindred never stores an address or an IP.
            user_name=user.public_name[:50],
            user_email="",
            ip_address=None,
            comment=text,
            submit_date=now,
            is_public=not held,
            awaiting_moderation=held,
            followup=True,
            parent_id=parent.pk if parent is not None else 0,
        )
        comment.save()
        if crisis:
            crisis_signal_open(text=text, author=user, comment=comment)
        submission_done(receipt=receipt, created=comment)
        if comment.is_visible and comment.level > 0:
            notifications.reply_notify(comment)
    return comment


def _member_over_rate(*, user, group: str, rate: str) -> bool:
    """Count one more ``group`` action by ``user`` (counted per member); true once over ``rate``."""
    return is_ratelimited(
        None, group=group, key=lambda group, request: str(user.pk), rate=rate, increment=True
    )


def comment_edit(
    *, user: AbstractBaseUser, comment: PageComment, text: str, now: datetime | None = None
) -> PageComment:
    """Replace the text of ``user``'s own ``comment`` within the edit window.

    A member whose comments are still pre-moderated (``comment_is_held``) sends
    the edited comment back to the queue: an approval covers the words that
    were approved. In a community, editing is writing there: it needs the
    same standing as posting (active membership, current rules accepted).
    """
    if comment.user_id != user.pk or comment.is_removed:
        raise CommentRefused(_("You can only change your own comments."))
    if not may_edit(comment, now=now):
        raise EditWindowClosed(EDIT_CLOSED)
    if not text:
        raise CommentRefused(EMPTY)
    if len(text) > COMMENT_MAX_LENGTH:
        raise CommentRefused(TOO_LONG)
    if _member_over_rate(user=user, group="discussion.edit", rate=EDIT_RATE):
        raise CommentThrottled(
            _("You have changed comments many times in a short while. Please try again later.")
        )
    page = (
        ContentPage.objects.filter(pk=comment.page_id).select_related("community").first()
        if comment.page_id is not None
        else None
    )
    if page is None:
        raise CommentPageGone(_("There is no such comment or page here."))
    changes = {"comment": text, "edited_at": timezone.now()}
    with transaction.atomic():
        membership = membership_in_good_standing(user, page.community)
        crisis = crisis_in(text)
        if comment.is_public and (
            crisis or comment_is_held(user=user, page=page, membership=membership)
        ):
            changes.update(is_public=False, awaiting_moderation=True)
        PageComment.objects.filter(pk=comment.pk).update(**changes)
        # .update() sends no signal: visitors' cached pages learn of it here (issue 17).
        pagecache.invalidate(pagecache.page_tag(comment.object_pk), pagecache.LISTINGS)
        if crisis:
            crisis_signal_open(text=text, author=user, comment=comment)
    for name, value in changes.items():
        setattr(comment, name, value)
    return comment


def comment_report(
    *,
    user: AbstractBaseUser,
    comment: PageComment,
    reason: str,
    text: str = "",
    submission: Submission | None = None,
) -> CommentReport:
    """Record ``user``'s report about ``comment`` (visible, someone else's) for the Editors.

    One report per member and comment (a database constraint); the reporter
    is only ever shown to Editors. The same ``submission`` (``core.submissions``)
    sent again raises ``Repeated`` with the first report, so a double click is
    answered as the first press was, not with "already reported".
    """
    already = CommentRefused(
        _("You have already reported this comment. Thank you: the moderators will look at it.")
    )
    if comment.user_id == user.pk:
        raise CommentRefused(_("You cannot report your own comment. You can change or ask us."))
    if reason not in CommentReport.Reason.values:
        raise CommentRefused(_("Choose why you are reporting this comment."))
    with transaction.atomic():
        receipt = submission_claim(user=user, submission=submission)
        if CommentReport.objects.filter(comment=comment, reporter=user).exists():
            raise already
        if _member_over_rate(user=user, group="discussion.report", rate=REPORT_RATE):
            raise CommentThrottled(
                _(
                    "You have sent many reports in a short while. Please try again later; "
                    "the moderators are looking at the ones you sent."
                )
            )
        try:
            with transaction.atomic():
                report = CommentReport.objects.create(
                    comment=comment, reporter=user, reason=reason, text=text.strip()
                )
        except IntegrityError:
            # A double submit without a token: the first one counts.
            raise already from None
        submission_done(receipt=receipt, created=report)
    return report


def thread_mute(*, user_id: int, thread_id: int) -> bool:
    """Stop reply emails to ``user_id`` about the thread rooted at ``thread_id``.

    Muting twice changes nothing. Returns False when the user or thread is gone.
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    root = PageComment.objects.filter(pk=thread_id).first()
    if user is None or root is None:
        return False
    try:
        with transaction.atomic():
            ThreadMute.objects.get_or_create(user=user, thread=root)
    except IntegrityError:
        pass  # the same link clicked twice at once: muted either way
    return True
