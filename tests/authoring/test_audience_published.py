"""Authors change who reads their published items: narrowing at once, widening through review.

And "My contributions" says who can read each item.
"""

from django.urls import reverse

from wagtail.models import PageLogEntry, WorkflowState

import pytest

from authoring import services
from core.models import Audience, CommunityIndexPage, CommunityMembership
from moderation.services import page_submit_for_review, review_approve
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, ExpertArticlePageFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

CONTRIBUTIONS = reverse("authoring:contributions")


@pytest.fixture
def community(portal):
    return CommunityPageFactory(parent=CommunityIndexPage.objects.get(), title="Carers and family")


@pytest.fixture
def published(blog_index, writer):
    return BlogPageFactory(parent=blog_index, author=writer, title="Out there")


def audience_url(page):
    return reverse("authoring:audience", args=(page.pk,))


def test_narrowing_a_published_item_applies_at_once_without_review(client, writer, published):
    client.force_login(writer)

    response = client.post(audience_url(published), {"audience": "members"})

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.live and published.audience == Audience.MEMBERS
    assert published.get_latest_revision_as_object().audience == Audience.MEMBERS
    assert published.live_revision.as_object().audience == Audience.MEMBERS
    assert not WorkflowState.objects.exists()
    entry = PageLogEntry.objects.get(page=published, action=services.AUDIENCE_NARROWED)
    assert entry.user == writer
    assert entry.data == {"from": "Everyone", "to": "Members of Kindred"}


def test_narrowing_to_a_community_of_the_author(client, writer, published, community):
    CommunityMembershipFactory(community=community, user=writer)
    client.force_login(writer)

    client.post(audience_url(published), {"audience": f"community-{community.pk}"})

    published.refresh_from_db()
    assert (published.audience, published.community_id) == (Audience.COMMUNITY, community.pk)


def test_widening_goes_through_review_and_the_live_item_keeps_its_audience(
    client, writer, blog_index, editor, medic
):
    item = BlogPageFactory(parent=blog_index, author=writer, audience=Audience.MEMBERS)
    client.force_login(writer)

    response = client.post(audience_url(item), {"audience": "everyone"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.audience == Audience.MEMBERS
    assert item.get_latest_revision_as_object().audience == Audience.EVERYONE
    assert item.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    review_approve(page=item, user=editor)
    review_approve(page=item, user=medic)
    item.refresh_from_db()
    assert item.audience == Audience.EVERYONE


def test_going_back_to_the_live_audience_cancels_a_pending_widening_without_review(
    writer, blog_index
):
    item = BlogPageFactory(parent=blog_index, author=writer, audience=Audience.MEMBERS)
    latest = item.get_latest_revision_as_object()
    latest.audience = Audience.EVERYONE
    latest.save_revision(user=writer)

    done = services.contribution_audience_change(user=writer, page=item, audience=Audience.MEMBERS)

    assert done is services.AudienceChange.NARROWED
    item.refresh_from_db()
    assert item.get_latest_revision_as_object().audience == Audience.MEMBERS
    assert not WorkflowState.objects.exists()


def test_a_member_who_left_may_take_an_item_out_of_the_community_only_through_review(
    client, writer, blog_index, community
):
    CommunityMembershipFactory(community=community, user=writer)
    item = BlogPageFactory(
        parent=blog_index, author=writer, audience=Audience.COMMUNITY, community=community
    )
    CommunityMembership.objects.filter(user=writer).delete()
    client.force_login(writer)

    html = client.get(audience_url(item)).content.decode()
    client.post(audience_url(item), {"audience": "members"})

    # The community is still shown as the current audience, so it can be kept.
    assert f'value="community-{community.pk}"' in html
    item.refresh_from_db()
    # Members of Kindred reach more people than one community: a widening.
    assert item.audience == Audience.COMMUNITY
    assert item.get_latest_revision_as_object().audience == Audience.MEMBERS
    assert item.current_workflow_state is not None


def test_a_member_who_left_cannot_move_another_item_into_the_community(
    client, writer, published, community
):
    CommunityMembershipFactory(community=community, user=writer, state="removed")
    client.force_login(writer)

    response = client.post(audience_url(published), {"audience": f"community-{community.pk}"})

    assert response.status_code == 400
    published.refresh_from_db()
    assert published.audience == Audience.EVERYONE


def test_a_widening_while_in_review_is_refused_but_narrowing_is_not(writer, blog_index):
    item = BlogPageFactory(parent=blog_index, author=writer, audience=Audience.MEMBERS)
    page_submit_for_review(page=item, user=writer)

    with pytest.raises(services.ContributionRefused):
        services.contribution_audience_change(user=writer, page=item, audience="everyone")
    services.contribution_audience_change(user=writer, page=item, audience="members")
    item.refresh_from_db()
    assert item.audience == Audience.MEMBERS


@pytest.mark.parametrize("audience", ["community-abc", "", "<b>x</b>", "x" * 5000])
def test_hostile_audience_changes_are_form_errors(client, writer, published, audience):
    client.force_login(writer)

    response = client.post(audience_url(published), {"audience": audience})

    assert response.status_code == 400
    published.refresh_from_db()
    assert published.audience == Audience.EVERYONE


def test_someone_elses_item_looks_missing(client, other_writer, published):
    client.force_login(other_writer)

    assert client.get(audience_url(published)).status_code == 404
    assert client.post(audience_url(published), {"audience": "members"}).status_code == 404
    assert client.get(reverse("authoring:audience", args=(999999,))).status_code == 404
    published.refresh_from_db()
    assert published.audience == Audience.EVERYONE


def test_narrowing_in_the_edit_form_of_a_published_item_applies_at_once(
    client, writer, story_index, story_data
):
    story = ExperienceStoryPageFactory(parent=story_index, author=writer)
    client.force_login(writer)

    client.post(
        reverse("authoring:edit", args=(story.pk,)),
        {**story_data, "audience": "members", "action": "save"},
    )

    story.refresh_from_db()
    assert story.audience == Audience.MEMBERS
    assert story.has_unpublished_changes


def test_my_contributions_shows_each_items_audience(
    client, writer, blog_index, published, community
):
    CommunityMembershipFactory(community=community, user=writer)
    BlogPageFactory(
        parent=blog_index, author=writer, audience=Audience.COMMUNITY, community=community
    )
    pending = BlogPageFactory(parent=blog_index, author=writer, audience=Audience.MEMBERS)
    latest = pending.get_latest_revision_as_object()
    latest.audience = Audience.EVERYONE
    latest.save_revision(user=writer)
    client.force_login(writer)

    html = client.get(CONTRIBUTIONS).content.decode()

    assert "Carers and family" in html
    assert "Published for Members of Kindred until the new version is approved." in html
    assert audience_url(published) in html


def test_my_contributions_costs_the_same_with_many_community_items(
    client, writer, blog_index, portal, django_assert_max_num_queries
):
    index = CommunityIndexPage.objects.get()

    def add(number):
        community = CommunityPageFactory(parent=index, title=f"Group {number}")
        CommunityMembershipFactory(community=community, user=writer)
        BlogPageFactory(
            parent=blog_index, author=writer, audience=Audience.COMMUNITY, community=community
        )

    add(0)
    client.force_login(writer)
    with django_assert_max_num_queries(30) as one:
        client.get(CONTRIBUTIONS)
    for number in range(1, 8):
        add(number)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(CONTRIBUTIONS).content.decode()
    assert "Group 7" in html


@pytest.mark.parametrize(
    "factory", [BlogPageFactory, ExperienceStoryPageFactory, ExpertArticlePageFactory]
)
def test_every_kind_shows_its_audience(client, writer, sections, factory):
    from core import roles

    parent = {
        BlogPageFactory: sections[roles.BLOGS],
        ExperienceStoryPageFactory: sections[roles.EXPERIENCES],
        ExpertArticlePageFactory: sections[roles.EXPERT_ARTICLES],
    }[factory]
    item = factory(parent=parent, audience=Audience.MEMBERS)
    client.force_login(writer)

    html = client.get(item.url).content.decode()

    assert '<p class="audience audience-members">For members of Kindred</p>' in html
