"""A community's page: what each viewer sees and may do there, and nothing more.

The actions are forms posting to the fixed addresses (communities.membership_urls);
these tests read the rendered forms (action, field names and values) as the
browser would submit them. Items come through ``content_listing`` (so a
non-member gets none), members through ``visible_members_condition``.
"""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

from accounts.models import User
from communities.selectors import community_page_context
from core.models import Audience, CommunityMembership, CommunityPage
from ratings.services import rating_upsert
from social.models import Profile
from social.services import block_create
from tests.communities.conftest import PERSONAS, hidden_words, leaks, page_text, word
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.html import without_csrf_tokens
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

State = CommunityMembership.State
# The community page for a member who moderates it, with items, members and
# requests: a fixed number, whatever their numbers. +3 for sharing (a listed
# community's page may be shared): view restrictions, the rules, the default.
COMMUNITY_PAGE_QUERIES = 31

DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length


@pytest.fixture
def community(community_index):
    return CommunityPageFactory(
        parent=community_index, title="Newly diagnosed", slug="newly-diagnosed"
    )


def person(name, *, visibility=Profile.Visibility.MEMBERS):
    # A display name holds what the account form lets through (PostgreSQL refuses more).
    user = UserFactory(group="Members", display_name=name[:DISPLAY_NAME_MAX_LENGTH])
    ProfileFactory(user=user, visibility=visibility)
    return user


def join(community, user, **kwargs):
    return CommunityMembershipFactory(community=community, user=user, **kwargs)


def signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def get(community, user=None, query=""):
    response = signed_in(user).get(community.url + query)
    return response, BeautifulSoup(response.content, "html.parser")


def forms(soup):
    """Each form on the page but the header's log-out and search and the share buttons
    (tests/sharing): (action, {field: value})."""
    found = []
    for form in soup.select("main form:not(.share-form)"):
        fields = {
            field["name"]: field.get("value", "")
            for field in form.find_all(["input", "textarea", "button"])
            if field.get("name") and field.get("name") != "csrfmiddlewaretoken"
        }
        found.append((form["action"], fields))
    return found


def actions(soup):
    return {action for action, _ in forms(soup)}


def url(community, name):
    return {
        "join": f"/communities/{community.slug}/join/",
        "leave": f"/communities/{community.slug}/leave/",
        "rules_accept": f"/communities/{community.slug}/rules/accept/",
        "invitation_accept": f"/communities/{community.slug}/invitation/accept/",
        "invitation_decline": f"/communities/{community.slug}/invitation/decline/",
        "profile_listing": f"/communities/{community.slug}/profile-listing/",
        "invite": f"/communities/{community.slug}/invite/",
        "request_decide": f"/communities/{community.slug}/requests/decide/",
        "member_remove": f"/communities/{community.slug}/members/remove/",
        "moderate": f"/communities/{community.slug}/moderate/",
    }[name]


def text_of(soup):
    return " ".join(soup.select_one("main").get_text(" ").split())


# -- What each viewer may do ------------------------------------------------------


def test_visitor_is_asked_to_sign_in_and_offered_no_form(community):
    response, soup = get(community)

    assert response.status_code == 200
    link = soup.find("a", string="Sign in to join")
    assert link is not None and link["href"].startswith("/accounts/login/?next=")
    assert forms(soup) == []
    assert "Be kind" in text_of(soup), "the rules are public for a listed community"


@pytest.mark.parametrize(
    ("policy", "label"),
    [(CommunityPage.JoinPolicy.OPEN, "Join"), (CommunityPage.JoinPolicy.REQUEST, "Ask to join")],
)
def test_outsider_joins_or_asks_with_the_rules_and_their_version(community, policy, label):
    community.join_policy = policy
    community.rules_version = 3
    community.save()
    outsider = person("Outsider")

    _, soup = get(community, outsider)

    assert forms(soup) == [(url(community, "join"), {"rules_version": "3", "accept_rules": "on"})]
    form = soup.select_one(f'main form[action="{url(community, "join")}"]')
    assert form.find("input", attrs={"name": "accept_rules"}).has_attr("required")
    assert form.find("button").get_text(strip=True) == label
    assert "version 3" in text_of(soup)


def test_invitation_only_community_offers_an_outsider_no_way_in(community):
    community.join_policy = CommunityPage.JoinPolicy.INVITATION
    community.save()

    _, soup = get(community, person("Outsider"))

    assert forms(soup) == []
    assert "by invitation only" in text_of(soup)


def test_a_waiting_request_is_said_and_nothing_offered(community):
    asker = person("Asker")
    join(community, asker, state=State.REQUESTED, rules_version=None)

    _, soup = get(community, asker)

    assert "Your request is waiting" in text_of(soup)
    assert forms(soup) == [(url(community, "leave"), {})], "withdrawing is leaving"


def test_a_refused_request_shows_the_reason_and_asking_again(community):
    community.join_policy = CommunityPage.JoinPolicy.REQUEST
    community.save()
    refused = person("Refused")
    join(community, refused, state=State.REFUSED, reason="Please tell us who you care for.")

    _, soup = get(community, refused)

    assert "Please tell us who you care for." in text_of(soup)
    assert forms(soup) == [(url(community, "join"), {"rules_version": "1", "accept_rules": "on"})]
    assert soup.find("button", string="Ask again") is not None


def test_an_invitation_is_accepted_with_the_rules_or_declined(community):
    invited = person("Invited")
    join(community, invited, state=State.INVITED, rules_version=None)

    _, soup = get(community, invited)

    assert forms(soup) == [
        (url(community, "invitation_accept"), {"rules_version": "1", "accept_rules": "on"}),
        (url(community, "invitation_decline"), {}),
    ]


def test_a_removed_member_sees_the_reason_and_may_ask_to_come_back(community):
    removed = person("Removed")
    join(community, removed, state=State.REMOVED, reason="Selling supplements.")

    _, soup = get(community, removed)

    assert "You were removed" in text_of(soup)
    assert "Selling supplements." in text_of(soup)
    assert forms(soup) == [(url(community, "join"), {"rules_version": "1", "accept_rules": "on"})]
    assert soup.find("button", string="Ask to come back") is not None


def test_a_member_leaves_shows_it_on_their_profile_and_writes_here(community):
    member = person("Member")
    join(community, member)

    _, soup = get(community, member)

    assert forms(soup) == [
        (url(community, "profile_listing"), {"show": "on"}),
        (url(community, "leave"), {}),
    ]
    write = soup.find("a", string="Write in this community")
    assert write["href"] == f"/write/?community={community.slug}"
    assert url(community, "moderate") not in str(soup)
    assert "The rules changed" not in text_of(soup)


def test_a_member_who_shows_it_can_hide_it_again(community):
    member = person("Member")
    join(community, member, show_on_profile=True)

    _, soup = get(community, member)

    assert (url(community, "profile_listing"), {"show": ""}) in forms(soup)


def test_a_member_of_older_rules_is_asked_to_accept_the_new_ones(community):
    member = person("Member")
    join(community, member, rules_version=1)
    CommunityPage.objects.filter(pk=community.pk).update(rules_version=2)
    community.refresh_from_db()

    _, soup = get(community, member)

    assert "The rules changed" in text_of(soup)
    assert (url(community, "rules_accept"), {"rules_version": "2", "accept_rules": "on"}) in forms(
        soup
    )


def test_a_moderator_decides_requests_invites_removes_and_moderates(community):
    moderator = person("Moderator")
    join(community, moderator, role=CommunityMembership.Role.MODERATOR)
    member = person("Plain member")
    join(community, member)
    asker = person("Asker")
    request = join(community, asker, state=State.REQUESTED, rules_version=None)

    _, soup = get(community, moderator)

    found = forms(soup)
    assert (
        url(community, "request_decide"),
        {"membership": str(request.pk), "decision": "approve"},
    ) in found
    assert (
        url(community, "request_decide"),
        {"membership": str(request.pk), "decision": "refuse", "reason": ""},
    ) in found
    assert (url(community, "invite"), {"handle": ""}) in found
    member_row = CommunityMembership.objects.get(community=community, user=member)
    assert (
        url(community, "member_remove"),
        {"membership": str(member_row.pk), "reason": ""},
    ) in found
    # Nobody is offered to remove themselves or another moderator here.
    removable = [fields["membership"] for action, fields in found if "members/remove" in action]
    assert removable == [str(member_row.pk)]
    assert soup.find("a", href=url(community, "moderate")) is not None


def test_requests_and_moderator_tools_are_for_moderators_only(community):
    member = person("Member")
    join(community, member)
    join(community, person("Asker"), state=State.REQUESTED, rules_version=None)

    _, soup = get(community, member)

    assert "Asker" not in text_of(soup)
    assert not actions(soup) & {
        url(community, name) for name in ("invite", "request_decide", "member_remove")
    }


# -- Items ------------------------------------------------------------------------


def community_item(community, blog_index, title, **kwargs):
    author = person(f"Author of {title}")
    join(community, author)
    return BlogPageFactory(
        parent=blog_index,
        author=author,
        title=title,
        audience=Audience.COMMUNITY,
        community=community,
        **kwargs,
    )


def test_a_member_sees_the_newest_and_top_rated_items(community, blog_index):
    old = community_item(community, blog_index, "An older post here")
    new = community_item(community, blog_index, "A newer post here")
    draft = community_item(community, blog_index, "A draft here", publish=False)
    elsewhere = BlogPageFactory(parent=blog_index, title="A public post elsewhere")
    member = person("Member")
    join(community, member)
    rating_upsert(page=old, score=5, user=member)

    _, soup = get(community, member)

    newest = soup.select_one("section[aria-labelledby=newest-heading]").get_text(" ")
    top = soup.select_one("section[aria-labelledby=top-heading]").get_text(" ")
    assert newest.index(new.title) < newest.index(old.title)
    assert draft.title not in newest and elsewhere.title not in newest
    assert old.title in top and new.title not in top, "only rated items are top rated"
    assert "2 items" in text_of(soup)


@pytest.mark.parametrize("viewer", ["visitor", "outsider", "requested", "invited", "removed"])
def test_a_non_member_sees_no_item_of_the_community(community, blog_index, viewer):
    item = community_item(community, blog_index, "Only for members here")
    user = None
    if viewer != "visitor":
        user = person(viewer)
        if viewer != "outsider":
            join(community, user, state=viewer, rules_version=None)

    response, soup = get(community, user)

    assert response.status_code == 200
    assert item.title not in response.content.decode()
    assert item.summary not in response.content.decode()
    assert "Only members of Newly diagnosed can read" in text_of(soup)
    # The selector itself gives nothing, not only the template hiding it.
    context = community_page_context(viewer=user, community=community)
    assert (context["newest_items"], context["top_rated_items"], context["item_count"]) == (
        [],
        [],
        0,
    )


# -- Members ----------------------------------------------------------------------


@pytest.fixture
def people(community):
    """A moderator with a hidden profile, and members with every kind of profile and choice."""
    people = {
        "moderator": person("Moderator Mo", visibility=Profile.Visibility.ONLY_ME),
        "public_shown": person("Public Shown", visibility=Profile.Visibility.EVERYONE),
        "public_unshown": person("Public Unshown", visibility=Profile.Visibility.EVERYONE),
        "members_shown": person("Members Shown"),
        "members_unshown": person("Members Unshown"),
        "hidden_shown": person("Hidden Shown", visibility=Profile.Visibility.ONLY_ME),
        "requester": person("Requester Rae", visibility=Profile.Visibility.EVERYONE),
        "gone": person("Deactivated Dee", visibility=Profile.Visibility.EVERYONE),
    }
    join(community, people["moderator"], role=CommunityMembership.Role.MODERATOR)
    for name in ("public_shown", "members_shown", "hidden_shown"):
        join(community, people[name], show_on_profile=True)
    for name in ("public_unshown", "members_unshown"):
        join(community, people[name])
    join(community, people["requester"], state=State.REQUESTED, rules_version=None)
    join(community, people["gone"], show_on_profile=True)
    people["gone"].is_active = False
    people["gone"].save()
    return people


def listed_names(soup):
    return {
        " ".join(li.select_one(".member-name").get_text(" ").replace("(you)", "").split())
        for li in soup.select(".member-list .member")
    }


MODERATOR_ONLY = {"Moderator Mo"}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        # Moderators, and who chose to show it on a profile the viewer may see.
        ("visitor", MODERATOR_ONLY | {"Public Shown"}),
        ("outsider", MODERATOR_ONLY | {"Public Shown", "Members Shown"}),
        # Fellow members: everyone whose profile they may see.
        (
            "member",
            MODERATOR_ONLY
            | {"Public Shown", "Public Unshown", "Members Shown", "Members Unshown", "Viewer"},
        ),
        # The community's moderators: every active member.
        (
            "moderator",
            MODERATOR_ONLY
            | {
                "Public Shown",
                "Public Unshown",
                "Members Shown",
                "Members Unshown",
                "Hidden Shown",
                "Viewer",
            },
        ),
    ],
)
def test_the_member_list_respects_choices_and_profiles(community, people, viewer, expected):
    user = None
    if viewer != "visitor":
        user = person("Viewer", visibility=Profile.Visibility.ONLY_ME)
        if viewer == "member":
            join(community, user)
        elif viewer == "moderator":
            join(community, user, role=CommunityMembership.Role.MODERATOR)

    _, soup = get(community, user)

    assert listed_names(soup) == expected
    assert f"{len(expected)} member" in soup.select_one(".community-counts").get_text()
    moderators = {
        " ".join(li.select_one(".member-name").get_text(" ").replace("(you)", "").split())
        for li in soup.select(".member-list .member")
        if li.select_one(".badge-moderator")
    }
    assert moderators == MODERATOR_ONLY | ({"Viewer"} if viewer == "moderator" else set())


def test_a_hidden_profile_is_named_but_neither_linked_nor_pictured(community, people):
    _, soup = get(community, None)

    moderator = next(li for li in soup.select(".member") if "Moderator Mo" in li.get_text())
    assert moderator.find("a") is None, "an 'only me' profile is never linked"
    public = next(li for li in soup.select(".member") if "Public Shown" in li.get_text())
    assert public.find("a")["href"] == people["public_shown"].profile.get_absolute_url()


def test_a_member_who_blocked_the_viewer_is_seen_as_a_visitor_sees_them(community, people):
    viewer = person("Viewer")
    join(community, viewer)
    block_create(blocker=people["members_unshown"], blocked=viewer)

    _, soup = get(community, viewer)

    assert "Members Unshown" not in listed_names(soup)
    assert "Public Unshown" in listed_names(soup)


def test_the_member_list_is_paged(community, monkeypatch):
    monkeypatch.setattr("communities.selectors.MEMBERS_PER_PAGE", 2)
    for number in range(5):
        join(community, person(f"Shown {number}", visibility="everyone"), show_on_profile=True)

    _, first = get(community)
    _, last = get(community, query="?members=3")

    assert listed_names(first) == {"Shown 0", "Shown 1"}
    assert listed_names(last) == {"Shown 4"}
    assert "5 members" in text_of(first)


@pytest.mark.parametrize(
    "value", ["abc", "-1", "0", "99999999999999999999999", "<script>", "1\x00", "2.5"]
)
def test_a_hostile_members_page_number_gives_a_valid_page(community, value):
    join(community, person("Shown", visibility="everyone"), show_on_profile=True)

    response = Client().get(community.url, {"members": value})

    assert response.status_code == 200
    assert "Shown" in response.content.decode()
    assert_harmless(response.content.decode(), "community page")


def test_names_reasons_and_handles_are_escaped(community):
    moderator = person("Moderator")
    join(community, moderator, role=CommunityMembership.Role.MODERATOR)
    for payload in PAYLOADS:
        join(community, person(payload, visibility="everyone"), show_on_profile=True)
        asker = person(f"{payload} asks")
        join(community, asker, state=State.REQUESTED, rules_version=None)
    refused = person("Refused")
    join(community, refused, state=State.REFUSED, reason=PAYLOADS[0])

    for viewer in (None, moderator, refused):
        assert_harmless(signed_in(viewer).get(community.url).content.decode(), "community page")


# -- Who gets the page --------------------------------------------------------------


def test_an_unlisted_community_is_missing_for_outsiders_and_there_for_members(community_index):
    quiet = CommunityPageFactory(parent=community_index, title="Quiet room", is_listed=False)
    member, invited, outsider = person("Member"), person("Invited"), person("Outsider")
    join(quiet, member)
    join(quiet, invited, state=State.INVITED, rules_version=None)

    assert signed_in(None).get(quiet.url).status_code == 404
    assert signed_in(outsider).get(quiet.url).status_code == 404
    assert signed_in(member).get(quiet.url).status_code == 200
    assert signed_in(invited).get(quiet.url).status_code == 200


# -- Query counts -------------------------------------------------------------------


def fill(community, blog_index, viewer, count, index, prefix="fill"):
    """``count`` members (half showing it), items (rated), requests, and other memberships of
    ``viewer`` (in communities they moderate)."""
    for number in range(count):
        join(community, person(f"{prefix} {number}", visibility="everyone"), show_on_profile=True)
        item = community_item(community, blog_index, f"{prefix} item {number}")
        rating_upsert(page=item, score=4, user=viewer)
        join(
            community, person(f"{prefix} asker {number}"), state=State.REQUESTED, rules_version=None
        )
    for number in range(count - 1):
        other = CommunityPageFactory(parent=index, title=f"{prefix} other {number}")
        join(other, viewer, role=CommunityMembership.Role.MODERATOR, show_on_profile=True)


@pytest.mark.parametrize("count", [1, 12])
def test_community_page_queries_do_not_grow(
    community, community_index, blog_index, django_assert_max_num_queries, count
):
    viewer = person("Viewer")
    join(community, viewer, role=CommunityMembership.Role.MODERATOR)
    fill(community, blog_index, viewer, count, community_index)
    client = signed_in(viewer)
    client.get(community.url)  # the site's root paths and settings are cached after this

    with django_assert_max_num_queries(COMMUNITY_PAGE_QUERIES):
        response = client.get(community.url)

    assert response.status_code == 200
    assert len(re.findall(r'name="decision" value="approve"', response.content.decode())) == count


def queries_for(client, address):
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_community_page_costs_the_same_with_1_or_50_of_everything(
    community, community_index, blog_index
):
    """1 vs 50 members, items, requests and memberships of the viewer: the same queries."""
    small_viewer, large_viewer = person("Small"), person("Large")
    join(community, small_viewer, role=CommunityMembership.Role.MODERATOR)
    join(community, large_viewer, role=CommunityMembership.Role.MODERATOR)
    fill(community, blog_index, small_viewer, 1, community_index)
    small = queries_for(signed_in(small_viewer), community.url)

    fill(community, blog_index, large_viewer, 50, community_index, prefix="large")
    large = queries_for(signed_in(large_viewer), community.url)

    assert large == small


def test_page_text_does_not_depend_on_who_asked_before(community):
    """The page is built per request: nothing of a member's view is kept for the next viewer."""
    member = person("Member")
    join(community, member, show_on_profile=False)
    signed_in(member).get(community.url)

    text = without_csrf_tokens(Client().get(community.url).content)

    assert "Leave" not in text and "Member</a>" not in text


# -- Canaries: every persona of the canary world (tests/communities/conftest.py) -----------


def test_community_page_canaries(world):
    """Each community's page for every persona: no item words they may not read, the unlisted
    community missing (404) for all of them, and A's item shown to A's member."""
    problems = []
    for persona in PERSONAS:
        client = world.client(persona)
        forbidden = hidden_words(persona)
        for key, community in world.communities.items():
            response = client.get(community.url)
            expected = 404 if key == "u" else 200
            if response.status_code != expected:
                problems.append(f"{persona} got {response.status_code} at {key}")
            found = leaks(page_text(response), forbidden)
            if found:
                problems.append(f"{persona} saw {sorted(found)} on {key}'s page")
    a_page = page_text(world.client("a_member").get(world.communities["a"].url))
    assert word("a", "title") in a_page, "the positive control: A's member sees A's item"
    for persona in ("leaver", "removed"):
        text = page_text(world.client(persona).get(world.communities["a"].url))
        if word("a", "title") in text:
            problems.append(f"{persona} still sees A's item")
    assert problems == []
