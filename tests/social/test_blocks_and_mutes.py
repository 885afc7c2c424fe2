"""Blocking and muting: what each changes, the page that undoes them, and the reply refusal."""

from django.test import Client

import pytest

from discussion.services import ReplyTargetGone, comment_post
from social.models import MemberBlock, MemberFollow, MemberMute
from social.services import (
    SelfRelationRefused,
    block_create,
    block_delete,
    follow_create,
    mute_create,
    mute_delete,
)
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory
from tests.social.helpers import EVERYONE, MEMBERS, person, url
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

# Measured on SQLite; the same for 1 or 20 blocks and mutes.
BLOCKS_PAGE_QUERIES = 11


def test_blocking_removes_follows_both_ways_and_is_idempotent(alice, bob):
    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)

    _, created = block_create(blocker=alice, blocked=bob)
    _, again = block_create(blocker=alice, blocked=bob)

    assert created and not again
    assert MemberBlock.objects.count() == 1
    assert not MemberFollow.objects.exists()
    assert block_delete(blocker=alice, blocked=bob) is True
    assert block_delete(blocker=alice, blocked=bob) is False
    # Unblocking does not bring the follows back.
    assert not MemberFollow.objects.exists()


def test_self_block_and_self_mute_are_refused(alice):
    with pytest.raises(SelfRelationRefused):
        block_create(blocker=alice, blocked=alice)
    with pytest.raises(SelfRelationRefused):
        mute_create(muter=alice, muted=alice)


def test_mute_is_idempotent_and_leaves_follows_alone(alice, bob):
    follow_create(follower=alice, followee=bob)
    assert mute_create(muter=alice, muted=bob)[1] is True
    assert mute_create(muter=alice, muted=bob)[1] is False
    assert MemberMute.objects.count() == 1
    assert MemberFollow.objects.count() == 1
    assert mute_delete(muter=alice, muted=bob) is True
    assert mute_delete(muter=alice, muted=bob) is False


@pytest.mark.parametrize(("visibility", "visible"), [(MEMBERS, False), (EVERYONE, True)])
def test_blocked_member_sees_the_blocker_only_as_a_visitor_would(
    client, alice, bob, visibility, visible
):
    alice.profile.visibility = visibility
    alice.profile.save()
    block_create(blocker=alice, blocked=bob)
    client.force_login(bob)

    response = client.get(url(alice))

    assert (response.status_code == 200) is visible
    if not visible:
        unknown = client.get("/members/nobody-abc123/")
        assert response.status_code == unknown.status_code == 404


def test_blocked_member_cannot_follow_the_blocker(client, alice, bob):
    alice.profile.visibility = EVERYONE
    alice.profile.save()
    block_create(blocker=alice, blocked=bob)
    client.force_login(bob)

    assert client.post(url(alice, "follow")).status_code == 404
    assert not MemberFollow.objects.exists()


def test_block_and_mute_buttons_on_the_profile(client, alice, bob):
    client.force_login(alice)

    html = client.get(url(bob)).content.decode()
    assert 'aria-label="Block Bob B"' in html and 'aria-label="Mute Bob B"' in html

    client.post(url(bob, "mute"))
    client.post(url(bob, "block"))
    assert MemberMute.objects.filter(muter=alice, muted=bob).exists()
    assert MemberBlock.objects.filter(blocker=alice, blocked=bob).exists()
    html = client.get(url(bob)).content.decode()
    assert 'aria-label="Unblock Bob B"' in html and 'aria-label="Unmute Bob B"' in html
    # No follow button while blocked.
    assert 'aria-label="Follow Bob B"' not in html


def test_blocks_page_lists_and_undoes(client, alice, bob, portal):
    carol = person("Carol C")
    block_create(blocker=alice, blocked=bob)
    mute_create(muter=alice, muted=carol)
    client.force_login(alice)

    html = client.get("/me/blocked/").content.decode()
    assert 'aria-label="Unblock Bob B"' in html
    assert 'aria-label="Unmute Carol C"' in html

    client.post(url(bob, "unblock"))
    client.post(url(carol, "unmute"))
    assert not MemberBlock.objects.exists() and not MemberMute.objects.exists()
    html = client.get("/me/blocked/").content.decode()
    assert "You have not blocked anyone." in html and "You have not muted anyone." in html


def test_unblock_works_even_when_the_blocked_profile_is_now_hidden(client, alice, bob):
    block_create(blocker=alice, blocked=bob)
    bob.profile.visibility = "only_me"
    bob.profile.save()
    client.force_login(alice)

    response = client.post(url(bob, "unblock"))

    assert response.status_code == 302
    assert response["Location"] == "/me/blocked/"
    assert not MemberBlock.objects.exists()


def test_blocks_page_is_only_ones_own(client, alice, bob):
    block_create(blocker=bob, blocked=alice)
    client.force_login(alice)
    assert "Bob B" not in client.get("/me/blocked/").content.decode()
    assert Client().get("/me/blocked/").status_code == 302


def test_blocks_page_needs_post_and_csrf_for_undo(alice, bob):
    block_create(blocker=alice, blocked=bob)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(url(bob, "unblock")).status_code == 403
    assert strict.get(url(bob, "unblock")).status_code == 405
    assert MemberBlock.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_blocks_page_queries_do_not_grow(client, alice, django_assert_max_num_queries, count):
    for number in range(count):
        other = person(f"Other {number}")
        block_create(blocker=alice, blocked=other)
        mute_create(muter=alice, muted=other)
    client.force_login(alice)

    with django_assert_max_num_queries(BLOCKS_PAGE_QUERIES):
        response = client.get("/me/blocked/")
    assert response.content.decode().count("Unblock Other") == count


def test_blocked_member_cannot_reply_to_the_blocker(alice, bob, blog_index):
    page = BlogPageFactory(parent=blog_index)
    with_consent(bob)
    mine = add_comment(page, alice, "My comment")
    block_create(blocker=alice, blocked=bob)

    with pytest.raises(ReplyTargetGone) as refusal:
        comment_post(user=bob, page=page, text="A reply", parent_id=mine.pk)
    gone = add_comment(page, alice, "Removed", state="removed")
    with pytest.raises(ReplyTargetGone) as missing:
        comment_post(user=bob, page=page, text="A reply", parent_id=gone.pk)
    # Exactly the refusal of a reply target that is gone.
    assert str(refusal.value) == str(missing.value)


def test_blocked_member_cannot_reply_through_the_endpoint(client, alice, bob, blog_index):
    from discussion.models import PageComment

    page = BlogPageFactory(parent=blog_index)
    with_consent(bob)
    mine = add_comment(page, alice, "My comment")
    block_create(blocker=alice, blocked=bob)
    client.force_login(bob)

    response = client.post(
        f"/comments/{page.pk}/",
        {"comment": "A reply", "parent": mine.pk},
        HTTP_ACCEPT="application/json",
    )

    assert 400 <= response.status_code < 500
    assert not PageComment.objects.filter(user=bob).exists()


def test_others_and_top_level_comments_still_work_for_the_blocked(alice, bob, blog_index, portal):
    carol = person("Carol C")
    page = BlogPageFactory(parent=blog_index)
    with_consent(bob)
    theirs = add_comment(page, carol, "Carol's comment")
    block_create(blocker=alice, blocked=bob)

    reply = comment_post(user=bob, page=page, text="A reply", parent_id=theirs.pk)
    assert reply.pk


def test_blocking_through_the_deepest_level_still_refuses(alice, bob, blog_index, portal):
    from discussion.services import MAX_LEVEL

    carol = person("Carol C")
    page = BlogPageFactory(parent=blog_index)
    with_consent(bob)
    parent = add_comment(page, carol, "Level 0")
    for level in range(MAX_LEVEL):
        author = alice if level == MAX_LEVEL - 1 else carol
        parent = add_comment(page, author, f"Level {level + 1}", parent=parent)
    block_create(blocker=alice, blocked=bob)

    # Answering Alice's deepest comment attaches beside it, under Carol's.
    with pytest.raises(ReplyTargetGone):
        comment_post(user=bob, page=page, text="A reply", parent_id=parent.pk)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_on_the_blocks_page_are_inert(client, alice, payload, portal):
    other = person("Hostile")
    other.display_name = payload[:60]
    other.save()
    block_create(blocker=alice, blocked=other)
    mute_create(muter=alice, muted=other)
    client.force_login(alice)
    assert_harmless(client.get("/me/blocked/").content.decode())


def test_a_blocked_reader_sees_the_blockers_byline_without_a_link_to_a_members_only_profile(
    client, blog_index, alice, bob
):
    carol = person("Carol C", visibility=EVERYONE)
    BlogPageFactory(parent=blog_index, author=alice, title="Alice on pacing")
    BlogPageFactory(parent=blog_index, author=carol, title="Carol on heat")
    block_create(blocker=alice, blocked=bob)
    block_create(blocker=carol, blocked=bob)
    client.force_login(bob)

    html = client.get("/blogs/").content.decode()

    # Alice's profile is for members, which Bob no longer is to her: plain text.
    assert "Alice A" in html
    assert f'href="{url(alice)}"' not in html
    # Carol's is public: Bob may see it as any visitor can.
    assert f'href="{url(carol)}"' in html
    assert client.get(url(carol)).status_code == 200
    assert client.get(url(alice)).status_code == 404
    # Others still get the link.
    client.force_login(person("Dan D"))
    assert f'href="{url(alice)}"' in client.get("/blogs/").content.decode()
