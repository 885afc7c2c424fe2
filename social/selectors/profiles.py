"""Reads for profile pages and bylines.

Which content a viewer may read is decided by ``core.selectors`` alone;
these functions only narrow it to one member and decide who may see a profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from core.models import CommunityMembership, CommunityPage, ContentPage
from core.selectors import content_listing, readable_content
from social.models import (
    HANDLE_MAX_LENGTH,
    MemberBlock,
    MemberFollow,
    MemberMute,
    Profile,
    ProfileHandle,
    initials_for,
)

if TYPE_CHECKING:
    from accounts.models import User

HANDLE_PATTERN = re.compile(rf"[a-z0-9-]{{1,{HANDLE_MAX_LENGTH}}}")


def own_profile(*, user: User) -> Profile:
    """``user``'s profile, or an unsaved one with the defaults if they have none yet.

    For the edit form: reading it never creates anything (the first save
    does, through ``social.services.profile_update``). Check ``.pk`` before
    linking to it.
    """
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def visible_profile(*, viewer: User | AnonymousUser | None, handle: str) -> Profile | None:
    """The profile with ``handle`` if ``viewer`` may see it, otherwise ``None``.

    A profile that exists but is hidden from ``viewer`` and one that does not
    exist give the same ``None``, so callers answer both with the same 404.
    Anything that cannot be a handle is answered without a query. The user,
    their groups (for the role badge) and conditions come in the same go.

    A member who blocked ``viewer`` is seen by them only as an anonymous
    visitor would see them (so only a profile open to everyone). For a
    signed-in viewer looking at someone else, the same query tells whether
    they follow, block or mute that member (``viewer_follows``,
    ``viewer_blocks``, ``viewer_mutes``) for the buttons on the page.
    """
    if not isinstance(handle, str) or not HANDLE_PATTERN.fullmatch(handle):
        return None
    queryset = Profile.objects.select_related("user").prefetch_related("user__groups", "conditions")
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in:
        queryset = with_relations_to(queryset, viewer=viewer)
    profile = queryset.filter(handle=handle).first()
    if profile is None:
        return None
    if signed_in and profile.user_id != viewer.pk and profile.blocks_viewer:
        viewer = AnonymousUser()
    if not profile.is_visible_to(viewer):
        return None
    return profile


def former_handle_target(*, viewer: User | AnonymousUser | None, handle: str) -> Profile | None:
    """The profile that used to have ``handle``, if its member keeps their old addresses
    working and ``viewer`` may see the profile; otherwise ``None``.

    An old handle carries a name the member has since changed, so it leads
    anywhere only with their opt-in (``Profile.redirect_former_handles``);
    without it, and for a profile hidden from ``viewer``, callers answer the
    same 404 as for a missing member. Two queries at most, only ever asked
    after the handle matched no current profile.
    """
    if not isinstance(handle, str) or not HANDLE_PATTERN.fullmatch(handle):
        return None
    current = (
        ProfileHandle.objects.filter(handle=handle, profile__redirect_former_handles=True)
        .exclude(profile__handle=handle)
        .values_list("profile__handle", flat=True)
        .first()
    )
    if current is None:
        return None
    return visible_profile(viewer=viewer, handle=current)


def with_relations_to(queryset: QuerySet[Profile], *, viewer: User) -> QuerySet[Profile]:
    """``queryset`` of profiles annotated with ``viewer``'s ties to each, in the same query.

    ``viewer_follows``, ``viewer_blocks``, ``viewer_mutes`` and
    ``blocks_viewer`` (the member blocked the viewer) are booleans.
    """
    member = OuterRef("user_id")
    return queryset.annotate(
        viewer_follows=Exists(MemberFollow.objects.filter(follower=viewer, followee=member)),
        viewer_blocks=Exists(MemberBlock.objects.filter(blocker=viewer, blocked=member)),
        viewer_mutes=Exists(MemberMute.objects.filter(muter=viewer, muted=member)),
        blocks_viewer=Exists(MemberBlock.objects.filter(blocker=member, blocked=viewer)),
    )


def profile_communities(
    *, viewer: User | AnonymousUser | None, profile: Profile
) -> list[CommunityPage]:
    """The communities a profile lists: where its member chose to show them, and ``viewer`` may see.

    Only active memberships the member marked "show on my profile"
    (``CommunityMembership.show_on_profile``), and only communities whose
    page ``viewer`` may see (``readable_content``: listed ones, and an
    unlisted one only to its own members and invitees). One query, whatever
    the number of communities.
    """
    shown = CommunityMembership.objects.filter(
        user_id=profile.user_id, state=CommunityMembership.State.ACTIVE, show_on_profile=True
    ).values("community_id")
    queryset = CommunityPage.objects.filter(pk__in=shown)
    return list(readable_content(user=viewer, queryset=queryset).order_by("title"))


def profile_items(
    *, viewer: User | AnonymousUser | None, profile: Profile
) -> QuerySet[ContentPage]:
    """What the profile page lists: the member's items ``viewer`` may read, newest first.

    Starts from ``content_listing`` (so drafts, items in review and anything
    else ``viewer`` may not read never pass) and leaves out stories published
    anonymously: listing them here would tie them to the member.
    """
    return content_listing(user=viewer).filter(author_id=profile.user_id, is_anonymous=False)


def author_profile(*, viewer: User | AnonymousUser | None, item: ContentPage) -> Profile | None:
    """The author's profile for ``item``'s byline link, or ``None`` for plain text.

    ``None`` when the item is anonymous, has no author or profile, or the
    profile is hidden from ``viewer``. Reads only what is already loaded when
    the listing used ``select_related("author__profile")``. On a detail page
    the author is not loaded yet: it is fetched with the profile in one
    query and cached on the page, so the byline that follows costs nothing.
    """
    if item.is_anonymous or item.author_id is None:
        return None
    if not item._meta.get_field("author").is_cached(item):
        author = get_user_model().objects.select_related("profile").filter(pk=item.author_id)
        author = author.first()
        if author is None:
            return None
        item.author = author
    author = item.author
    try:
        profile = author.profile
    except Profile.DoesNotExist:
        return None
    return profile if profile.is_visible_to(viewer) else None


@dataclass(frozen=True)
class MemberFace:
    """What a reader may see of a member beside something they wrote or in a list.

    ``initials`` always (made from the public name, which signs their
    comments anyway); ``profile_url`` and ``avatar_url`` only when the reader
    may see the profile. Templates render an avatar only from here.
    """

    initials: str
    profile_url: str = ""
    avatar_url: str = ""


def member_face(
    *, user: User | None, viewer: User | AnonymousUser | None, blocks_viewer: bool = False
) -> MemberFace:
    """The one rule for showing a member's face (avatar, profile link, handle) to ``viewer``.

    A profile hidden from ``viewer`` (``Profile.is_visible_to``: "only me" to
    anyone but its owner, "members" to visitors, any profile of a deactivated
    account) shows nothing of itself: no avatar, no link, so no handle, only
    the initials. A member who blocks ``viewer`` (``blocks_viewer``, read by
    the caller's query) is seen by them as a visitor sees them. Pure Python
    on loaded fields (``select_related("user__profile")``): no query.
    """
    if user is None:
        return MemberFace(initials="?")
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        return MemberFace(initials=initials_for(user.public_name))
    return profile_face(profile=profile, viewer=viewer, blocks_viewer=blocks_viewer)


def profile_face(
    *, profile: Profile, viewer: User | AnonymousUser | None, blocks_viewer: bool = False
) -> MemberFace:
    """``member_face`` for a profile already in hand (lists, the profile page, the edit form)."""
    initials = initials_for(profile.user.public_name)
    if profile.pk is None:
        # The owner's unsaved profile on their own edit form: nothing stored yet.
        return MemberFace(initials=initials)
    seen_by = AnonymousUser() if blocks_viewer else viewer
    if not profile.is_visible_to(seen_by):
        return MemberFace(initials=initials)
    return MemberFace(
        initials=initials,
        profile_url=profile.get_absolute_url(),
        avatar_url=profile.avatar.url if profile.avatar else "",
    )
