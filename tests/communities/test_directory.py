"""The communities directory (/communities/): listed communities with counts of what the
viewer may see, and a signed-in member's own communities, unlisted ones included."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

from communities.selectors import listed_communities, own_communities
from core.models import Audience, CommunityMembership, CommunityPage
from social.models import Profile
from tests.communities.conftest import PERSONAS, UNLISTED_NAME_WORD, hidden_words, leaks, page_text
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

State = CommunityMembership.State
DIRECTORY = "/communities/"
# The directory for a signed-in member: a fixed number, whatever the numbers of
# communities, members, items and the member's own memberships.
DIRECTORY_QUERIES = 18


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


def cards(response, section):
    """Each card in a section of the directory: title -> the card's text."""
    soup = BeautifulSoup(response.content, "html.parser")
    block = soup.select_one(f"section.{section}")
    if block is None:
        return {}
    return {
        card.select_one(".card-title").get_text(strip=True): " ".join(card.get_text(" ").split())
        for card in block.select(".community-card")
    }


def by_title(communities):
    return {community.title: community for community in communities}


def test_listed_communities_appear_with_their_description_and_policy(community_index):
    CommunityPageFactory(
        parent=community_index,
        title="Carers and family",
        intro="<p>For those who care.</p>",
        join_policy=CommunityPage.JoinPolicy.REQUEST,
    )
    CommunityPageFactory(parent=community_index, title="Draft room", publish=False)

    response = Client().get(DIRECTORY)

    assert response.status_code == 200
    shown = cards(response, "all-communities")
    assert list(shown) == ["Carers and family"], "drafts are not in the directory"
    assert "For those who care." in shown["Carers and family"]
    assert "a moderator approves each request" in shown["Carers and family"]
    assert "Your communities" not in response.content.decode()


def test_an_unlisted_community_is_only_in_its_own_members_block(community_index):
    quiet = CommunityPageFactory(parent=community_index, title="Quiet room", is_listed=False)
    member, invited, asker, outsider = (person(name) for name in ("M", "I", "A", "O"))
    join(quiet, member)
    join(quiet, invited, state=State.INVITED, rules_version=None)
    join(quiet, asker, state=State.REQUESTED, rules_version=None)

    for user in (None, outsider, asker):
        assert "Quiet room" not in signed_in(user).get(DIRECTORY).content.decode()
    mine = cards(signed_in(member).get(DIRECTORY), "own-communities")
    assert "Quiet room" in mine and "Unlisted" in mine["Quiet room"]
    assert "Quiet room" not in cards(signed_in(member).get(DIRECTORY), "all-communities")
    theirs = cards(signed_in(invited).get(DIRECTORY), "own-communities")
    assert "You are invited" in theirs["Quiet room"]


def test_your_communities_show_each_state_as_a_badge(community_index):
    viewer = person("Viewer")
    states = {
        "Active here": State.ACTIVE,
        "Asked here": State.REQUESTED,
        "Invited here": State.INVITED,
        "Refused here": State.REFUSED,
        "Removed here": State.REMOVED,
    }
    for title, state in states.items():
        community = CommunityPageFactory(parent=community_index, title=title)
        join(community, viewer, state=state)
    CommunityPageFactory(parent=community_index, title="Not mine")

    mine = cards(signed_in(viewer).get(DIRECTORY), "own-communities")

    assert set(mine) == {"Active here", "Asked here", "Invited here"}
    assert "Member" in mine["Active here"]
    assert "Request waiting" in mine["Asked here"]
    assert "You are invited" in mine["Invited here"]


def test_moderators_see_how_many_requests_wait(community_index):
    community = CommunityPageFactory(parent=community_index, title="Progressive MS")
    moderator, member = person("Mod"), person("Member")
    join(community, moderator, role=CommunityMembership.Role.MODERATOR)
    join(community, member)
    for number in range(3):
        join(community, person(f"Asker {number}"), state=State.REQUESTED, rules_version=None)

    assert (
        "3 requests to decide"
        in cards(signed_in(moderator).get(DIRECTORY), "own-communities")["Progressive MS"]
    )
    assert "to decide" not in signed_in(member).get(DIRECTORY).content.decode()


def test_counts_are_only_what_the_viewer_may_see(community_index, blog_index):
    community = CommunityPageFactory(parent=community_index, title="Newly diagnosed")
    moderator = person("Moderator", visibility=Profile.Visibility.ONLY_ME)
    join(community, moderator, role=CommunityMembership.Role.MODERATOR)
    shown_public = person("Shown public")
    join(community, shown_public, show_on_profile=True)
    join(community, person("Shown to members", visibility="members"), show_on_profile=True)
    join(community, person("Not shown"))
    join(community, person("Asker"), state=State.REQUESTED, rules_version=None)
    join(community, person("Removed"), state=State.REMOVED)
    for title in ("First", "Second"):
        BlogPageFactory(
            parent=blog_index,
            title=title,
            author=shown_public,
            audience=Audience.COMMUNITY,
            community=community,
        )
    BlogPageFactory(
        parent=blog_index,
        title="Draft",
        author=shown_public,
        audience=Audience.COMMUNITY,
        community=community,
        publish=False,
    )
    BlogPageFactory(parent=blog_index, title="Public, not in the community", author=shown_public)
    outsider, member = person("Outsider"), person("Fellow", visibility="only_me")
    join(community, member)

    counts = {
        name: (found.member_count, found.item_count)
        for name, user in (("visitor", None), ("outsider", outsider), ("member", member))
        for found in [by_title(listed_communities(viewer=user))["Newly diagnosed"]]
    }

    # The moderator, and who shows it on a profile the viewer may see; the member
    # also sees every fellow member with a visible profile, and themselves.
    assert counts == {"visitor": (2, 0), "outsider": (3, 0), "member": (5, 2)}
    text = cards(signed_in(member).get(DIRECTORY), "all-communities")["Newly diagnosed"]
    assert "5 members" in text and "2 items" in text
    text = cards(signed_in(outsider).get(DIRECTORY), "all-communities")["Newly diagnosed"]
    assert "3 members" in text and "items for members only" in text


def test_a_member_who_left_or_was_removed_counts_as_an_outsider(community_index, blog_index):
    community = CommunityPageFactory(parent=community_index, title="Newly diagnosed")
    author = person("Author", visibility="members")
    join(community, author)
    BlogPageFactory(
        parent=blog_index, author=author, audience=Audience.COMMUNITY, community=community
    )
    leaver, removed = person("Leaver"), person("Removed")
    join(community, leaver).delete()
    join(community, removed, state=State.REMOVED)

    for user in (leaver, removed):
        found = by_title(listed_communities(viewer=user))["Newly diagnosed"]
        assert (found.member_count, found.item_count) == (0, 0)
        assert own_communities(viewer=user) == []


def test_community_titles_and_descriptions_are_escaped(community_index):
    for number, payload in enumerate(PAYLOADS):
        CommunityPageFactory(
            parent=community_index,
            title=f"{payload} {number}",
            slug=f"hostile-{number}",
            intro=payload,
        )

    assert_harmless(Client().get(DIRECTORY).content.decode(), "directory")


def test_the_directory_canaries(world):
    """No persona sees the unlisted community's name or any private item's words."""
    problems = []
    for persona in PERSONAS:
        text = page_text(world.client(persona).get(DIRECTORY))
        found = leaks(text, hidden_words(persona) | {UNLISTED_NAME_WORD})
        if found:
            problems.append(f"{persona} saw {sorted(found)}")
        for name in ("Newly diagnosed", "Carers and family"):
            if name not in text:
                problems.append(f"{persona} does not see the listed {name}")
    assert problems == []


def fill(index, blog_index, viewer, count, prefix):
    """``count`` communities with a member each, an item each, and ``viewer`` in all of them."""
    for number in range(count):
        community = CommunityPageFactory(parent=index, title=f"{prefix} community {number}")
        author = person(f"{prefix} author {number}")
        join(community, author, show_on_profile=True)
        join(community, viewer, role=CommunityMembership.Role.MODERATOR)
        join(
            community, person(f"{prefix} asker {number}"), state=State.REQUESTED, rules_version=None
        )
        BlogPageFactory(
            parent=blog_index,
            title=f"{prefix} item {number}",
            author=author,
            audience=Audience.COMMUNITY,
            community=community,
        )


def queries_for(client):
    client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DIRECTORY)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("count", [1, 10])
def test_directory_queries_do_not_grow(
    community_index, blog_index, django_assert_max_num_queries, count
):
    viewer = person("Viewer")
    fill(community_index, blog_index, viewer, count, "fill")
    client = signed_in(viewer)
    client.get(DIRECTORY)

    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        response = client.get(DIRECTORY)

    assert len(cards(response, "own-communities")) == count


def test_directory_costs_the_same_with_1_or_50_communities_and_memberships(
    community_index, blog_index
):
    small_viewer, large_viewer = person("Small"), person("Large")
    fill(community_index, blog_index, small_viewer, 1, "small")
    small, _ = queries_for(signed_in(small_viewer))

    fill(community_index, blog_index, large_viewer, 50, "large")
    large, response = queries_for(signed_in(large_viewer))

    assert large == small
    assert len(cards(response, "own-communities")) == 50
    assert len(cards(response, "all-communities")) == 51
