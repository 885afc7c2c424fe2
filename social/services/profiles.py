"""Writes to profiles: creating one on demand and saving the member's edits."""

import secrets
import string

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from social.models import HANDLE_MAX_LENGTH, Profile

HANDLE_SUFFIX_LENGTH = 6
# Lowercase letters and digits without look-alikes (0/o, 1/l) so a handle
# read aloud or copied by hand still works.
HANDLE_ALPHABET = "".join(c for c in string.ascii_lowercase + string.digits if c not in "01lo")
HANDLE_STEM_MAX_LENGTH = 40
HANDLE_ATTEMPTS = 8


def _new_handle(display_name):
    # Only the display name (already public) goes into the handle, never the
    # username or email; names with no Latin letters fall back to "member".
    stem = slugify(display_name or "")[:HANDLE_STEM_MAX_LENGTH].strip("-") or "member"
    suffix = "".join(secrets.choice(HANDLE_ALPHABET) for _ in range(HANDLE_SUFFIX_LENGTH))
    handle = f"{stem}-{suffix}"
    assert len(handle) <= HANDLE_MAX_LENGTH
    return handle


def profile_get_or_create(*, user):
    """The profile of ``user``, created with a fresh unique handle if they have none.

    The handle is the slugified display name plus a random suffix and is
    never changed afterwards. Safe under concurrent calls: a race for the
    same user returns the profile the other request made, and a (very
    unlikely) handle collision is retried with a new suffix.
    """
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    for _ in range(HANDLE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Profile.objects.create(user=user, handle=_new_handle(user.display_name))
        except IntegrityError:
            # Either another request made this user's profile meanwhile, or
            # the handle is taken: find out which.
            profile = Profile.objects.filter(user=user).first()
            if profile is not None:
                return profile
    raise RuntimeError("Could not find a free profile handle")  # pragma: no cover


@transaction.atomic
def profile_update(
    *,
    user,
    display_name,
    bio,
    conditions,
    visibility,
    show_in_suggestions,
    show_follow_lists=True,
    avatar=None,
    remove_avatar=False,
):
    """Save what the member edits on /me/profile/ and return their profile.

    ``display_name`` goes to the user (it is their only public name); the
    rest to the profile. Values must already be validated (``ProfileForm``).
    ``avatar`` is a ``social.avatars.PreparedAvatar`` (never a raw upload): it
    is stored under a random name. The previous avatar file is deleted once
    the transaction commits, whether it was replaced or ``remove_avatar`` is
    set, so no orphaned photo of the member stays on disk.
    """
    profile = profile_get_or_create(user=user)
    # Lock the row so two concurrent edits cannot both keep the old file
    # name and leave one new file orphaned.
    profile = Profile.objects.select_for_update().get(pk=profile.pk)

    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])

    old_avatar_name = profile.avatar.name if profile.avatar else ""
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
