"""Membership services: joining by each policy, leaving, rules, invitations, decisions, removal."""

from django.core import mail

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest

from communities import services
from communities.services import APPROVE, REFUSE
from core.refusals import Refused
from core.selectors import community_member_in_good_standing
from social.models import Notification
from social.notifications.selectors import notification_entries, notifications_for
from tests.factories.communities import CommunityMembershipFactory

from .members_world import (
    INVITATION,
    OPEN,
    REQUEST,
    Role,
    State,
    community,
    member_of,
    moderator_of,
    person,
    row,
)

pytestmark = pytest.mark.django_db


def join(user, place, *, version=None, accept=True):
    return services.membership_join(
        user=user,
        community=place,
        accept_rules=accept,
        rules_version=place.rules_version if version is None else version,
    )


# --- Joining -------------------------------------------------------------------


def test_joining_an_open_community_makes_an_active_member_with_the_rules_recorded(portal):
    place, alice = community(OPEN), person("Alice")
    place.rules_version = 3
    place.save()

    change = join(alice, place, version=3)

    membership = row(place, alice)
    assert (membership.state, membership.role, membership.rules_version) == ("active", "member", 3)
    assert membership.rules_accepted_at is not None
    assert change.changed and change.message == f"Welcome to “{place.title}”."
    assert community_member_in_good_standing(user=alice, community=place)


def test_joining_on_request_asks_the_moderators(portal):
    place, alice = community(REQUEST), person("Alice")

    join(alice, place)

    assert row(place, alice).state == "requested"
    assert not community_member_in_good_standing(user=alice, community=place)


def test_joining_by_invitation_only_is_refused_unless_invited(portal):
    place, alice = community(INVITATION), person("Alice")

    with pytest.raises(Refused) as refused:
        join(alice, place)

    assert refused.value.status == 403
    assert "invitation only" in refused.value.message
    assert row(place, alice) is None


def test_joining_when_invited_accepts_the_invitation(portal):
    place, alice = community(INVITATION), person("Alice")
    services.invitation_create(
        moderator=moderator_of(place), community=place, handle=alice.profile.handle
    )

    join(alice, place)

    assert row(place, alice).state == "active"


def test_joining_needs_the_rules_ticked_and_the_current_version(portal):
    place, alice = community(OPEN), person("Alice")
    place.rules_version = 2
    place.save()

    with pytest.raises(Refused) as unticked:
        join(alice, place, version=2, accept=False)
    with pytest.raises(Refused) as stale:
        join(alice, place, version=1)

    assert unticked.value.status == 400
    assert stale.value.status == 409
    assert "changed" in stale.value.message and "read them again" in stale.value.message
    assert row(place, alice) is None


def test_a_removed_person_joining_an_open_community_gets_a_request(portal):
    place = community(OPEN)
    removed = member_of(place, "Rex", state=State.REMOVED, reason="Spam")

    join(removed.user, place)

    assert row(place, removed.user).state == "requested"
    assert row(place, removed.user).reason == ""


def test_a_refused_person_may_ask_again(portal):
    place = community(REQUEST)
    refused = member_of(place, "Ref", state=State.REFUSED, reason="Not yet")

    change = join(refused.user, place)

    assert change.changed and row(place, refused.user).state == "requested"


def test_joining_twice_changes_nothing_the_second_time(portal):
    place, alice = community(OPEN), person("Alice")
    join(alice, place)

    again = join(alice, place)

    assert not again.changed
    assert again.membership.state == "active"


# --- Leaving -----------------------------------------------------------------


def test_leaving_deletes_the_row_and_a_moderator_may_leave_too(portal):
    place = community(OPEN)
    alice, mod = member_of(place, "Alice").user, moderator_of(place)

    services.membership_leave(user=alice, community=place)
    services.membership_leave(user=mod, community=place)

    assert row(place, alice) is None and row(place, mod) is None
    assert not community_member_in_good_standing(user=alice, community=place)


def test_leaving_keeps_a_removal(portal):
    place = community(OPEN)
    removed = member_of(place, "Rex", state=State.REMOVED, reason="Spam")

    change = services.membership_leave(user=removed.user, community=place)

    assert not change.changed
    assert row(place, removed.user).state == "removed"


def test_leaving_withdraws_a_request(portal):
    place, alice = community(REQUEST), person("Alice")
    join(alice, place)

    services.membership_leave(user=alice, community=place)

    assert row(place, alice) is None


# --- Rules -------------------------------------------------------------------


def test_a_change_of_rules_asks_again_until_accepted(portal):
    place = community(OPEN)
    alice = member_of(place, "Alice").user
    place.rules_version = place.rules_version + 1
    place.save()
    new_version = place.rules_version

    assert not community_member_in_good_standing(user=alice, community=place)
    with pytest.raises(Refused) as stale:
        services.rules_accept(
            user=alice, community=place, accept_rules=True, rules_version=new_version - 1
        )
    assert stale.value.status == 409

    services.rules_accept(user=alice, community=place, accept_rules=True, rules_version=new_version)

    assert row(place, alice).rules_version == new_version
    assert community_member_in_good_standing(user=alice, community=place)


def test_only_members_accept_rules(portal):
    place, alice = community(OPEN), person("Alice")

    with pytest.raises(Refused) as refused:
        services.rules_accept(
            user=alice, community=place, accept_rules=True, rules_version=place.rules_version
        )

    assert refused.value.status == 403


# --- Invitations ----------------------------------------------------------------


def test_a_moderator_invites_by_handle_and_the_person_is_told(portal):
    place, mod, alice = community(INVITATION), None, person("Alice")
    mod = moderator_of(place, "Mona")

    services.invitation_create(moderator=mod, community=place, handle=alice.profile.handle)

    membership = row(place, alice)
    assert (membership.state, membership.invited_by) == ("invited", mod)
    (entry,) = notification_entries(user=alice, notifications=notifications_for(user=alice))
    assert entry.available
    assert entry.text == f"Mona invited you to join “{place.title}”."
    assert entry.target_url == place.url


def test_only_moderators_invite(portal):
    place = community(OPEN)
    plain, alice = member_of(place, "Plain").user, person("Alice")

    with pytest.raises(Refused) as refused:
        services.invitation_create(moderator=plain, community=place, handle=alice.profile.handle)

    assert refused.value.status == 403
    assert row(place, alice) is None


@pytest.mark.parametrize(
    ("state", "status", "words"),
    [(State.ACTIVE, 409, "already a member"), (State.REQUESTED, 409, "asked to join")],
)
def test_inviting_a_member_or_a_requester_says_so(portal, state, status, words):
    place = community(REQUEST)
    mod, existing = moderator_of(place), member_of(place, "Ex", state=state)

    with pytest.raises(Refused) as refused:
        services.invitation_create(
            moderator=mod, community=place, handle=existing.user.profile.handle
        )

    assert refused.value.status == status and words in refused.value.message
    assert row(place, existing.user).state == state


@pytest.mark.parametrize("state", [State.REMOVED, State.REFUSED])
def test_inviting_someone_removed_or_refused_reopens_it_as_an_invitation(portal, state):
    place = community(REQUEST)
    mod, earlier = moderator_of(place), member_of(place, "Ex", state=state, reason="Earlier")

    services.invitation_create(moderator=mod, community=place, handle=earlier.user.profile.handle)

    membership = row(place, earlier.user)
    assert (membership.state, membership.reason) == ("invited", "")


def test_inviting_an_unknown_or_hidden_handle_is_refused_alike(portal):
    place = community(OPEN)
    mod, hidden = moderator_of(place), person("Hidden", visibility="only_me")

    answers = []
    for handle in ("nobody-has-this", hidden.profile.handle):
        with pytest.raises(Refused) as refused:
            services.invitation_create(moderator=mod, community=place, handle=handle)
        answers.append((refused.value.status, refused.value.message))

    assert answers[0] == answers[1] and answers[0][0] == 400
    assert row(place, hidden) is None


def test_accepting_an_invitation_needs_the_rules_and_declining_deletes_it(portal):
    place = community(INVITATION)
    mod, alice, bob = moderator_of(place), person("Alice"), person("Bob")
    for invitee in (alice, bob):
        services.invitation_create(moderator=mod, community=place, handle=invitee.profile.handle)

    with pytest.raises(Refused):
        services.invitation_accept(
            user=alice, community=place, accept_rules=False, rules_version=place.rules_version
        )
    services.invitation_accept(
        user=alice, community=place, accept_rules=True, rules_version=place.rules_version
    )
    services.invitation_decline(user=bob, community=place)

    assert row(place, alice).state == "active"
    assert row(place, alice).rules_version == place.rules_version
    assert row(place, bob) is None


def test_accepting_without_an_invitation_is_404(portal):
    place, alice = community(INVITATION), person("Alice")

    with pytest.raises(Refused) as refused:
        services.invitation_accept(
            user=alice, community=place, accept_rules=True, rules_version=place.rules_version
        )

    assert refused.value.status == 404


# --- Requests -------------------------------------------------------------------


def test_approving_a_request_makes_a_member_and_tells_them(portal):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)

    services.request_decide(
        moderator=mod, community=place, membership_id=asking.pk, decision=APPROVE
    )

    asking.refresh_from_db()
    assert (asking.state, asking.decided_by) == ("active", mod)
    (entry,) = notification_entries(
        user=asking.user, notifications=notifications_for(user=asking.user)
    )
    assert entry.text == f"Your request to join “{place.title}” was approved. Welcome!"
    assert PageLogEntry.objects.filter(
        page=place, action="kindred.community.request_approve"
    ).exists()


def test_refusing_a_request_keeps_the_reason_the_person_sees(
    portal, django_capture_on_commit_callbacks
):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_decide(
            moderator=mod,
            community=place,
            membership_id=asking.pk,
            decision=REFUSE,
            reason="  Only for carers, sorry.  ",
        )

    asking.refresh_from_db()
    assert (asking.state, asking.reason) == ("refused", "Only for carers, sorry.")
    (entry,) = notification_entries(
        user=asking.user, notifications=notifications_for(user=asking.user)
    )
    expected = (
        f"Your request to join “{place.title}” was refused. "
        "The moderators wrote: “Only for carers, sorry.”"
    )
    assert entry.text == expected
    # Emailed at once by default (through the outbox).
    assert any(expected in message.body for message in mail.outbox)


def test_refusing_needs_a_reason(portal):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)

    with pytest.raises(Refused) as refused:
        services.request_decide(
            moderator=mod, community=place, membership_id=asking.pk, decision=REFUSE, reason=" "
        )

    assert refused.value.status == 400
    assert row(place, asking.user).state == "requested"


def test_a_request_of_another_community_is_404_and_untouched(portal):
    here, there = community(REQUEST), community(REQUEST)
    mod = moderator_of(here)
    elsewhere = member_of(there, "Far", state=State.REQUESTED)

    with pytest.raises(Refused) as refused:
        services.request_decide(
            moderator=mod, community=here, membership_id=elsewhere.pk, decision=APPROVE
        )

    assert refused.value.status == 404
    assert row(there, elsewhere.user).state == "requested"


def test_only_moderators_decide(portal):
    place = community(REQUEST)
    plain, asking = member_of(place, "Plain").user, member_of(place, "A", state=State.REQUESTED)

    with pytest.raises(Refused) as refused:
        services.request_decide(
            moderator=plain, community=place, membership_id=asking.pk, decision=APPROVE
        )

    assert refused.value.status == 403


def test_approving_twice_changes_nothing_and_refusing_after_approval_is_409(portal):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)
    decide = services.request_decide
    decide(moderator=mod, community=place, membership_id=asking.pk, decision=APPROVE)

    again = decide(moderator=mod, community=place, membership_id=asking.pk, decision=APPROVE)
    with pytest.raises(Refused) as refused:
        decide(moderator=mod, community=place, membership_id=asking.pk, decision=REFUSE, reason="x")

    assert not again.changed and refused.value.status == 409
    assert Notification.objects.filter(recipient=asking.user).count() == 1


# --- Removal -----------------------------------------------------------------


def test_removing_a_member_keeps_the_row_with_the_reason_and_tells_them(portal):
    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Mem", show_on_profile=True)

    services.member_remove(
        moderator=mod, community=place, membership_id=member.pk, reason="Selling cures."
    )

    member.refresh_from_db()
    assert (member.state, member.reason, member.decided_by) == ("removed", "Selling cures.", mod)
    assert member.show_on_profile is False
    (entry,) = notification_entries(
        user=member.user, notifications=notifications_for(user=member.user)
    )
    assert entry.text == (
        f"You were removed from “{place.title}”. The moderators wrote: “Selling cures.”"
    )


def test_moderators_cannot_remove_moderators(portal):
    place = community(OPEN)
    mod = moderator_of(place, "Mod one")
    other = member_of(place, "Mod two", role=Role.MODERATOR)

    with pytest.raises(Refused) as refused:
        services.member_remove(
            moderator=mod, community=place, membership_id=other.pk, reason="Power play"
        )

    assert refused.value.status == 403
    assert row(place, other.user).state == "active"


def test_removing_needs_a_reason_of_bounded_length(portal):
    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Mem")

    for reason in ("", "x" * 501):
        with pytest.raises(Refused) as refused:
            services.member_remove(
                moderator=mod, community=place, membership_id=member.pk, reason=reason
            )
        assert refused.value.status == 400

    assert row(place, member.user).state == "active"


def test_removing_twice_changes_nothing_and_a_stranger_id_is_404(portal):
    place, there = community(OPEN), community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Mem")
    stranger = member_of(there, "Far")
    services.member_remove(moderator=mod, community=place, membership_id=member.pk, reason="r")

    again = services.member_remove(
        moderator=mod, community=place, membership_id=member.pk, reason="r"
    )
    with pytest.raises(Refused) as refused:
        services.member_remove(
            moderator=mod, community=place, membership_id=stranger.pk, reason="r"
        )

    assert not again.changed and refused.value.status == 404
    assert row(there, stranger.user).state == "active"


# --- Profile listing ----------------------------------------------------------------


def test_a_member_chooses_whether_their_profile_lists_the_community(portal):
    place = community(OPEN)
    member = member_of(place, "Mem")

    services.profile_listing(user=member.user, community=place, show=True)
    assert row(place, member.user).show_on_profile is True
    services.profile_listing(user=member.user, community=place, show=False)
    assert row(place, member.user).show_on_profile is False

    with pytest.raises(Refused) as refused:
        services.profile_listing(user=person("Out"), community=place, show=True)
    assert refused.value.status == 403


def test_audit_log_records_invitations_and_removals(portal):
    place = community(OPEN)
    mod, member, alice = moderator_of(place), member_of(place, "Mem"), person("Alice")

    services.invitation_create(moderator=mod, community=place, handle=alice.profile.handle)
    services.member_remove(moderator=mod, community=place, membership_id=member.pk, reason="r")

    actions = set(
        PageLogEntry.objects.filter(page=place, user=mod).values_list("action", flat=True)
    )
    assert {"kindred.community.invite", "kindred.community.remove"} <= actions
    assert not ModelLogEntry.objects.filter(action__startswith="kindred.community").exists()


# --- Items in review leave with their author ----------------------------------------


def _in_review(place, author, blog_index, *, community_page=None):
    """A draft of ``author`` for ``community_page`` (default ``place``), sent into review."""
    from core.models import Audience
    from moderation.services import page_submit_for_review
    from tests.factories import BlogPageFactory

    page = BlogPageFactory(
        parent=blog_index,
        author=author,
        publish=False,
        audience=Audience.COMMUNITY,
        community=community_page or place,
    )
    page_submit_for_review(page=page, user=author)
    return page


def _status(page):
    from wagtail.models import WorkflowState

    return WorkflowState.objects.filter(object_id=str(page.pk)).latest("pk").status


@pytest.mark.parametrize("how", ["leave", "remove"])
def test_leaving_or_removal_withdraws_the_items_in_review_for_that_community_only(
    portal, blog_index, how
):
    place, other = community(OPEN), community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Author")
    CommunityMembershipFactory(community=other, user=member.user)
    here = _in_review(place, member.user, blog_index)
    there = _in_review(place, member.user, blog_index, community_page=other)

    if how == "leave":
        services.membership_leave(user=member.user, community=place)
    else:
        services.member_remove(moderator=mod, community=place, membership_id=member.pk, reason="r")

    assert _status(here) == "cancelled"
    assert _status(there) == "in_progress"
    here.refresh_from_db()
    assert not here.live and here.get_latest_revision() is not None
