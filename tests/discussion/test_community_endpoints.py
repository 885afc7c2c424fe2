"""Every comment endpoint answers for a community's item exactly as for a missing one,
to everyone who may not read it: a visitor, a member of no community, a member of
another community, and a member who left (``readable_content`` is the gate)."""

from django.urls import reverse

import pytest

from discussion.models import CommentReport, PageComment
from tests.discussion.community_world import community_world
from tests.discussion.conftest import add_comment, same_answer

pytestmark = pytest.mark.django_db

MISSING = 987654
CANARY = "canary-community-comment"

COMMENT_ENDPOINTS = [
    ("get", "discussion:reply"),
    ("get", "discussion:permalink"),
    ("get", "discussion:report"),
    ("post", "discussion:report"),
    ("get", "discussion:edit"),
    ("post", "discussion:edit"),
]
PAGE_ENDPOINTS = [
    ("get", "discussion:api_list"),
    ("get", "discussion:api_count"),
    ("post", "discussion:post"),
]
PERSONAS = ["visitor", "outsider", "member_b", "left"]


@pytest.fixture
def world(portal, blog_index):
    world = community_world(blog_index)
    world.comment = add_comment(world.item_a, world.member_a, f"{CANARY} by a member")
    # Written while Fay was a member: her own comment, on an item she may no longer read.
    world.own = add_comment(world.item_a, world.left, f"{CANARY} by the one who left")
    world.unlisted = add_comment(world.item_u, world.member_u, f"{CANARY} unlisted")
    return world


def _sign_in(client, world, who):
    if who != "visitor":
        client.force_login(getattr(world, who))


def _call(client, method, name, object_id, **headers):
    url = reverse(name, args=[object_id])
    if method == "post":
        return client.post(
            url, {"comment": "Probe", "reason": "spam", "text": "Probe"}, headers=headers
        )
    return client.get(url, headers=headers)


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(("method", "name"), COMMENT_ENDPOINTS)
def test_comment_endpoints_answer_a_community_comment_like_a_missing_one(
    client, world, method, name, who
):
    _sign_in(client, world, who)
    missing = _call(client, method, name, MISSING)
    assert missing.status_code in (302, 404)

    for comment in (world.comment, world.own, world.unlisted):
        response = _call(client, method, name, comment.pk)
        assert same_answer(response, missing), f"{who}: {method} {name} #{comment.pk}"
        assert CANARY not in response.content.decode()
    assert not CommentReport.objects.exists()
    assert not PageComment.objects.filter(comment="Probe").exists()


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(("method", "name"), PAGE_ENDPOINTS)
def test_page_endpoints_answer_a_community_item_like_a_missing_one(
    client, world, method, name, who
):
    _sign_in(client, world, who)
    missing = _call(client, method, name, MISSING)
    assert missing.status_code == 404

    for item in (world.item_a, world.item_u):
        response = _call(client, method, name, item.pk)
        assert same_answer(response, missing), f"{who}: {method} {name} {item.title}"
        assert CANARY not in response.content.decode()
        json_response = _call(client, method, name, item.pk, accept="application/json")
        assert same_answer(
            json_response, _call(client, method, name, MISSING, accept="application/json")
        )
    assert not PageComment.objects.filter(comment="Probe").exists()


def test_a_reply_to_a_community_comment_from_another_page_is_refused_like_a_missing_one(
    client, world, blog_index
):
    """A member of B may post on B's item, but not hang a reply on A's comment."""
    client.force_login(world.member_b)

    def reply_to(comment_id):
        return client.post(
            reverse("discussion:post", args=[world.item_b.pk]),
            {"comment": "Probe", "parent": comment_id},
        )

    assert same_answer(reply_to(world.comment.pk), reply_to(MISSING))
    assert not PageComment.objects.filter(comment="Probe").exists()


def test_members_of_the_community_reach_every_endpoint(client, world):
    """The positive control: the same ids work for a member of A."""
    client.force_login(world.member_a)
    comment = world.comment

    assert client.get(reverse("discussion:reply", args=[comment.pk])).status_code == 200
    assert client.get(reverse("discussion:report", args=[comment.pk])).status_code == 200
    assert client.get(reverse("discussion:permalink", args=[comment.pk])).status_code == 302
    listed = client.get(reverse("discussion:api_list", args=[world.item_a.pk])).json()
    assert CANARY in str(listed["comments"])
    counted = client.get(reverse("discussion:api_count", args=[world.item_a.pk])).json()
    assert counted["count"] == 2
    client.force_login(world.mod_a)
    assert client.get(reverse("discussion:edit", args=[world.own.pk])).status_code == 404
