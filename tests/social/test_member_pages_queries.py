"""Issue 17: the feed and the notifications list cost the same whether a member follows,
belongs to and was told about 2 things or 40 of each.

Both sizes run under the same ``django_assert_max_num_queries`` ceiling, and the two
counts are compared directly too, so a per-row query shows up as a difference.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taggit.models import Tag

import pytest

from social.models import Notification, NotificationKind
from social.notifications.services import _deliver
from social.services import follow_create, topic_follow_create
from tests.factories import BlogPageFactory, CommunityMembershipFactory, CommunityPageFactory
from tests.social.helpers import person

pytestmark = pytest.mark.django_db

# The signed-in chrome (session, user, the bell; navigation and permissions come from
# the cache), the count and page of items, their tags and the byline ties.
FEED_QUERIES = 12
# Chrome, the page of notifications and its count, readable pages, own pages, replies.
NOTIFICATION_QUERIES = 13
SIZES = (2, 40)


def _world(size, *, blog_index, community_index):
    """A reader who follows ``size`` members and topics, belongs to ``size`` communities
    (each with an item for its members) and has ``size`` notifications, half unread."""
    reader = person(f"Reader {size}")
    for n in range(size):
        author = person(f"Author {size}-{n}")
        follow_create(follower=reader, followee=author)
        page = BlogPageFactory(
            parent=blog_index, author=author, title=f"Post {size}-{n}", tags=[f"t{size}-{n}"]
        )
        topic_follow_create(follower=reader, tag=Tag.objects.get(slug=f"t{size}-{n}"))
        community = CommunityPageFactory(parent=community_index, title=f"Group {size}-{n}")
        CommunityMembershipFactory(community=community, user=reader)
        BlogPageFactory(
            parent=blog_index,
            author=author,
            title=f"For the group {size}-{n}",
            audience="community",
            community=community,
        )
        _deliver(
            recipient_ids=[reader.pk],
            kind=NotificationKind.FOLLOWED_ITEM,
            page=page,
            actor=author,
            comment_id=None,
            verb="",
            email=False,
        )
    Notification.objects.filter(
        recipient=reader,
        pk__in=Notification.objects.filter(recipient=reader)
        .order_by("pk")
        .values("pk")[: size // 2],
    ).update(read_at="2026-12-01")
    return reader


def _queries(client, url):
    client.get(url)  # warm: the route, the fragments, the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url,ceiling", [("/feed/", FEED_QUERIES), (None, NOTIFICATION_QUERIES)])
def test_feed_and_notifications_are_flat_in_follows_communities_and_notifications(
    client, blog_index, community_index, django_assert_max_num_queries, url, ceiling
):
    url = url or reverse("notifications:list")
    counts = []
    for size in SIZES:
        reader = _world(size, blog_index=blog_index, community_index=community_index)
        client.force_login(reader)
        count, html = _queries(client, url)
        with django_assert_max_num_queries(ceiling):
            client.get(url)
        assert f"Post {size}-{size - 1}" in html
        counts.append(count)
    assert counts[0] == counts[1], counts
