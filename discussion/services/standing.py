"""Who is held and who may write where: the site-wide premoderation rule, each
community's moderation preset, and a member's standing in a community (the
membership lock, the rules they accepted)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from core.models import CommunityMembership, CommunityPage, ContentPage
from core.selectors import active_membership_for_update

from ..models import PageComment
from ..refusals import (
    CommentPageGone,
    RulesNotAccepted,
)
from ..selectors import (
    MODERATE_PERMISSION,
    VISIBLE,
    community_items_keys,
    community_visible_comments,
)

# A member's comments are held for an Editor until this many of theirs are
# visible; a comment hidden or removed later counts against it again.
PREMODERATED_COMMENTS = 3


def is_trusted_commenter(user: AbstractBaseUser) -> bool:
    """Whether ``user``'s new comments outside communities appear at once instead of
    waiting for an Editor (the site-wide rule).

    Moderators are trusted; members once ``PREMODERATED_COMMENTS`` of their
    comments outside communities are visible (approved, or posted after they
    were trusted). Comments in communities do not count: under "publish and
    rely on reports" they appear unread, and trust is earned where Editors read.
    """
    if user.has_perm(MODERATE_PERMISSION):
        return True
    visible = PageComment.objects.filter(VISIBLE, user=user).exclude(
        object_pk__in=community_items_keys()
    )[:PREMODERATED_COMMENTS]
    return visible.count() >= PREMODERATED_COMMENTS


def comment_is_held(
    *,
    user: AbstractBaseUser,
    page: ContentPage,
    membership: CommunityMembership | None = None,
) -> bool:
    """Whether a new comment by ``user`` on ``page`` waits for a moderator.

    Items outside communities follow the site-wide rule (``is_trusted_commenter``).
    An item in a community follows that community's moderation preset: hold a
    member's first ``hold_first_count`` comments (counting their visible
    comments on this community's items only), hold every comment, or publish
    and rely on reports. The community's own moderators and the site's
    Editors are never held. ``membership`` is ``user``'s membership of the
    item's community when the caller holds it already (locked, in
    ``comment_post``); otherwise it is read.
    """
    if page.community_id is None:
        return not is_trusted_commenter(user)
    if user.has_perm(MODERATE_PERMISSION):
        return False
    if membership is None:
        membership = CommunityMembership.objects.filter(
            user=user, community_id=page.community_id
        ).first()
    if membership is not None and membership.is_moderator:
        return False
    community = page.community
    Preset = CommunityPage.ModerationPreset
    if community.moderation_preset == Preset.REPORTS:
        return False
    if community.moderation_preset == Preset.HOLD_ALL:
        return True
    needed = community.hold_first_count
    visible = community_visible_comments(user=user, community_id=community.pk)[:needed]
    return visible.count() < needed


def rules_first_message(community: CommunityPage) -> str:
    """What a member whose accepted rules are out of date is told when they comment."""
    return _(
        "The rules of %(community)s have changed. Please read them and accept the "
        "community's new rules first, on its page; then post again (your text is kept)."
    ) % {"community": community.title}


def membership_in_good_standing(
    user: AbstractBaseUser, community: CommunityPage | None
) -> CommunityMembership | None:
    """``user``'s active membership of ``community``, locked until the transaction ends.

    ``None`` for an item outside communities. The lock is the one every
    membership decision takes (``core.selectors.active_membership_for_update``),
    so a comment saved while its author is being removed either comes first
    (and the removal sees it) or finds the membership gone (``CommentPageGone``,
    answered as a missing page). Rules changed since the member accepted them
    refuse the comment (``RulesNotAccepted``, 403).
    """
    if community is None:
        return None
    membership = active_membership_for_update(user=user, community_id=community.pk)
    if membership is None:
        raise CommentPageGone(_("There is no such comment or page here."))
    if not membership.has_accepted_rules(community):
        raise RulesNotAccepted(rules_first_message(community))
    return membership
