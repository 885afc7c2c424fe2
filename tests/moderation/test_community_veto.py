"""An item for a community is published only while its author is an active member there.

The check takes the membership lock (core.selectors.active_membership_for_update)
inside the publishing transaction, and the reviewer is told why an approval
was refused.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.models import TaskState

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership
from moderation import workflow
from moderation.services import page_submit_for_review, review_approve
from tests.factories import BlogPageFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

REASON = "its author is no longer a member there"


@pytest.fixture
def community(portal):
    return CommunityPageFactory(parent=CommunityIndexPage.objects.get(), title="Carers and family")


@pytest.fixture
def at_medical_step(blog_index, member, community, editor):
    CommunityMembershipFactory(community=community, user=member)
    post = BlogPageFactory(
        parent=blog_index,
        author=member,
        publish=False,
        audience=Audience.COMMUNITY,
        community=community,
    )
    page_submit_for_review(page=post, user=member)
    review_approve(page=post, user=editor)
    return post


def test_an_active_member_s_item_is_published_in_the_community(at_medical_step, medic):
    review_approve(page=at_medical_step, user=medic)

    at_medical_step.refresh_from_db()
    assert at_medical_step.live
    assert at_medical_step.audience == Audience.COMMUNITY


@pytest.mark.parametrize("how", ["removed", "left", "requested"])
def test_an_item_whose_author_is_no_longer_a_member_is_not_published(
    at_medical_step, medic, member, how
):
    memberships = CommunityMembership.objects.filter(user=member)
    if how == "left":
        memberships.delete()
    else:
        memberships.update(state=how)

    with pytest.raises(PermissionDenied) as refused:
        review_approve(page=at_medical_step, user=medic)

    assert REASON in str(refused.value)
    assert "“Carers and family”" in str(refused.value)
    at_medical_step.refresh_from_db()
    assert not at_medical_step.live
    # The approval was rolled back: the item still waits at the medical step.
    assert at_medical_step.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_publishing_takes_the_membership_lock(at_medical_step, medic, member, monkeypatch):
    import core.selectors

    asked = []
    real = core.selectors.active_membership_for_update

    def spy(**kwargs):
        from django.db import connection

        asked.append((kwargs["user"].pk, kwargs["community_id"], connection.in_atomic_block))
        return real(**kwargs)

    monkeypatch.setattr(core.selectors, "active_membership_for_update", spy)
    review_approve(page=at_medical_step, user=medic)

    assert asked == [(member.pk, at_medical_step.community_id, True)]


def test_the_reviewer_is_told_why_in_the_queue(client, at_medical_step, medic, member):
    CommunityMembership.objects.filter(user=member).delete()
    task_state = at_medical_step.current_workflow_task_state
    client.force_login(medic)

    response = client.post(
        reverse("kindred_review:decide", args=(at_medical_step.pk, "approve", task_state.pk)),
        follow=True,
    )

    assert response.status_code == 200
    assert REASON in response.content.decode()
    at_medical_step.refresh_from_db()
    assert not at_medical_step.live


def test_the_reviewer_is_told_why_in_the_page_editor(client, at_medical_step, medic, member):
    from tests.portal.test_review_queue import editor_approval_data

    CommunityMembership.objects.filter(user=member).delete()
    client.force_login(medic)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(at_medical_step.pk,)),
        editor_approval_data(at_medical_step.get_latest_revision_as_object()),
        follow=True,
    )

    assert response.status_code == 200
    assert REASON in response.content.decode()
    at_medical_step.refresh_from_db()
    assert not at_medical_step.live


def test_items_for_everyone_take_no_membership_lock(blog_index, member, editor, medic, monkeypatch):
    post = BlogPageFactory(parent=blog_index, author=member, publish=False)
    page_submit_for_review(page=post, user=member)
    review_approve(page=post, user=editor)
    assert workflow.community_veto(post.get_latest_revision()) is None
    review_approve(page=post, user=medic)
    post.refresh_from_db()
    assert post.live
