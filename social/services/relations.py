"""Writes to the ties between members: follows (of members and topics), blocks and mutes.

Every create is idempotent: doing it twice, or twice at once, leaves one row
and no error. The unique constraints decide; ``get_or_create`` inside a
savepoint catches the loser of a race and returns the winner's row.

Following and muting the same member exclude each other: muting someone one
follows ends the follow, following someone one muted ends the mute. The two
rows live in two tables, so no constraint can hold that; both services do it
under the same pair lock (``_lock_pair``) in one transaction instead, which
serialises them on the pair.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from taggit.models import Tag

from core.refusals import Refused
from social.models import MemberBlock, MemberFollow, MemberMute, Profile, TopicFollow
from social.notifications.services import notify_new_follower


class RelationRefused(Refused):
    """The request cannot be done; ``message`` says why, in words for the member."""

    status = 400


class SelfRelationRefused(RelationRefused):
    """Following, blocking or muting oneself: a clear 400, nothing hidden about it."""

    status = 400


class TieChange(tuple):
    """``(row, created)``, as every create here returns, plus ``ended``: the opposite tie
    that the create removed ("mute" for a follow that lifted a mute, "follow" for a
    mute that ended a follow), or "" when there was none. The caller tells the member.
    """

    def __new__(cls, row: models.Model, created: bool, *, ended: str = "") -> TieChange:
        change = super().__new__(cls, (row, created))
        change.ended = ended
        return change


class MemberUnavailable(RelationRefused):
    """The other member is unknown, inactive, hidden from the actor or has blocked them.

    Callers answer it exactly as they answer a missing profile (404), so that
    a block or a hidden profile cannot be told apart from an unknown one.
    """

    status = 404
    message = gettext_lazy("No such member.")


# What refusing a tie with oneself says, by verb.
SELF_REFUSALS = {
    "follow": gettext_lazy("You cannot follow yourself."),
    "block": gettext_lazy("You cannot block yourself."),
    "mute": gettext_lazy("You cannot mute yourself."),
}


def _idempotent_create(model: type[models.Model], **fields: object) -> tuple[models.Model, bool]:
    """``(row, created)`` for ``fields``, relying on the unique constraint under races."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**fields)
    except IntegrityError:
        # Another request inserted the same row between our read and write.
        return model.objects.get(**fields), False


def _lock_pair(user: AbstractBaseUser, other: AbstractBaseUser) -> None:
    # Both users' rows, always in id order so two requests cannot deadlock.
    # FOR NO KEY UPDATE: it serialises follows and blocks on the pair, yet does
    # not wait for (or make wait) the key-share locks that every insert of a
    # row pointing at these users takes (mutes, topic follows, comments), which
    # deadlocked with a plain FOR UPDATE.
    # A no-op on SQLite, which runs one writing transaction at a time anyway.
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk__in=[user.pk, other.pk])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def is_blocked_between(*, user: AbstractBaseUser, other: AbstractBaseUser) -> bool:
    """Whether either of ``user`` and ``other`` blocks the other (one query)."""
    return MemberBlock.objects.filter(
        Q(blocker=user, blocked=other) | Q(blocker=other, blocked=user)
    ).exists()


def _check_reachable(*, actor: AbstractBaseUser, other: AbstractBaseUser, verb: str) -> None:
    if actor.pk == other.pk:
        raise SelfRelationRefused(str(SELF_REFUSALS[verb]))
    if not other.is_active:
        raise MemberUnavailable(gettext("No such member."))
    profile = Profile.objects.select_related("user").filter(user=other).first()
    if profile is None or not profile.is_visible_to(actor):
        raise MemberUnavailable(gettext("No such member."))


def follow_create(*, follower: AbstractBaseUser, followee: AbstractBaseUser) -> TieChange:
    """``follower`` follows ``followee``; returns a ``TieChange`` ``(follow, created)``.

    Refused (``SelfRelationRefused``) for oneself; refused as unavailable
    (``MemberUnavailable``, answered like a missing profile) when the followee
    is inactive, has a profile hidden from the follower, or either blocks the
    other. Following twice is one row. A mute of the followee by the follower
    ends in the same transaction (``ended == "mute"``): following someone is
    asking to see their items. The followee is told through the notifications
    layer only when the follow is new.
    """
    _check_reachable(actor=follower, other=followee, verb="follow")
    with transaction.atomic():
        # Serialised with block_create and mute_create on the same pair, so a
        # follow can never slip in between a block's check and its removal of
        # follows, nor stand beside a mute.
        _lock_pair(follower, followee)
        if is_blocked_between(user=follower, other=followee):
            raise MemberUnavailable(gettext("No such member."))
        follow, created = _idempotent_create(MemberFollow, follower=follower, followee=followee)
        unmuted, _ = MemberMute.objects.filter(muter=follower, muted=followee).delete()
    if created:
        notify_new_follower(follower=follower, followee=followee)
    return TieChange(follow, created, ended="mute" if unmuted else "")


def follow_delete(*, follower: AbstractBaseUser, followee: AbstractBaseUser) -> bool:
    """``follower`` stops following ``followee``; returns whether a follow was removed."""
    deleted, _ = MemberFollow.objects.filter(follower=follower, followee=followee).delete()
    return bool(deleted)


def topic_follow_create(*, follower: AbstractBaseUser, tag: Tag) -> tuple[TopicFollow, bool]:
    """``follower`` follows ``tag`` (a taggit Tag the caller found readable); ``(row, created)``."""
    return _idempotent_create(TopicFollow, follower=follower, tag=tag)


def topic_follow_delete(*, follower: AbstractBaseUser, tag: Tag) -> bool:
    """``follower`` stops following ``tag``; returns whether a follow was removed."""
    deleted, _ = TopicFollow.objects.filter(follower=follower, tag=tag).delete()
    return bool(deleted)


@transaction.atomic
def block_create(
    *, blocker: AbstractBaseUser, blocked: AbstractBaseUser
) -> tuple[MemberBlock, bool]:
    """``blocker`` blocks ``blocked``; returns ``(block, created)``.

    Follows in both directions are removed in the same transaction: the
    blocked member no longer sees the blocker's items in their feed through
    a follow, and the blocker's follower list no longer shows them. A member
    may block someone whose profile they cannot see (for example after a
    reply from them), but never themselves.
    """
    if blocker.pk == blocked.pk:
        raise SelfRelationRefused(str(SELF_REFUSALS["block"]))
    _lock_pair(blocker, blocked)
    block, created = _idempotent_create(MemberBlock, blocker=blocker, blocked=blocked)
    MemberFollow.objects.filter(
        Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
    ).delete()
    return block, created


def block_delete(*, blocker: AbstractBaseUser, blocked: AbstractBaseUser) -> bool:
    """``blocker`` unblocks ``blocked``; returns whether a block was removed. Follows stay gone."""
    deleted, _ = MemberBlock.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


def mute_create(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> TieChange:
    """``muter`` mutes ``muted`` (their named items leave the muter's feed); returns a
    ``TieChange`` ``(mute, created)``.

    Nobody is told: a mute is the muter's private filter, unlike a block. A
    follow of ``muted`` by the muter ends in the same transaction
    (``ended == "follow"``); the muted member only sees one follower fewer,
    as after any unfollow.
    """
    if muter.pk == muted.pk:
        raise SelfRelationRefused(str(SELF_REFUSALS["mute"]))
    with transaction.atomic():
        # The pair lock follow_create takes: a follow racing this mute either
        # comes first (and is removed here) or after (and removes the mute).
        _lock_pair(muter, muted)
        mute, created = _idempotent_create(MemberMute, muter=muter, muted=muted)
        unfollowed, _ = MemberFollow.objects.filter(follower=muter, followee=muted).delete()
    return TieChange(mute, created, ended="follow" if unfollowed else "")


def mute_delete(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> bool:
    """``muter`` unmutes ``muted``; returns whether a mute was removed."""
    deleted, _ = MemberMute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)
