"""A member's profile lists their communities only where they chose to show them, and only
those the viewer may see (an unlisted one only to its own members)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

from core.models import CommunityMembership
from social.models import Profile
from social.selectors import profile_communities
from tests.communities.conftest import PERSONAS, UNLISTED_NAME_WORD
from tests.factories import ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

State = CommunityMembership.State
# A profile page seen by a signed-in member: fixed, whatever the communities shown.
PROFILE_QUERIES = 20


def person(name, *, visibility=Profile.Visibility.EVERYONE):
    user = UserFactory(group="Members", display_name=name)
    ProfileFactory(user=user, visibility=visibility)
    return user


def join(community, user, **kwargs):
    return CommunityMembershipFactory(community=community, user=user, **kwargs)


def signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def listed(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {link.get_text(strip=True) for link in soup.select(".profile-communities a")}


@pytest.fixture
def owner(community_index):
    """A member shown in some communities, hidden in one, and no longer in others."""
    owner = person("Owner")
    shown = CommunityPageFactory(parent=community_index, title="Shown listed")
    unshown = CommunityPageFactory(parent=community_index, title="Not shown")
    quiet = CommunityPageFactory(parent=community_index, title="Shown unlisted", is_listed=False)
    removed = CommunityPageFactory(parent=community_index, title="Removed from")
    asked = CommunityPageFactory(parent=community_index, title="Asked to join")
    draft = CommunityPageFactory(parent=community_index, title="Unpublished", publish=False)
    join(shown, owner, show_on_profile=True)
    join(unshown, owner, show_on_profile=False)
    join(quiet, owner, show_on_profile=True)
    join(removed, owner, state=State.REMOVED, show_on_profile=True)
    join(asked, owner, state=State.REQUESTED, show_on_profile=True, rules_version=None)
    join(draft, owner, show_on_profile=True)
    owner.quiet = quiet
    return owner


def test_visitors_and_outsiders_see_only_the_shown_listed_communities(owner):
    url = owner.profile.get_absolute_url()

    assert listed(signed_in(None).get(url)) == {"Shown listed"}
    assert listed(signed_in(person("Outsider")).get(url)) == {"Shown listed"}


def test_an_unlisted_community_is_listed_to_its_own_members(owner):
    fellow = person("Fellow")
    join(owner.quiet, fellow)

    response = signed_in(fellow).get(owner.profile.get_absolute_url())

    assert listed(response) == {"Shown listed", "Shown unlisted"}


def test_the_owner_sees_what_they_show_and_how_to_change_it(owner, community_index):
    response = signed_in(owner).get(owner.profile.get_absolute_url())

    assert listed(response) == {"Shown listed", "Shown unlisted"}
    loner = person("Loner")
    join(CommunityPageFactory(parent=community_index, title="Quietly"), loner)
    text = signed_in(loner).get(loner.profile.get_absolute_url()).content.decode()
    assert "Your communities are not listed here" in text


def test_leaving_takes_the_community_off_the_profile_at_once(owner):
    url = owner.profile.get_absolute_url()
    assert "Shown listed" in listed(Client().get(url))

    CommunityMembership.objects.filter(user=owner, community__title="Shown listed").delete()

    assert listed(Client().get(url)) == set()


def test_a_hidden_profile_shows_nothing_at_all(community_index):
    hidden = person("Hidden", visibility=Profile.Visibility.ONLY_ME)
    join(
        CommunityPageFactory(parent=community_index, title="Secretly"), hidden, show_on_profile=True
    )

    assert Client().get(hidden.profile.get_absolute_url()).status_code == 404
    assert signed_in(person("Other")).get(hidden.profile.get_absolute_url()).status_code == 404


def test_profile_canaries(world):
    """No persona sees the unlisted community's name on a profile, even one that shows it."""
    author = world.authors["u"]
    CommunityMembership.objects.filter(user=author).update(show_on_profile=True)
    problems = []
    for persona in PERSONAS:
        text = world.client(persona).get(author.profile.get_absolute_url()).content.decode()
        if UNLISTED_NAME_WORD in text:
            problems.append(persona)
    assert problems == []
    assert profile_communities(viewer=author, profile=author.profile)[0].title == (
        UNLISTED_NAME_WORD
    ), "its own member does see it"


def fill(community_index, user, count, prefix):
    for number in range(count):
        community = CommunityPageFactory(parent=community_index, title=f"{prefix} {number}")
        join(community, user, show_on_profile=True)


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def test_profile_costs_the_same_with_1_or_50_communities(
    community_index, django_assert_max_num_queries
):
    viewer = person("Viewer")
    small, large = person("Small"), person("Large")
    fill(community_index, small, 1, "small")
    fill(community_index, large, 50, "large")
    client = signed_in(viewer)

    small_count, _ = queries_for(client, small.profile.get_absolute_url())
    large_count, response = queries_for(client, large.profile.get_absolute_url())

    assert large_count == small_count
    assert len(listed(response)) == 50
    with django_assert_max_num_queries(PROFILE_QUERIES):
        client.get(large.profile.get_absolute_url())
