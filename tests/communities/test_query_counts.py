"""Pages cost the same queries for a member of 1 community as for a member of 50.

The membership test is a subquery inside the one listing query
(``core.selectors.active_community_ids``), never a list read first, so the
count cannot grow with memberships. Each page is measured with one
membership, then again after 49 more (each community with an item the
member reads), and must cost exactly the same.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.models import Audience, CommunityIndexPage
from social.services import follow_create, topic_follow_create
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

TAG = "fatigue"


def _community_with_item(index, blog_index, author, member, number):
    community = CommunityPageFactory(parent=index, title=f"Community {number}")
    CommunityMembershipFactory(community=community, user=member)
    CommunityMembershipFactory(community=community, user=author)
    return BlogPageFactory(
        parent=blog_index,
        author=author,
        title=f"Community item {number}",
        tags=[TAG],
        audience=Audience.COMMUNITY,
        community=community,
    )


def _counts(client, urls):
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        counts[name] = len(queries)
    return counts


def test_listings_item_pages_and_feed_do_not_grow_with_memberships(client, portal, blog_index):
    index = CommunityIndexPage.objects.get()
    member = UserFactory(group="Members", display_name="Many communities")
    author = UserFactory(group="Members", display_name="Author")
    ProfileFactory(user=author, visibility="everyone")
    first = _community_with_item(index, blog_index, author, member, 0)
    BlogPageFactory(parent=blog_index, author=author, title="Public item", tags=[TAG])
    follow_create(follower=member, followee=author)
    topic_follow_create(follower=member, tag=first.tags.get())
    client.force_login(member)
    urls = {
        "section": blog_index.url,
        "section by tag": f"{blog_index.url}?tag={TAG}",
        "top rated": f"{blog_index.url}?sort=top",
        "tag page": f"/tags/{TAG}/",
        "home": "/",
        "item page": first.url,
        "feed": "/feed/",
        "search": "/search/?q=community",
    }
    _counts(client, urls)  # warm: site, content types
    one = _counts(client, urls)

    for number in range(1, 50):
        _community_with_item(index, blog_index, author, member, number)
    _counts(client, urls)  # warm again: the cached fragments the new pages changed
    fifty = _counts(client, urls)

    assert fifty == one
    # And the member does read the fifty communities' items (the listing is full).
    assert "Community item 49" in client.get(blog_index.url).content.decode()
