"""The decisions community managers take in the admin (``communities.manager_services``).

Each runs under the membership lock and writes only what it decides, so a
copy of the row loaded before someone left or was removed cannot bring them
back or break the "moderators are active members" constraint.
"""

from wagtail.models import WorkflowState

import pytest

from communities.manager_services import membership_remove_by_manager, membership_role_set
from core.models import Audience, CommunityIndexPage, CommunityMembership
from core.refusals import Refused
from moderation.services import page_submit_for_review
from social.models import Notification
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

Role, State = CommunityMembership.Role, CommunityMembership.State


@pytest.fixture
def community(portal):
    return CommunityPageFactory(parent=CommunityIndexPage.objects.get(), title="Carers and family")


@pytest.fixture
def membership(community):
    return CommunityMembershipFactory(community=community, user=UserFactory(display_name="Sam"))


def _stale_copy_after(membership, **changes):
    """The row as a form loaded it, after someone else changed ``changes`` in the database."""
    stale = CommunityMembership.objects.select_related("user", "community").get(pk=membership.pk)
    CommunityMembership.objects.filter(pk=membership.pk).update(**changes)
    return stale


def test_role_set_appoints_and_stands_down(membership, manager):
    assert membership_role_set(
        membership=membership, role=Role.MODERATOR, actor=manager
    ).is_moderator
    assert CommunityMembership.objects.get(pk=membership.pk).role == Role.MODERATOR

    membership_role_set(membership=membership, role=Role.MEMBER, actor=manager)

    assert CommunityMembership.objects.get(pk=membership.pk).role == Role.MEMBER


@pytest.mark.parametrize("state", [State.REMOVED, State.REQUESTED, State.INVITED, State.REFUSED])
def test_role_set_on_a_stale_copy_never_brings_someone_back(membership, manager, state):
    stale = _stale_copy_after(membership, state=state)

    with pytest.raises(Refused) as refusal:
        membership_role_set(membership=stale, role=Role.MODERATOR, actor=manager)

    fresh = CommunityMembership.objects.get(pk=membership.pk)
    assert refusal.value.status == 409
    assert "Sam is not a member of Carers and family now" in refusal.value.message
    assert (fresh.state, fresh.role) == (state, Role.MEMBER)


def test_role_set_after_the_person_left_is_refused(membership, manager):
    stale = CommunityMembership.objects.select_related("user", "community").get(pk=membership.pk)
    CommunityMembership.objects.filter(pk=membership.pk).delete()

    with pytest.raises(Refused, match="they left"):
        membership_role_set(membership=stale, role=Role.MODERATOR, actor=manager)

    assert not CommunityMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("role", ["", "owner", None, 3])
def test_role_set_refuses_unknown_roles(membership, manager, role):
    with pytest.raises(Refused):
        membership_role_set(membership=membership, role=role, actor=manager)


def test_manager_removal_keeps_the_row_tells_the_person_and_stands_a_moderator_down(
    membership, manager
):
    CommunityMembership.objects.filter(pk=membership.pk).update(role=Role.MODERATOR)

    membership_remove_by_manager(
        membership=membership, reason="  Shared a member's story elsewhere.  ", actor=manager
    )

    fresh = CommunityMembership.objects.get(pk=membership.pk)
    assert (fresh.state, fresh.role) == (State.REMOVED, Role.MEMBER)
    assert fresh.reason == "Shared a member's story elsewhere."
    assert Notification.objects.filter(recipient=membership.user).count() == 1


def test_removing_a_stale_copy_twice_changes_nothing_the_second_time(membership, manager):
    membership_remove_by_manager(membership=membership, reason="First.", actor=manager)

    with pytest.raises(Refused):
        membership_remove_by_manager(membership=membership, reason="Second.", actor=manager)

    assert CommunityMembership.objects.get(pk=membership.pk).reason == "First."


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_removal_needs_a_reason_of_sensible_length(membership, manager, reason):
    with pytest.raises(Refused) as refusal:
        membership_remove_by_manager(membership=membership, reason=reason, actor=manager)

    assert refusal.value.status == 400
    assert CommunityMembership.objects.get(pk=membership.pk).state == State.ACTIVE


def test_manager_removal_withdraws_the_persons_items_in_review_there(
    membership, manager, community, blog_index
):
    """As a moderator's removal does: nothing they sent to this community can be published."""
    item = BlogPageFactory(
        parent=blog_index,
        author=membership.user,
        publish=False,
        audience=Audience.COMMUNITY,
        community=community,
    )
    page_submit_for_review(page=item, user=membership.user)
    assert WorkflowState.objects.active().filter(object_id=str(item.pk)).exists()

    membership_remove_by_manager(membership=membership, reason="Off topic.", actor=manager)

    assert not WorkflowState.objects.active().filter(object_id=str(item.pk)).exists()
    item.refresh_from_db()
    assert not item.live
