"""Reads about ties between members: follower lists, byline buttons, blocks and mutes."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import router
from django.db.models import Q, QuerySet, Value
from django.http import HttpRequest

from taggit.models import Tag

from core.prepared import prepared
from core.selectors import readable_tags
from social.models import (
    MemberBlock,
    MemberFollow,
    MemberMute,
    Profile,
    ProfileVisibility,
    TopicFollow,
)

from .profiles import HANDLE_PATTERN, visible_profile

if TYPE_CHECKING:
    from accounts.models import User


def visible_profiles_q(*, viewer: User | AnonymousUser | None, prefix: str = "") -> Q:
    """A ``Q`` keeping profiles (at ``prefix``) that ``viewer`` may see, as ``is_visible_to`` does.

    In SQL, so lists can filter a page of members in the same query. A member
    who blocked ``viewer`` counts only if their profile is open to everyone,
    as for an anonymous visitor.
    """
    everyone = Q(**{f"{prefix}visibility": ProfileVisibility.EVERYONE})
    active = Q(**{f"{prefix}user__is_active": True})
    if viewer is None or not viewer.is_authenticated:
        return active & everyone
    members = Q(**{f"{prefix}visibility": ProfileVisibility.MEMBERS}) & ~Q(
        **{f"{prefix}user_id__in": MemberBlock.objects.filter(blocked=viewer).values("blocker_id")}
    )
    return active & (everyone | members | Q(**{f"{prefix}user_id": viewer.pk}))


def follow_lists_visible(*, viewer: User | AnonymousUser | None, profile: Profile) -> bool:
    """Whether ``viewer`` may open ``profile``'s follower and following lists (owner always)."""
    is_owner = viewer is not None and viewer.is_authenticated and viewer.pk == profile.user_id
    return is_owner or profile.show_follow_lists


def followers_of(
    *, viewer: User | AnonymousUser | None, profile: Profile
) -> QuerySet[MemberFollow]:
    """Follows of ``profile``'s member whose follower ``viewer`` may see, newest first.

    Each row has ``follower.profile`` loaded; hidden followers are left out in
    the query itself, so pages and counts never include them.
    """
    return (
        MemberFollow.objects.filter(followee_id=profile.user_id)
        .filter(visible_profiles_q(viewer=viewer, prefix="follower__profile__"))
        .select_related("follower__profile")
        .order_by("-created_at", "-pk")
    )


def following_of(
    *, viewer: User | AnonymousUser | None, profile: Profile
) -> QuerySet[MemberFollow]:
    """Follows by ``profile``'s member of members ``viewer`` may see, newest first."""
    return (
        MemberFollow.objects.filter(follower_id=profile.user_id)
        .filter(visible_profiles_q(viewer=viewer, prefix="followee__profile__"))
        .select_related("followee__profile")
        .order_by("-created_at", "-pk")
    )


def followed_topics_visible(*, viewer: User | AnonymousUser | None, profile: Profile) -> bool:
    """Whether ``viewer`` may see which topics ``profile``'s member follows.

    Private unless the member chose ``show_followed_topics`` (off by default):
    the topics someone follows can say what they live with. The owner always.
    """
    is_owner = viewer is not None and viewer.is_authenticated and viewer.pk == profile.user_id
    return is_owner or profile.show_followed_topics


def topics_followed(
    *, viewer: User | AnonymousUser | None, profile: Profile, limit: int = 100
) -> list[Tag]:
    """The tags ``profile``'s member follows that carry at least one item ``viewer`` may read.

    Empty, without a query, when the member keeps their topics to themselves
    (``followed_topics_visible``): the same answer as following none.
    """
    if not followed_topics_visible(viewer=viewer, profile=profile):
        return []
    return list(
        readable_tags(user=viewer)
        .filter(followers__follower_id=profile.user_id)
        .order_by("name")[:limit]
    )


# The reader's id in the ties query compiled once (core.prepared): no account has
# these. Per thread (a compiler holds its thread's connection).
_FOLLOWER = -770_000_041
_BLOCKED = -770_000_037
_compiled = threading.local()


def _ties_queryset(follower_id: int, blocked_id: int) -> QuerySet:
    return (
        MemberFollow.objects.filter(follower_id=follower_id)
        .annotate(kind=Value("follows"))
        .values_list("followee_id", "kind")
        .union(
            MemberBlock.objects.filter(blocked_id=blocked_id)
            .annotate(kind=Value("blocked_by"))
            .values_list("blocker_id", "kind")
        )
    )


def _ties_rows(user_id: int) -> list:
    """``(user id, "follows" or "blocked_by")`` rows of ``user_id``'s ties.

    Asked on every page a signed-in reader sees a byline on: the union is
    compiled once per database and thread and run again with the reader's id
    (issue 17; building and compiling it was ~0.8 ms of a member's item page).
    """
    alias = router.db_for_read(MemberFollow)
    query = prepared(
        _compiled.__dict__,
        alias,
        lambda: _ties_queryset(_FOLLOWER, _BLOCKED),
        alias,
        {"follower_id": _FOLLOWER, "blocked_id": _BLOCKED},
    )
    if query is None:
        return list(_ties_queryset(user_id, user_id))
    return query.rows(follower_id=user_id, blocked_id=user_id)


def viewer_ties(request: HttpRequest) -> tuple[frozenset[int], frozenset[int]]:
    """``(followed, blocked_by)``: user ids the signed-in reader follows and who block them.

    One query per request, remembered on the request, so a listing can show a
    follow button next to every byline without a query per card.
    """
    cached = getattr(request, "_social_viewer_ties", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    followed, blocked_by = set(), set()
    if user is not None and user.is_authenticated:
        for user_id, kind in _ties_rows(user.pk):
            (followed if kind == "follows" else blocked_by).add(user_id)
    cached = (frozenset(followed), frozenset(blocked_by))
    request._social_viewer_ties = cached
    return cached


def blocks_and_mutes(*, user: User) -> tuple[list[MemberBlock], list[MemberMute]]:
    """``(blocks, mutes)`` made by ``user``, newest first, with the other member's profile."""
    blocks = list(
        MemberBlock.objects.filter(blocker=user)
        .select_related("blocked__profile")
        .order_by("-created_at", "-pk")
    )
    mutes = list(
        MemberMute.objects.filter(muter=user)
        .select_related("muted__profile")
        .order_by("-created_at", "-pk")
    )
    return blocks, mutes


def relation_target(*, viewer: User, handle: str, relation: str) -> Profile | None:
    """The member named by ``handle`` for undoing ``viewer``'s ``relation`` to them, or ``None``.

    ``relation`` is "follow", "block" or "mute". Undoing works on any member
    ``viewer`` has that tie with, even one whose profile has since been
    hidden (a member must always be able to unblock); for anyone else the
    answer is ``None``, as for a missing profile.
    """
    if not isinstance(handle, str) or not HANDLE_PATTERN.fullmatch(handle):
        return None
    ties = {
        "follow": Q(user__followers__follower=viewer),
        "block": Q(user__blocks_received__blocker=viewer),
        "mute": Q(user__mutes_received__muter=viewer),
    }
    profile = Profile.objects.select_related("user").filter(ties[relation], handle=handle).first()
    return profile or visible_profile(viewer=viewer, handle=handle)


def replier_is_blocked(*, replier: User, author_ids: Iterable[int]) -> bool:
    """Whether any of ``author_ids`` (comment authors) blocked ``replier`` (one query)."""
    return MemberBlock.objects.filter(blocked=replier, blocker_id__in=author_ids).exists()


def topic_followed(*, user: User, tag: Tag) -> bool:
    """Whether the signed-in ``user`` follows ``tag``."""
    return TopicFollow.objects.filter(follower=user, tag=tag).exists()
