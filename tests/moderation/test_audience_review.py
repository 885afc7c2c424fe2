"""Reviewers see each item's audience, and may narrow it in the editor but never widen it."""

from django.urls import reverse
from django.utils.html import escape

import pytest

from core.forms import WIDENING_REFUSED
from core.models import Audience, CommunityIndexPage
from moderation.services import page_submit_for_review
from tests.factories import BlogPageFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.portal.test_review_queue import editor_form_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("kindred_review:queue")


@pytest.fixture
def community(portal):
    return CommunityPageFactory(parent=CommunityIndexPage.objects.get(), title="Carers and family")


def submitted(blog_index, author, **kwargs):
    post = BlogPageFactory(parent=blog_index, author=author, publish=False, **kwargs)
    page_submit_for_review(page=post, user=author)
    return post


def test_the_queue_shows_who_each_item_is_for(client, blog_index, member, editor, community):
    CommunityMembershipFactory(community=community, user=member)
    submitted(blog_index, member, title="For carers", audience="community", community=community)
    submitted(blog_index, member, title="For members", audience="members")
    submitted(blog_index, member, title="For all")
    client.force_login(editor)

    html = client.get(QUEUE).content.decode()

    assert 'class="audience-community">Carers and family<' in html
    assert 'class="audience-members">Members of Kindred<' in html
    assert 'class="audience-everyone">Everyone<' in html


def test_the_queue_costs_the_same_with_many_communities(
    client, blog_index, member, editor, django_assert_max_num_queries
):
    index = CommunityIndexPage.objects.get()

    def add(number):
        community = CommunityPageFactory(parent=index, title=f"Group {number}")
        CommunityMembershipFactory(community=community, user=member)
        submitted(blog_index, member, audience="community", community=community)

    add(0)
    client.force_login(editor)
    with django_assert_max_num_queries(60) as one:
        client.get(QUEUE)
    for number in range(1, 6):
        add(number)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(QUEUE).content.decode()
    assert "Group 5" in html


def _edit(client, page, **changes):
    data = editor_form_data(page)
    data.update(changes)
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    page.refresh_from_db()
    return response


@pytest.mark.parametrize(
    ("before", "after"),
    [("members", "everyone"), ("community", "members"), ("community", "everyone")],
)
def test_a_reviewer_may_not_widen_the_audience(
    client, blog_index, member, editor, community, before, after
):
    CommunityMembershipFactory(community=community, user=member)
    post = submitted(
        blog_index,
        member,
        audience=before,
        community=community if before == "community" else None,
    )
    client.force_login(editor)

    response = _edit(client, post, audience=after, community="")

    assert response.status_code == 200
    assert escape(str(WIDENING_REFUSED)) in response.content.decode()
    assert post.get_latest_revision_as_object().audience == before


def test_a_reviewer_may_not_move_an_item_to_another_community(
    client, blog_index, member, editor, community
):
    other = CommunityPageFactory(parent=CommunityIndexPage.objects.get(), title="Progressive MS")
    CommunityMembershipFactory(community=community, user=member)
    CommunityMembershipFactory(community=other, user=member)
    post = submitted(blog_index, member, audience="community", community=community)
    client.force_login(editor)

    response = _edit(client, post, audience="community", community=str(other.pk))

    assert escape(str(WIDENING_REFUSED)) in response.content.decode()
    assert post.get_latest_revision_as_object().community_id == community.pk


def test_a_reviewer_may_narrow_the_audience(client, blog_index, member, editor, community):
    CommunityMembershipFactory(community=community, user=member)
    post = submitted(blog_index, member)
    client.force_login(editor)

    response = _edit(client, post, audience="members")
    assert response.status_code == 302
    assert post.get_latest_revision_as_object().audience == Audience.MEMBERS

    response = _edit(client, post, audience="community", community=str(community.pk))
    assert response.status_code == 302
    latest = post.get_latest_revision_as_object()
    assert (latest.audience, latest.community_id) == (Audience.COMMUNITY, community.pk)


def test_a_reviewer_may_not_narrow_to_a_community_the_author_is_not_in(
    client, blog_index, member, editor, community
):
    post = submitted(blog_index, member)
    client.force_login(editor)

    response = _edit(client, post, audience="community", community=str(community.pk))

    assert escape("The author is not a member of “Carers and family”") in (
        response.content.decode()
    )
    assert post.get_latest_revision_as_object().audience == Audience.EVERYONE


def test_a_community_audience_needs_its_community(client, blog_index, member, editor):
    post = submitted(blog_index, member)
    client.force_login(editor)

    response = _edit(client, post, audience="community", community="")

    assert response.status_code == 200
    assert "Choose the community whose members may read it." in response.content.decode()


def test_a_medical_reviewer_narrowing_in_the_editor_does_not_restart_the_review(
    client, blog_index, member, editor, medic
):
    from moderation.services import review_approve
    from tests.portal.test_review_queue import editor_approval_data

    post = submitted(blog_index, member)
    review_approve(page=post, user=editor)
    client.force_login(medic)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(post.pk,)),
        editor_approval_data(post.get_latest_revision_as_object(), audience="members"),
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live
    assert post.audience == Audience.MEMBERS
