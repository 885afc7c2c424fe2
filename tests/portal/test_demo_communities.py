"""seed_demo's communities: every audience rule can be tried with the demo logins, twice the same.

Who may read what is asked of the one readability rule
(``core.selectors.readable_content``) and compared with what the demo's
specification (``portal.demo.community_content``) says each login holds, so
the README's table of demo logins is checked against the data.
"""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import WorkflowState

import pytest

from core import roles
from core.models import Audience, CommunityMembership, CommunityPage, ContentPage
from core.selectors import readable_content, visible_community_condition
from portal.demo import community_content as spec
from questions.models import AnswerPage, QuestionPage

pytestmark = pytest.mark.django_db

State = CommunityMembership.State


def _review_state(page):
    if page.live:
        return spec.PUBLISHED
    workflow = WorkflowState.objects.active().filter(object_id=str(page.pk)).first()
    if workflow is None:
        return spec.DRAFT
    if workflow.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return spec.CHANGES_REQUESTED
    return f"awaiting {workflow.current_task_state.task.specific.stage} review"


def _snapshot():
    return {
        "communities": sorted(
            CommunityPage.objects.values_list("slug", "live", "join_policy", "is_listed")
        ),
        "memberships": sorted(
            CommunityMembership.objects.values_list(
                "community__slug", "user__username", "state", "role", "rules_version"
            )
        ),
        "items": sorted(
            ContentPage.objects.values_list("slug", "audience", "community__slug", "live")
        ),
    }


def _readable_restricted(user):
    """Titles of the live items not for everyone that ``user`` may read (questions
    and answers aside: tests/portal/test_demo_questions.py)."""
    return set(
        readable_content(user=user)
        .exclude(audience=Audience.EVERYONE)
        .not_type(QuestionPage, AnswerPage)
        .values_list("title", flat=True)
    )


def _expected_readable(username):
    """From the specification alone: live members-only items, and live items of the
    communities ``username`` is an active member of."""
    active = {
        slug
        for slug, name, state, _role in spec.MEMBERSHIPS
        if name == username and state == State.ACTIVE
    }
    return {
        item["title"]
        for item in spec.AUDIENCE_ITEMS
        if item["state"] == spec.PUBLISHED
        and (username and item["audience"] == spec.MEMBERS or item["audience"] in active)
    }


def test_seed_demo_communities_try_every_rule_and_reseeding_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    users = {user.username: user for user in get_user_model().objects.all()}

    # Four communities: open, on request (with requests waiting), unlisted by
    # invitation, and the clinicians'.
    communities = {page.slug: page for page in CommunityPage.objects.live()}
    assert set(communities) == {
        spec.NEWLY_DIAGNOSED,
        spec.CARERS,
        spec.PROGRESSIVE,
        spec.CLINICIANS,
    }
    assert communities[spec.NEWLY_DIAGNOSED].join_policy == CommunityPage.JoinPolicy.OPEN
    assert communities[spec.CARERS].join_policy == CommunityPage.JoinPolicy.REQUEST
    assert communities[spec.PROGRESSIVE].join_policy == CommunityPage.JoinPolicy.INVITATION
    assert not communities[spec.PROGRESSIVE].is_listed
    assert (
        CommunityMembership.objects.filter(
            community=communities[spec.CARERS], state=State.REQUESTED
        ).count()
        >= 2
    )
    clinicians = CommunityMembership.objects.filter(community=communities[spec.CLINICIANS])
    assert {m.user.groups.get().name for m in clinicians} == {roles.EXPERTS}

    # Moderators among the demo members; a community manager login.
    moderators = CommunityMembership.objects.filter(role=CommunityMembership.Role.MODERATOR)
    assert {m.user.username for m in moderators} >= {"member1", "member2"}
    assert all(m.is_active for m in moderators)
    assert users["manager"].groups.filter(name=roles.COMMUNITY_MANAGERS).exists()

    # Items for a community and for members, in every review state.
    every_state = {
        spec.PUBLISHED,
        spec.AWAITING_EDITORIAL,
        spec.AWAITING_MEDICAL,
        spec.CHANGES_REQUESTED,
        spec.DRAFT,
    }
    for audience in (Audience.COMMUNITY, Audience.MEMBERS):
        items = ContentPage.objects.filter(audience=audience).specific()
        assert {_review_state(page) for page in items} == every_state, audience

    # Who reads what: as the specification says, through the one rule.
    for username in ("member1", "member2", "member3", "expert", "editor"):
        assert _readable_restricted(users[username]) == _expected_readable(username), username
    assert _readable_restricted(None) == set()
    assert _expected_readable("member2") - _expected_readable("member1"), "member1 is outside one"
    assert _expected_readable("member1") - _expected_readable("member2"), "member2 is outside one"
    # The unlisted community exists for its members and the person invited only.
    unlisted = CommunityPage.objects.filter(slug=spec.PROGRESSIVE)
    for username, sees in (("member1", True), ("member3", True), ("member2", False)):
        visible = unlisted.filter(visible_community_condition(user=users[username])).exists()
        assert visible is sees, username

    # The command says who is where, as the README does.
    assert "Progressive MS     invitation, unlisted: member1 (moderator), member3 (invited)" in (
        out.getvalue()
    )
    assert "  manager  community manager" in out.getvalue()

    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first
