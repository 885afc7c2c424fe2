"""Membership decisions racing: one row, no IntegrityError, no 500; a removal beats a submission.

Needs PostgreSQL (row locks and concurrent writers; SQLite serialises every
writer): ``DATABASE_URL=postgres://... pytest tests/communities/test_concurrency.py``.
"""

import time

from wagtail.models import WorkflowState

import pytest

from authoring.services import contribution_submit
from communities import services
from communities.services import APPROVE
from core.models import Audience, CommunityMembership
from core.refusals import Refused
from social.models import Notification
from tests.concurrency import needs_postgresql, outcome, run_together
from tests.discussion.conftest import with_consent
from tests.factories import BlogPageFactory

from .members_world import OPEN, REQUEST, State, community, member_of, moderator_of, person

PARALLEL = 20

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def test_parallel_joins_leave_one_active_row(portal):
    place, alice = community(OPEN), person("Alice")

    results = run_together(
        PARALLEL,
        lambda _: services.membership_join(
            user=alice, community=place, accept_rules=True, rules_version=place.rules_version
        ),
    )

    assert CommunityMembership.objects.filter(community=place, user=alice).count() == 1
    assert CommunityMembership.objects.get(community=place, user=alice).state == "active"
    assert sum(result.changed for result in results) == 1


def test_parallel_requests_leave_one_request(portal):
    place, alice = community(REQUEST), person("Alice")

    run_together(
        PARALLEL,
        lambda _: services.membership_join(
            user=alice, community=place, accept_rules=True, rules_version=place.rules_version
        ),
    )

    assert list(
        CommunityMembership.objects.filter(community=place, user=alice).values_list(
            "state", flat=True
        )
    ) == ["requested"]


def test_parallel_leaves_delete_once(portal):
    place = community(OPEN)
    member = member_of(place, "Mem")

    results = run_together(
        PARALLEL, lambda _: services.membership_leave(user=member.user, community=place)
    )

    assert not CommunityMembership.objects.filter(pk=member.pk).exists()
    assert sum(result.changed for result in results) == 1


def test_joins_racing_leaves_leave_at_most_one_row(portal):
    place, alice = community(OPEN), person("Alice")

    def work(number):
        if number % 2:
            return services.membership_leave(user=alice, community=place)
        return services.membership_join(
            user=alice, community=place, accept_rules=True, rules_version=place.rules_version
        )

    run_together(PARALLEL, work)

    assert CommunityMembership.objects.filter(community=place, user=alice).count() <= 1


def test_parallel_approvals_make_one_member_and_one_notification(portal):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)

    results = run_together(
        PARALLEL,
        lambda _: services.request_decide(
            moderator=mod, community=place, membership_id=asking.pk, decision=APPROVE
        ),
    )

    asking.refresh_from_db()
    assert asking.state == "active"
    assert sum(result.changed for result in results) == 1
    assert Notification.objects.filter(recipient=asking.user).count() == 1


def test_parallel_removals_remove_once_and_tell_once(portal):
    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Mem")

    results = run_together(
        PARALLEL,
        lambda _: services.member_remove(
            moderator=mod, community=place, membership_id=member.pk, reason="Spam"
        ),
    )

    member.refresh_from_db()
    assert (member.state, member.reason) == ("removed", "Spam")
    assert sum(result.changed for result in results) == 1
    assert Notification.objects.filter(recipient=member.user).count() == 1


def _holding_the_lock(module, monkeypatch, *, seconds=1.0):
    """Make ``module``'s call of the membership lock hold it for ``seconds`` once taken,
    so the other side of a race surely arrives while it is held."""
    taken = module.active_membership_for_update

    def slow(**kwargs):
        membership = taken(**kwargs)
        time.sleep(seconds)
        return membership

    monkeypatch.setattr(module, "active_membership_for_update", slow)


@pytest.mark.parametrize("first", ["submit", "removal"])
def test_an_item_submitted_while_its_author_is_removed_cannot_stay_in_review(
    portal, blog_index, monkeypatch, first
):
    """The author submits a draft for the community while a moderator removes them.
    Whichever takes the membership lock first, the item ends out of review (withdrawn
    by the removal, or refused at submission), so it cannot be published there:
    ``first`` holds the lock while the other arrives."""
    import authoring.services
    import communities.services

    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Author")
    with_consent(member.user)
    draft = BlogPageFactory(
        parent=blog_index,
        author=member.user,
        publish=False,
        audience=Audience.COMMUNITY,
        community=place,
    )
    _holding_the_lock(
        authoring.services if first == "submit" else communities.services, monkeypatch
    )

    def submit():
        return contribution_submit(user=member.user, page=draft)

    def remove():
        return services.member_remove(
            moderator=mod, community=place, membership_id=member.pk, reason="r"
        )

    def work(number):
        mine, other = (submit, remove) if first == "submit" else (remove, submit)
        if number == 0:
            return outcome(mine)
        time.sleep(0.3)  # the first side has the lock by now
        return outcome(other)

    results = run_together(2, work)
    if first != "submit":
        results.reverse()
    submitted, removed = results

    member.refresh_from_db()
    assert member.state == "removed" and removed.changed
    assert not WorkflowState.objects.active().filter(object_id=str(draft.pk)).exists()
    if first == "submit":
        # It went into review, then the removal withdrew it.
        assert submitted is None
        assert WorkflowState.objects.filter(object_id=str(draft.pk), status="cancelled").exists()
    else:
        assert isinstance(submitted, Refused)
    draft.refresh_from_db()
    assert not draft.live
