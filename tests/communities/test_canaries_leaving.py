"""Leaving or being removed takes effect on the very next request, on every surface.

Kindred keeps no server-side cache of pages or fragments today (the only
cache holds throttle counters), and signed-in responses are
``Cache-Control: private, no-store``: each request asks the membership table
again through ``readable_content``. These tests prove it for the item page,
a listing, the feed and search, with the same signed-in client before and
after: leaving deletes the membership row; removal keeps it as "removed".
"""

import pytest

from core.models import CommunityMembership
from social.services import follow_create
from tests.communities.conftest import SHARED, page_text, word
from tests.discussion.conftest import with_consent
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory

pytestmark = pytest.mark.django_db


def _surfaces(world):
    return {
        "item page": world.items["a"].url,
        "listing": world.items["a"].get_parent().url,
        "tag page": f"/tags/{word('a', 'tag')}/",
        "home": "/",
        "feed": "/feed/",
        "search": f"/search/?q={SHARED}",
        "autocomplete": "/search/autocomplete/?q=zq",
        "comments": f"/comments/api/{world.items['a'].pk}/",
    }


def _what_shows(client, world):
    """``{surface: whether any word of A's item shows there}``, and the item page's status."""
    seen = {}
    for surface, url in _surfaces(world).items():
        response = client.get(url)
        text = page_text(response)
        seen[surface] = any(
            word("a", part) in text for part in ("body", "summary", "comment", "tag", "title")
        )
        if surface == "item page":
            seen["item status"] = response.status_code
            seen["item body"] = word("a", "body") in text
            seen["cache"] = response.headers.get("Cache-Control", "")
    return seen


@pytest.fixture
def joiner(world):
    """A member of A who follows A's author (so the feed has A's item to show)."""
    user = with_consent(UserFactory(group="Members", display_name="Joiner"))
    CommunityMembershipFactory(community=world.communities["a"], user=user)
    follow_create(follower=user, followee=world.authors["a"])
    return user


@pytest.mark.parametrize("how", ["leave", "removal"])
def test_leaving_or_removal_closes_everything_on_the_next_request(world, joiner, how):
    client = world.client("visitor")
    client.force_login(joiner)
    before = _what_shows(client, world)
    assert before["item status"] == 200 and before["item body"]
    assert "no-store" in before["cache"]
    # The positive control: every surface shows A's item to its member.
    assert all(before[surface] for surface in _surfaces(world)), before

    membership = CommunityMembership.objects.filter(user=joiner, community=world.communities["a"])
    if how == "leave":
        membership.delete()
    else:
        membership.update(state=CommunityMembership.State.REMOVED, reason="Test")

    after = _what_shows(client, world)
    assert after["item status"] == 403
    assert not after["item body"]
    # The teaser still names the item (title only); nothing else anywhere.
    shown = [surface for surface in _surfaces(world) if after[surface] and surface != "item page"]
    assert not shown, shown
