"""Shared helpers for the social-layer tests: members with profiles, follows, posting buttons."""

from social.models import Profile
from tests.factories import ProfileFactory, UserFactory

EVERYONE, MEMBERS, ONLY_ME = (
    Profile.Visibility.EVERYONE,
    Profile.Visibility.MEMBERS,
    Profile.Visibility.ONLY_ME,
)


def person(name, *, visibility=MEMBERS, **profile_fields):
    """A member in the Members group with a profile of ``visibility``."""
    user = UserFactory(group="Members", display_name=name)
    ProfileFactory(user=user, visibility=visibility, **profile_fields)
    return user


def handle_of(user):
    return user.profile.handle


def url(user, action=""):
    """``/members/<handle>/<action>/`` (or the profile itself)."""
    base = f"/members/{handle_of(user)}/"
    return f"{base}{action}/" if action else base
