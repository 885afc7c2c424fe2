"""Shared by the membership tests: communities of each join policy and the people in them."""

from core.models import CommunityIndexPage, CommunityMembership, CommunityPage
from tests.factories import ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

State = CommunityMembership.State
Role = CommunityMembership.Role
OPEN, REQUEST, INVITATION = (
    CommunityPage.JoinPolicy.OPEN,
    CommunityPage.JoinPolicy.REQUEST,
    CommunityPage.JoinPolicy.INVITATION,
)


def community(policy=OPEN, **fields):
    """A published community with ``policy`` under the communities index."""
    return CommunityPageFactory(
        parent=CommunityIndexPage.objects.get(), join_policy=policy, **fields
    )


def person(name="Someone", **profile):
    """A member of Kindred with a profile (so they have a handle)."""
    user = UserFactory(group="Members", display_name=name)
    ProfileFactory(user=user, **profile)
    return user


def moderator_of(place, name="Moddy"):
    user = person(name)
    CommunityMembershipFactory(community=place, user=user, role=Role.MODERATOR)
    return user


def member_of(place, name="Mem", **fields):
    user = person(name)
    return CommunityMembershipFactory(community=place, user=user, **fields)


def row(place, user):
    return CommunityMembership.objects.filter(community=place, user=user).first()
