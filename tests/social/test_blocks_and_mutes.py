"""Blocking and muting: what each changes, the page that undoes them, and the reply refusal."""

from django.test import Client

import pytest
from bs4 import BeautifulSoup

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
# Session, user, the profile with its ties, groups and conditions, the user
# bar's reads and the bell; nothing per block.
BLOCK_CONFIRM_QUERIES = 12


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


def test_mute_is_idempotent(alice, bob):
    assert mute_create(muter=alice, muted=bob)[1] is True
    assert mute_create(muter=alice, muted=bob)[1] is False
    assert MemberMute.objects.count() == 1
    assert mute_delete(muter=alice, muted=bob) is True
    assert mute_delete(muter=alice, muted=bob) is False


# --- Follow and mute of one person exclude each other ----------------------------------


def test_muting_someone_you_follow_ends_the_follow_and_says_so(alice, bob):
    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)

    change = mute_create(muter=alice, muted=bob)

    assert change.ended == "follow"
    assert not MemberFollow.objects.filter(follower=alice, followee=bob).exists()
    # Only Alice's own follow: Bob still follows her (a mute is private to her).
    assert MemberFollow.objects.filter(follower=bob, followee=alice).exists()
    assert mute_create(muter=alice, muted=bob).ended == ""


def test_following_someone_you_muted_lifts_the_mute_and_says_so(alice, bob):
    mute_create(muter=alice, muted=bob)
    mute_create(muter=bob, muted=alice)

    follow, created = change = follow_create(follower=alice, followee=bob)

    assert created and change.ended == "mute"
    assert not MemberMute.objects.filter(muter=alice, muted=bob).exists()
    assert MemberMute.objects.filter(muter=bob, muted=alice).exists()
    assert follow_create(follower=alice, followee=bob).ended == ""


def test_follow_and_mute_are_never_both_on_whatever_the_order(alice, bob):
    for act in ["follow", "mute", "mute", "follow", "follow", "mute"]:
        if act == "follow":
            follow_create(follower=alice, followee=bob)
        else:
            mute_create(muter=alice, muted=bob)
        following = MemberFollow.objects.filter(follower=alice, followee=bob).exists()
        muting = MemberMute.objects.filter(muter=alice, muted=bob).exists()
        assert (following, muting) == (act == "follow", act == "mute")


def test_the_buttons_tell_the_member_what_else_changed(client, alice, bob):
    client.force_login(alice)
    client.post(url(bob, "follow"))

    response = client.post(url(bob, "mute"), follow=True)
    html = response.content.decode()
    assert "You muted Bob B." in html
    assert "You no longer follow them: muting ends a follow." in html
    assert 'aria-label="Follow Bob B"' in html and 'aria-label="Unmute Bob B"' in html

    html = client.post(url(bob, "follow"), follow=True).content.decode()
    assert "You now follow Bob B. You had muted them: following lifts the mute." in html
    assert 'aria-label="Unfollow Bob B"' in html and 'aria-label="Mute Bob B"' in html

    # Nothing to say when there was nothing else to end.
    html = client.post(url(bob, "unfollow"), follow=True).content.decode()
    html = client.post(url(bob, "mute"), follow=True).content.decode()
    assert "muting ends a follow" not in html


# --- Block: asked first, then done ---------------------------------------------------


def test_the_block_button_asks_first_and_is_not_a_mute_lookalike(client, alice, bob):
    client.force_login(alice)
    soup = BeautifulSoup(client.get(url(bob)).content.decode(), "html.parser")

    block = soup.select_one('[aria-label="Block Bob B"]')
    mute = soup.select_one('[aria-label="Mute Bob B"]')
    # A link to a confirmation page (no state change), styled apart from Mute.
    assert block.name == "a"
    assert block["href"].startswith(url(bob, "block"))
    assert "block-link" in block["class"]
    assert mute.name == "button" and "block-link" not in mute.get("class", [])
    assert block.find_parent("form") is None
    assert not MemberBlock.objects.exists()


def test_the_confirmation_page_says_what_a_block_does_and_changes_nothing(client, alice, bob):
    follow_create(follower=alice, followee=bob)
    client.force_login(alice)

    response = client.get(url(bob, "block"), {"next": url(bob)})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.h1.get_text() == "Block Bob B?"
    text = soup.select_one(".block-effects").get_text(" ")
    assert "cannot reply to your comments" in text and "stop following each other" in text
    form = soup.select_one(f'form[action="{url(bob, "block")}"]')
    assert form["method"] == "post" and form.select_one("[name=csrfmiddlewaretoken]")
    assert "button-danger" in form.button["class"]
    assert soup.select_one("a.button-secondary")["href"] == url(bob)
    assert not MemberBlock.objects.exists()
    assert MemberFollow.objects.exists()


def test_confirming_blocks(client, alice, bob):
    follow_create(follower=alice, followee=bob)
    client.force_login(alice)

    response = client.post(url(bob, "block"), {"next": url(bob)})

    assert response.status_code == 302 and response["Location"] == url(bob)
    assert MemberBlock.objects.filter(blocker=alice, blocked=bob).exists()
    assert not MemberFollow.objects.exists()
    # Asked again: the page says so and offers to lift it instead.
    html = client.get(url(bob, "block")).content.decode()
    assert "You block Bob B" in html and 'action="' + url(bob, "unblock") + '"' in html


def test_the_confirmation_asks_visitors_to_sign_in_and_comes_back(client, alice, bob):
    response = client.get(url(bob, "block"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert response["Location"].endswith(f"?next={url(bob, 'block')}")


def test_the_block_needs_csrf_and_post(client, alice, bob):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(url(bob, "block")).status_code == 403
    client.force_login(alice)
    assert client.put(url(bob, "block")).status_code == 405
    assert client.delete(url(bob, "block")).status_code == 405
    assert not MemberBlock.objects.exists()


def test_confirming_for_oneself_or_a_hidden_or_unknown_member(client, alice, bob, portal):
    hidden = person("Hidden H", visibility="only_me")
    client.force_login(alice)

    assert client.get(url(alice, "block")).status_code == 400
    hidden_response = client.get(url(hidden, "block"))
    unknown = client.get("/members/nobody-abcdef/block/")
    assert hidden_response.status_code == unknown.status_code == 404
    assert "Hidden H" not in hidden_response.content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_confirmation_never_leads_off_the_site(client, alice, bob, next_url):
    client.force_login(alice)

    soup = BeautifulSoup(
        client.get(url(bob, "block"), {"next": next_url}).content.decode(), "html.parser"
    )

    assert soup.select_one("a.button-secondary")["href"] == url(bob)
    assert soup.select_one("input[name=next]")["value"] == url(bob)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_on_the_confirmation_are_inert(client, alice, payload, portal):
    other = person("Hostile")
    other.display_name = payload[:60]
    other.save()
    client.force_login(alice)
    assert_harmless(client.get(url(other, "block")).content.decode())


def test_the_confirmation_costs_a_fixed_number_of_queries(
    client, alice, bob, django_assert_max_num_queries
):
    for number in range(5):
        block_create(blocker=alice, blocked=person(f"Other {number}"))
    client.force_login(alice)

    with django_assert_max_num_queries(BLOCK_CONFIRM_QUERIES):
        assert client.get(url(bob, "block")).status_code == 200


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
