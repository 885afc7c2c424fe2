"""Profiles: made on demand, with a handle that is unique, stable and says nothing private."""

from django.db import IntegrityError, transaction

import pytest

from core import roles
from social.models import Profile, initials_for
from social.services import profile_get_or_create
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_is_created_once_per_user(member):
    first = profile_get_or_create(user=member)
    second = profile_get_or_create(user=member)

    assert first.pk == second.pk
    assert Profile.objects.filter(user=member).count() == 1
    assert first.visibility == Profile.Visibility.MEMBERS, "signed-in members by default"
    assert first.show_in_suggestions is False, "suggestions are opt-in"


def test_handle_is_display_name_plus_random_suffix_never_username_or_email(portal):
    user = UserFactory(username="jane.private", email="jane@example.org", display_name="Sky Walker")

    handle = profile_get_or_create(user=user).handle

    assert handle.startswith("sky-walker-")
    assert len(handle.rsplit("-", 1)[1]) == 6
    assert "jane" not in handle and "example" not in handle


@pytest.mark.parametrize("display_name", ["", "张伟", "!!!", "   "])
def test_handle_falls_back_to_member_when_the_name_has_no_slug(portal, display_name):
    user = UserFactory(username="secret-username", display_name=display_name)

    handle = profile_get_or_create(user=user).handle

    assert handle.startswith("member-")
    assert "secret" not in handle


def test_handles_are_unique_for_identical_display_names(portal):
    users = [UserFactory(display_name="Same Name") for _ in range(20)]

    handles = {profile_get_or_create(user=user).handle for user in users}

    assert len(handles) == 20


def test_handle_is_unique_in_the_database(member, expert):
    taken = profile_get_or_create(user=member).handle

    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=expert, handle=taken)


def test_handle_follows_a_changed_display_name(client, member):
    # The rest of the story (old addresses, the opt-in): test_profile_handles.py.
    handle = profile_get_or_create(user=member).handle
    client.force_login(member)

    response = client.post(
        "/me/profile/", {"display_name": "A Completely New Name", "visibility": "members"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "A Completely New Name"
    new = Profile.objects.get(user=member).handle
    assert new != handle and new.startswith("a-completely-new-name-")


def test_long_display_names_give_a_handle_that_fits(portal):
    user = UserFactory(display_name="x" * 60)

    handle = profile_get_or_create(user=user).handle

    assert len(handle) <= Profile._meta.get_field("handle").max_length


@pytest.mark.parametrize(
    ("group", "label"),
    [
        (roles.EXPERTS, "Verified expert"),
        (roles.EDITORS, "Reviewer"),
        (roles.MEDICAL_REVIEWERS, "Reviewer"),
        (roles.MEMBERS, "Member"),
        (None, "Member"),
    ],
)
def test_role_badge_is_derived_from_groups(portal, group, label):
    profile = ProfileFactory(user=UserFactory(group=group))

    assert profile.role_badge.label == label


def test_expert_badge_wins_over_reviewer(portal):
    from django.contrib.auth.models import Group

    user = UserFactory(group=roles.EXPERTS)
    user.groups.add(Group.objects.get(name=roles.EDITORS))

    assert ProfileFactory(user=user).role_badge.label == "Verified expert"


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Sky Walker", "SW"), ("sky", "S"), ("", "?"), ("Anne Marie Smith", "AM"), ("— x", "X")],
)
def test_initials(name, initials):
    assert initials_for(name) == initials


def test_database_refuses_an_unknown_visibility(member):
    profile = profile_get_or_create(user=member)
    profile.visibility = "root"

    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()
