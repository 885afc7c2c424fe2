"""Writes to profiles: creating one on demand, saving the member's edits, renewing the handle."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from core.models import Condition
from social.avatars import PreparedAvatar
from social.models import HANDLE_MAX_LENGTH, Profile, ProfileHandle, ProfileVisibility

if TYPE_CHECKING:
    from accounts.models import User

HANDLE_SUFFIX_LENGTH = 6
# Lowercase letters and digits without look-alikes (0/o, 1/l) so a handle
# read aloud or copied by hand still works.
HANDLE_ALPHABET = "".join(c for c in string.ascii_lowercase + string.digits if c not in "01lo")
HANDLE_STEM_MAX_LENGTH = 40
HANDLE_ATTEMPTS = 8
# From the widest audience to the narrowest: a move to the right hides the profile
# from people who could see it (and its avatar's address) before.
VISIBILITY_WIDTH = {
    ProfileVisibility.EVERYONE: 2,
    ProfileVisibility.MEMBERS: 1,
    ProfileVisibility.ONLY_ME: 0,
}


def _handle_stem(display_name: str) -> str:
    # Only the display name (already public) goes into the handle, never the
    # username or email; names with no Latin letters fall back to "member".
    return slugify(display_name or "")[:HANDLE_STEM_MAX_LENGTH].strip("-") or "member"


def _random_suffix() -> str:
    return "".join(secrets.choice(HANDLE_ALPHABET) for _ in range(HANDLE_SUFFIX_LENGTH))


def _new_handle(display_name: str) -> str:
    handle = f"{_handle_stem(display_name)}-{_random_suffix()}"
    assert len(handle) <= HANDLE_MAX_LENGTH
    return handle


def handle_carries_name(*, handle: str, display_name: str) -> bool:
    """Whether ``handle`` is made from ``display_name`` (the part before its random suffix)."""
    return handle.rsplit("-", 1)[0] == _handle_stem(display_name)


def profile_get_or_create(*, user: User) -> Profile:
    """The profile of ``user``, created with a fresh unique handle if they have none.

    The handle is the slugified display name plus a random suffix, recorded
    in ``ProfileHandle`` so it is never given to anyone else. Safe under
    concurrent calls: a race for the same user returns the profile the other
    request made, and a (very unlikely) handle collision is retried with a
    new suffix.
    """
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    for _ in range(HANDLE_ATTEMPTS):
        try:
            with transaction.atomic():
                handle = _new_handle(user.display_name)
                profile = Profile.objects.create(user=user, handle=handle)
                ProfileHandle.objects.create(profile=profile, handle=handle)
                return profile
        except IntegrityError:
            # Either another request made this user's profile meanwhile, or
            # the handle is taken (now or in the past): find out which.
            profile = Profile.objects.filter(user=user).first()
            if profile is not None:
                return profile
    raise RuntimeError("Could not find a free profile handle")  # pragma: no cover


def profile_handle_renew(*, profile: Profile, display_name: str) -> bool:
    """Give ``profile`` a new handle made from ``display_name`` if its handle carries
    another name; returns whether it changed.

    The old handle stays recorded (never given to anyone else); it leads to
    the profile only if the member turned ``redirect_former_handles`` on
    (``social.selectors.former_handle_target``). Call it inside the
    transaction that changes the name, with the profile row locked.
    """
    if handle_carries_name(handle=profile.handle, display_name=display_name):
        return False
    # Profiles older than ProfileHandle were backfilled by migration 0006;
    # this covers one made some other way, so its address is never reissued.
    if not ProfileHandle.objects.filter(handle=profile.handle).exists():
        ProfileHandle.objects.create(profile=profile, handle=profile.handle)
    for _ in range(HANDLE_ATTEMPTS):
        handle = _new_handle(display_name)
        try:
            with transaction.atomic():
                ProfileHandle.objects.create(profile=profile, handle=handle)
                Profile.objects.filter(pk=profile.pk).update(handle=handle)
        except IntegrityError:
            continue  # given before, to this member or another: draw again
        profile.handle = handle
        return True
    raise RuntimeError("Could not find a free profile handle")  # pragma: no cover


def _narrows(old: str, new: str) -> bool:
    return VISIBILITY_WIDTH.get(new, 0) < VISIBILITY_WIDTH.get(old, 0)


def _avatar_move(profile: Profile) -> None:
    """Store ``profile``'s avatar under a new random name and delete the old file after commit.

    Avatars are public media files: anyone who saw the address while the
    profile was open to them could keep fetching it. When the profile is
    hidden from more people, the picture moves, so old addresses answer 404.
    The name is 128 random bits (``social.avatars``), so the new one cannot be
    guessed. Call it with the profile row locked; the caller saves the row.
    """
    if not profile.avatar:
        return
    old_name = profile.avatar.name
    storage = profile.avatar.storage
    if not storage.exists(old_name):
        profile.avatar = ""
        return
    with storage.open(old_name, "rb") as old_file:
        content = old_file.read()
    extension = old_name.rsplit(".", 1)[-1] if "." in old_name else "jpg"
    profile.avatar.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(content), save=False)
    transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    bio: str,
    conditions: Iterable[Condition],
    visibility: str,
    show_in_suggestions: bool,
    show_follow_lists: bool = True,
    show_followed_topics: bool | None = None,
    redirect_former_handles: bool | None = None,
    avatar: PreparedAvatar | None = None,
    remove_avatar: bool = False,
) -> Profile:
    """Save what the member edits on /me/profile/ and return their profile.

    ``display_name`` goes to the user (it is their only public name); the
    rest to the profile. Values must already be validated (``ProfileForm``).
    A new display name gives the profile a new handle (``profile_handle_renew``);
    ``redirect_former_handles`` and ``show_followed_topics`` None leave that
    choice as it is.
    ``avatar`` is a ``social.avatars.PreparedAvatar`` (never a raw upload): it
    is stored under a random name. The previous avatar file is deleted once
    the transaction commits, whether it was replaced or ``remove_avatar`` is
    set, so no orphaned photo of the member stays on disk. A visibility
    narrower than before moves a kept avatar to a new address (``_avatar_move``).
    """
    # The name first: a profile made by this save takes its handle from the
    # new name, never from the one being replaced.
    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    profile = profile_get_or_create(user=user)
    # Lock the row so two concurrent edits cannot both keep the old file
    # name and leave one new file orphaned, nor both renew the handle.
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    profile_handle_renew(profile=profile, display_name=display_name)
    if redirect_former_handles is not None:
        profile.redirect_former_handles = redirect_former_handles
    if show_followed_topics is not None:
        profile.show_followed_topics = show_followed_topics

    old_avatar_name = profile.avatar.name if profile.avatar else ""
    if avatar is None and not remove_avatar and _narrows(profile.visibility, visibility):
        # Hidden from more people: the picture moves to a new address (and the
        # old file is deleted below, like a replaced one).
        _avatar_move(profile)
    if avatar is not None:
        profile.avatar.save(avatar.random_name(), ContentFile(avatar.content), save=False)
    elif remove_avatar:
        profile.avatar = ""

    profile.bio = bio
    profile.visibility = visibility
    profile.show_in_suggestions = show_in_suggestions
    profile.show_follow_lists = show_follow_lists
    try:
        profile.save()
        profile.conditions.set(conditions)
    except Exception:
        # The new file is already on disk; do not leave it behind if the
        # row that names it is never written.
        if avatar is not None:
            profile.avatar.storage.delete(profile.avatar.name)
        raise

    if old_avatar_name and old_avatar_name != profile.avatar.name:
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar_name))
    return profile


def profile_visibility_set(*, user: User, visibility: str) -> Profile:
    """Set who may see ``user``'s profile (a ``ProfileVisibility`` value); return the profile.

    Only the visibility column (and the avatar, when it moves) is written, so
    a profile edited meanwhile in another tab keeps its other fields (the
    welcome steps use this). An unknown value is refused (``ValueError``)
    before the database's check constraint would be. A narrower visibility
    moves the avatar to a new address (``_avatar_move``).
    """
    if visibility not in ProfileVisibility.values:
        raise ValueError(f"Unknown profile visibility: {visibility!r}")
    profile = profile_get_or_create(user=user)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        fields = ["visibility", "updated_at"]
        if _narrows(profile.visibility, visibility) and profile.avatar:
            _avatar_move(profile)
            fields.append("avatar")
        profile.visibility = visibility
        # updated_at is auto_now: naming it here keeps it current.
        profile.save(update_fields=fields)
    return profile
