"""Writers choose who reads each item: everyone, members of Kindred, or one of their communities.

Only communities the writer is an active member of, with the current rules
accepted, are offered or accepted; anything else posted is a form error and
nothing is saved. Submitting into a community takes the membership lock first.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from authoring import services
from authoring.kinds import KINDS
from core.models import Audience, CommunityIndexPage, CommunityMembership, ContentPage
from experience_stories.models import ExperienceStoryPage
from tests.authoring.conftest import with_consent
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

WRITE = reverse("authoring:write")
WRITE_STORY = reverse("authoring:write_new", args=("story",))
State = CommunityMembership.State


@pytest.fixture
def communities(portal):
    index = CommunityIndexPage.objects.get()
    return {
        "mine": CommunityPageFactory(parent=index, title="Carers and family"),
        "pending_rules": CommunityPageFactory(parent=index, title="Progressive MS"),
        "theirs": CommunityPageFactory(parent=index, title="Clinicians only"),
        "unlisted": CommunityPageFactory(parent=index, title="Hidden circle", is_listed=False),
        "requested": CommunityPageFactory(parent=index, title="Newly diagnosed"),
    }


@pytest.fixture
def memberships(communities, writer, other_writer):
    CommunityMembershipFactory(community=communities["mine"], user=writer)
    outdated = CommunityMembershipFactory(community=communities["pending_rules"], user=writer)
    CommunityMembership.objects.filter(pk=outdated.pk).update(rules_version=0)
    CommunityMembershipFactory(community=communities["theirs"], user=other_writer)
    CommunityMembershipFactory(community=communities["unlisted"], user=other_writer)
    CommunityMembershipFactory(
        community=communities["requested"], user=writer, state=State.REQUESTED
    )


def value(community):
    return f"community-{community.pk}"


def test_the_form_offers_everyone_members_and_the_writers_communities(
    client, writer, communities, memberships
):
    client.force_login(writer)

    html = client.get(WRITE_STORY).content.decode()

    assert 'value="everyone"' in html and 'value="members"' in html
    assert f'value="{value(communities["mine"])}"' in html
    assert "Members of Carers and family only" in html
    for key in ("pending_rules", "theirs", "unlisted", "requested"):
        assert f'value="{value(communities[key])}"' not in html
    # A community whose rules changed is explained, with the way to accept them.
    assert "To write in Progressive MS, first" in html
    assert "Hidden circle" not in html and "Clinicians only" not in html
    # What each audience means is said on the form.
    assert "search engines may list it" in html


def _checked_audience(html):
    return re.findall(r'<input type="radio" name="audience" value="([^"]+)"[^>]*checked', html)


@pytest.mark.parametrize(
    ("slug", "default"), [("story", "members"), ("blog", "everyone"), ("article", "everyone")]
)
def test_each_kind_starts_with_its_default_audience(client, expert_writer, slug, default):
    client.force_login(expert_writer)

    html = client.get(reverse("authoring:write_new", args=(slug,))).content.decode()

    assert _checked_audience(html) == [default]


def test_write_in_this_community_preselects_it(client, writer, communities, memberships):
    client.force_login(writer)
    slug = communities["mine"].slug

    chooser = client.get(WRITE, {"community": slug}).content.decode()
    form = client.get(WRITE_STORY, {"community": slug}).content.decode()

    assert f"{WRITE_STORY}?community={slug}" in chooser
    assert "You are writing in" in chooser
    assert _checked_audience(form) == [value(communities["mine"])]


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("theirs", "Only members of “Clinicians only” can write there"),
        ("pending_rules", "The rules of “Progressive MS” have changed"),
        ("requested", "Only members of “Newly diagnosed” can write there"),
        ("unlisted", "There is no community with that address"),
    ],
)
def test_write_in_a_community_the_writer_may_not_is_explained(
    client, writer, communities, memberships, key, words
):
    client.force_login(writer)
    slug = communities[key].slug

    chooser = client.get(WRITE, {"community": slug})
    form = client.get(WRITE_STORY, {"community": slug})

    for response in (chooser, form):
        assert response.status_code == 200
        assert words in response.content.decode()
        assert "Hidden circle" not in response.content.decode()
    assert _checked_audience(form.content.decode()) == ["members"]


@pytest.mark.parametrize(
    "slug", ["no-such-community", "<script>alert(1)</script>", "x" * 5000, "a\x00b", ""]
)
def test_write_with_a_made_up_community_is_no_500(client, writer, memberships, slug):
    client.force_login(writer)

    for url in (WRITE, WRITE_STORY):
        response = client.get(url, {"community": slug})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_submitting_into_a_community_sets_its_audience(
    client, writer, story_data, communities, memberships
):
    client.force_login(writer)

    response = client.post(
        WRITE_STORY, {**story_data, "audience": value(communities["mine"]), "action": "submit"}
    )

    assert response.status_code == 302
    story = ExperienceStoryPage.objects.get().get_latest_revision_as_object()
    assert story.audience == Audience.COMMUNITY
    assert story.community_id == communities["mine"].pk
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1


@pytest.mark.parametrize(
    "audience",
    [
        "theirs",  # someone else's community
        "unlisted",  # an unlisted community the writer is not in
        "pending_rules",  # rules changed since the writer accepted them
        "requested",  # asked to join, not a member
        "community-999999",
        "community-abc",
        "community-",
        "community--1",
        "community-１",  # a full-width digit
        "public",
        "<script>alert('xss')</script>",
        "x" * 10_000,
        "",
    ],
)
def test_an_audience_not_offered_is_a_form_error_and_nothing_is_saved(
    client, writer, story_data, communities, memberships, audience
):
    client.force_login(writer)
    posted = value(communities[audience]) if audience in communities else audience

    for action in ("save", "submit"):
        response = client.post(WRITE_STORY, {**story_data, "audience": posted, "action": action})
        assert response.status_code == 400
        assert "<script>alert('xss')</script>" not in response.content.decode()

    assert not ContentPage.objects.exists()
    assert not WorkflowState.objects.exists()


def test_someone_elses_community_answers_as_a_missing_one(
    client, writer, story_data, communities, memberships
):
    client.force_login(writer)

    def errors(audience):
        response = client.post(WRITE_STORY, {**story_data, "audience": audience})
        return response.context["form"].errors["audience"]

    assert errors(value(communities["theirs"])) == errors("community-999999")
    assert errors(value(communities["unlisted"])) == errors("community-999999")


def test_a_missing_audience_is_a_form_error(client, writer, story_data):
    client.force_login(writer)
    data = {key: item for key, item in story_data.items() if key != "audience"}

    response = client.post(WRITE_STORY, {**data, "action": "submit"})

    assert response.status_code == 400
    assert "Choose who can read it." in response.content.decode()
    assert not ContentPage.objects.exists()


def _story_data(community):
    return {
        "title": "Night shifts",
        "summary": "Caring at night.",
        "body": [("paragraph", "x")],
        "tags": [],
        "condition": None,
        "treatments": [],
        "year_of_diagnosis": None,
        "byline": "name",
        "audience": Audience.COMMUNITY,
        "community": community,
    }


def test_submitting_without_an_active_membership_is_refused_and_nothing_saved(
    writer, communities, memberships
):
    community = communities["mine"]
    CommunityMembership.objects.filter(user=writer, community=community).update(state=State.REMOVED)

    with pytest.raises(services.ContributionRefused) as refused:
        services.contribution_save_and_submit(
            user=writer, kind=KINDS["story"], data=_story_data(community)
        )

    assert "not a member of “Carers and family”" in refused.value.message
    assert not ContentPage.objects.exists()


def test_a_draft_for_a_community_the_writer_left_cannot_be_submitted(
    writer, communities, memberships
):
    community = communities["mine"]
    draft = services.contribution_save_draft(
        user=writer, kind=KINDS["story"], data=_story_data(community)
    )
    CommunityMembership.objects.filter(user=writer, community=community).delete()

    with pytest.raises(services.ContributionRefused):
        services.contribution_submit(user=writer, page=draft)

    assert not WorkflowState.objects.exists()


def test_submitting_takes_the_membership_lock_before_writing_anything(
    writer, communities, memberships, monkeypatch
):
    community = communities["mine"]
    seen = []
    real = services.active_membership_for_update

    with CaptureQueriesContext(connection) as queries:

        def spy(**kwargs):
            writes = [
                q["sql"]
                for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            ]
            seen.append((kwargs, connection.in_atomic_block, writes))
            return real(**kwargs)

        monkeypatch.setattr(services, "active_membership_for_update", spy)
        services.contribution_save_and_submit(
            user=writer, kind=KINDS["story"], data=_story_data(community)
        )

    assert seen == [({"user": writer, "community_id": community.pk}, True, [])]
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_IN_PROGRESS


def test_another_members_community_cannot_be_reached_through_the_service(
    writer, communities, memberships
):
    with pytest.raises(services.ContributionRefused):
        services.contribution_save_and_submit(
            user=writer, kind=KINDS["story"], data=_story_data(communities["theirs"])
        )
    assert not ContentPage.objects.exists()


def test_the_form_for_a_writer_without_communities_offers_two_audiences(client, portal):
    newcomer = with_consent(UserFactory(group="Members"))
    client.force_login(newcomer)

    html = client.get(WRITE_STORY).content.decode()

    assert html.count('name="audience"') == 2
