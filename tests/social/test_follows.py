"""Following members and topics: idempotence, constraints, refusals, endpoints and lists."""

from urllib.parse import quote

from django.db import IntegrityError, transaction
from django.test import Client

from taggit.models import Tag

import pytest

from social.models import MemberFollow, Notification, TopicFollow
from social.services import (
    MemberUnavailable,
    SelfRelationRefused,
    block_create,
    follow_create,
    follow_delete,
    topic_follow_create,
    topic_follow_delete,
)
from tests.factories import BlogPageFactory, UserFactory
from tests.social.helpers import EVERYONE, MEMBERS, ONLY_ME, handle_of, person, url
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

# Measured on SQLite; the same with 2 or 30 members listed (see below).
FOLLOW_LIST_QUERIES = 15
SIGNED_IN_LISTING_QUERIES = 19


# --- services -----------------------------------------------------------------------


def test_following_twice_is_one_row_and_no_error(alice, bob):
    first, created = follow_create(follower=alice, followee=bob)
    again, created_again = follow_create(follower=alice, followee=bob)

    assert created and not created_again
    assert first.pk == again.pk
    assert MemberFollow.objects.count() == 1


def test_unfollow_is_idempotent(alice, bob):
    follow_create(follower=alice, followee=bob)

    assert follow_delete(follower=alice, followee=bob) is True
    assert follow_delete(follower=alice, followee=bob) is False
    assert not MemberFollow.objects.exists()


def test_the_database_refuses_duplicates_and_self_follows(alice, bob):
    MemberFollow.objects.create(follower=alice, followee=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFollow.objects.create(follower=alice, followee=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFollow.objects.create(follower=alice, followee=alice)


def test_self_follow_is_refused(alice):
    with pytest.raises(SelfRelationRefused):
        follow_create(follower=alice, followee=alice)
    assert not MemberFollow.objects.exists()


@pytest.mark.parametrize("case", ["inactive", "only_me", "blocked_by_followee", "blocks_followee"])
def test_unreachable_members_cannot_be_followed(alice, bob, case):
    if case == "inactive":
        bob.is_active = False
        bob.save()
    elif case == "only_me":
        bob.profile.visibility = ONLY_ME
        bob.profile.save()
    elif case == "blocked_by_followee":
        block_create(blocker=bob, blocked=alice)
    else:
        block_create(blocker=alice, blocked=bob)

    with pytest.raises(MemberUnavailable):
        follow_create(follower=alice, followee=bob)
    assert not MemberFollow.objects.exists()


def test_member_without_profile_cannot_be_followed(alice, portal):
    no_profile = UserFactory(group="Members")
    with pytest.raises(MemberUnavailable):
        follow_create(follower=alice, followee=no_profile)


def test_a_new_follow_notifies_the_followee_once(alice, bob):
    follow_create(follower=alice, followee=bob)
    follow_create(follower=alice, followee=bob)

    notices = Notification.objects.filter(recipient=bob, kind="new_follower")
    assert notices.count() == 1
    assert notices.get().actor_id == alice.pk


def test_topic_follow_is_idempotent(alice):
    tag = Tag.objects.create(name="fatigue", slug="fatigue")

    assert topic_follow_create(follower=alice, tag=tag)[1] is True
    assert topic_follow_create(follower=alice, tag=tag)[1] is False
    assert TopicFollow.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFollow.objects.create(follower=alice, tag=tag)
    assert topic_follow_delete(follower=alice, tag=tag) is True
    assert topic_follow_delete(follower=alice, tag=tag) is False


# --- endpoints -----------------------------------------------------------------------


def test_follow_button_on_profile_follows_and_comes_back(client, alice, bob):
    client.force_login(alice)
    page = client.get(url(bob)).content.decode()
    assert 'aria-label="Follow Bob B"' in page

    response = client.post(url(bob, "follow"), {"next": url(bob)}, follow=True)

    assert response.redirect_chain[-1][0] == url(bob)
    assert MemberFollow.objects.filter(follower=alice, followee=bob).exists()
    html = response.content.decode()
    assert "You now follow Bob B." in html
    assert 'aria-label="Unfollow Bob B"' in html

    response = client.post(url(bob, "unfollow"))
    assert response.status_code == 302
    assert not MemberFollow.objects.exists()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "/\\evil.example",
        "x" * 5000,
        "",
    ],
)
def test_unsafe_next_falls_back_to_the_profile(client, alice, bob, target):
    client.force_login(alice)

    response = client.post(url(bob, "follow"), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == url(bob)


def test_safe_next_is_followed(client, alice, bob):
    client.force_login(alice)
    response = client.post(url(bob, "follow"), {"next": "/tags/fatigue/?page=2"})
    assert response["Location"] == "/tags/fatigue/?page=2"


# Block's GET is its confirmation page, which changes nothing
# (tests/social/test_blocks_and_mutes.py).
@pytest.mark.parametrize("action", ["follow", "unfollow", "unblock", "mute", "unmute"])
def test_member_actions_are_post_only(client, alice, bob, action):
    client.force_login(alice)

    assert client.get(url(bob, action)).status_code == 405
    assert not MemberFollow.objects.exists()


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
def test_member_actions_need_csrf(alice, bob, action):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)

    assert strict.post(url(bob, action)).status_code == 403


def test_visitors_are_sent_to_sign_in_and_then_back_to_the_page(client, bob):
    page = bob.profile.get_absolute_url()
    response = client.post(url(bob, "follow"), {"next": page})

    assert response.status_code == 302
    # Back to the page with the button afterwards, not to the POST-only address.
    assert response["Location"] == f"/accounts/login/?next={quote(page)}"
    assert not MemberFollow.objects.exists()


def test_visitors_with_a_foreign_next_are_sent_to_sign_in_then_home(client, bob):
    response = client.post(url(bob, "follow"), {"next": "https://evil.example/"})

    assert response["Location"] == "/accounts/login/?next=/"


def test_self_follow_through_the_endpoint_is_a_clear_400(client, alice):
    client.force_login(alice)

    response = client.post(url(alice, "follow"))

    assert response.status_code == 400
    assert "You cannot follow yourself." in response.content.decode()


@pytest.mark.parametrize("case", ["unknown", "malformed", "huge", "only_me", "inactive", "blocked"])
def test_unreachable_members_answer_404_like_missing_ones(client, alice, bob, case):
    handle = handle_of(bob)
    if case == "unknown":
        handle = "nobody-abc123"
    elif case == "malformed":
        handle = "Not%20A%20Handle%3Cscript%3E"
    elif case == "huge":
        handle = "x" * 3000
    elif case == "only_me":
        bob.profile.visibility = ONLY_ME
        bob.profile.save()
    elif case == "inactive":
        bob.is_active = False
        bob.save()
    else:
        block_create(blocker=bob, blocked=alice)
    client.force_login(alice)

    for action in ("follow", "block", "mute", "unfollow", "unblock", "unmute"):
        response = client.post(f"/members/{handle}/{action}/")
        assert response.status_code == 404, action
    assert not MemberFollow.objects.exists()


def test_following_a_public_profile_after_being_blocked_is_still_404(client, alice, portal):
    public = person("Public Pam", visibility=EVERYONE)
    block_create(blocker=public, blocked=alice)
    client.force_login(alice)

    # Alice may still read the public profile, as any visitor could...
    assert client.get(url(public)).status_code == 200
    # ...but not follow.
    assert client.post(url(public, "follow")).status_code == 404
    assert not MemberFollow.objects.exists()


def test_topic_follow_button_on_the_tag_page(client, alice, blog_index):
    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    client.force_login(alice)
    assert "Follow this topic" in client.get("/tags/fatigue/").content.decode()

    response = client.post("/tags/fatigue/follow/", {"next": "/tags/fatigue/"}, follow=True)

    assert TopicFollow.objects.filter(follower=alice, tag__slug="fatigue").exists()
    html = response.content.decode()
    assert "Unfollow this topic" in html
    client.post("/tags/fatigue/unfollow/")
    assert not TopicFollow.objects.exists()


def test_topics_used_only_by_drafts_cannot_be_followed(client, alice, blog_index):
    BlogPageFactory(parent=blog_index, tags=["secret-topic"], publish=False)
    client.force_login(alice)

    assert client.post("/tags/secret-topic/follow/").status_code == 404
    assert client.post("/tags/no-such-tag/follow/").status_code == 404
    assert client.post(f"/tags/{'x' * 500}/follow/").status_code == 404
    assert client.get("/tags/secret-topic/follow/").status_code == 405
    assert not TopicFollow.objects.exists()


def test_topic_follow_needs_csrf(alice, blog_index):
    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/tags/fatigue/follow/").status_code == 403


# --- byline buttons ------------------------------------------------------------------


def test_byline_buttons_show_each_authors_follow_state(client, alice, bob, blog_index, portal):
    # The item page's byline only: listing cards carry none (tests/social/test_cards.py).
    carol = person("Carol C")
    bobs = BlogPageFactory(parent=blog_index, author=bob)
    carols = BlogPageFactory(parent=blog_index, author=carol)
    alices = BlogPageFactory(parent=blog_index, author=alice)
    follow_create(follower=alice, followee=bob)
    client.force_login(alice)

    assert 'aria-label="Unfollow Bob B"' in client.get(bobs.url).content.decode()
    assert 'aria-label="Follow Carol C"' in client.get(carols.url).content.decode()
    # Never a button for oneself.
    assert "Follow Alice A" not in client.get(alices.url).content.decode()


def test_no_byline_button_for_anonymous_stories_or_visitors(
    client, alice, bob, story_index, blog_index
):
    from tests.factories import ExperienceStoryPageFactory

    story = ExperienceStoryPageFactory(
        parent=story_index, author=bob, is_anonymous=True, title="Quiet story"
    )
    post = BlogPageFactory(parent=blog_index, author=bob, title="Named post")
    client.force_login(alice)
    quiet = client.get(story.url)
    assert quiet.status_code == 200
    assert "Quiet story" in quiet.content.decode()
    assert "follow-button" not in quiet.content.decode()
    # The named post does get one, for a signed-in reader only.
    assert 'aria-label="Follow Bob B"' in client.get(post.url).content.decode()
    client.logout()
    named = client.get(post.url).content.decode()
    assert "Named post" in named
    assert "follow-button" not in named


@pytest.mark.parametrize("count", [2, 12])
def test_signed_in_bylines_cost_one_query_whatever_the_number_of_authors(
    client, alice, blog_index, django_assert_max_num_queries, count
):
    for number in range(count):
        author = person(f"Author {number}")
        BlogPageFactory(parent=blog_index, author=author)
        if number % 2:
            follow_create(follower=alice, followee=author)
    client.force_login(alice)

    # The anonymous listing ceiling (13) + session, user, the user bar's
    # permission reads, the notification bell + the one ties query (which the
    # bylines' profile links need for members-only profiles).
    with django_assert_max_num_queries(SIGNED_IN_LISTING_QUERIES):
        response = client.get("/blogs/")
    # Cards carry no follow buttons any more (tests/social/test_cards.py).
    html = response.content.decode()
    assert html.count('<span class="byline"><a href="/members/') == min(count, 12)
    assert "follow-button" not in html


# --- follower lists ------------------------------------------------------------------


def test_follower_and_following_lists(client, alice, bob, blog_index):
    follow_create(follower=alice, followee=bob)
    BlogPageFactory(parent=blog_index, tags=["fatigue"])
    topic_follow_create(follower=alice, tag=Tag.objects.get(slug="fatigue"))
    # Followed topics are private unless shown (tests/social/test_followed_topics_privacy.py).
    alice.profile.show_followed_topics = True
    alice.profile.save()
    client.force_login(bob)

    followers = client.get(url(bob, "followers")).content.decode()
    following = client.get(url(alice, "following")).content.decode()

    assert "Alice A" in followers
    assert "Bob B" in following
    assert "fatigue" in following


def test_lists_hide_members_the_reader_may_not_see(client, alice, bob, portal):
    hidden = person("Hidden Hal", visibility=ONLY_ME)
    members_only = person("Members Mo", visibility=MEMBERS)
    bob.profile.visibility = EVERYONE
    bob.profile.save()
    follow_create(follower=hidden, followee=bob)
    follow_create(follower=members_only, followee=bob)
    follow_create(follower=alice, followee=bob)
    # Hal hides his profile only after following.
    hidden.profile.visibility = ONLY_ME
    hidden.profile.save()

    visitor_view = client.get(url(bob, "followers")).content.decode()
    client.force_login(alice)
    member_view = client.get(url(bob, "followers")).content.decode()
    client.force_login(hidden)
    own_view = client.get(url(bob, "followers")).content.decode()

    assert "Hidden Hal" not in visitor_view and "Members Mo" not in visitor_view
    assert "Hidden Hal" not in member_view and "Members Mo" in member_view
    assert "Hidden Hal" in own_view


def test_follower_of_a_hidden_profile_topic_on_drafts_only_not_listed(client, alice, blog_index):
    BlogPageFactory(parent=blog_index, tags=["draft-only"], publish=False)
    BlogPageFactory(parent=blog_index, tags=["published-topic"])
    for slug in ("draft-only", "published-topic"):
        topic_follow_create(follower=alice, tag=Tag.objects.get(slug=slug))
    client.force_login(alice)

    html = client.get(url(alice, "following")).content.decode()
    assert "published-topic" in html
    assert "draft-only" not in html


def test_hidden_follow_lists_are_404_to_others_but_not_to_the_owner(client, alice, bob):
    bob.profile.show_follow_lists = False
    bob.profile.save()
    follow_create(follower=alice, followee=bob)

    client.force_login(alice)
    assert client.get(url(bob, "followers")).status_code == 404
    assert client.get(url(bob, "following")).status_code == 404
    assert "Followers</a>" not in client.get(url(bob)).content.decode()
    client.force_login(bob)
    assert client.get(url(bob, "followers")).status_code == 200
    assert "Alice A" in client.get(url(bob, "followers")).content.decode()


def test_lists_of_hidden_profiles_are_404(client, alice, bob):
    bob.profile.visibility = ONLY_ME
    bob.profile.save()
    client.force_login(alice)
    assert client.get(url(bob, "followers")).status_code == 404
    assert client.get("/members/nobody-abc123/followers/").status_code == 404


def test_profile_form_saves_follow_list_choice(client, alice):
    client.force_login(alice)
    response = client.post(
        "/me/profile/",
        {"display_name": "Alice A", "bio": "", "visibility": MEMBERS},
    )
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.show_follow_lists is False
    assert "Show whom I follow and who follows me" in client.get("/me/profile/").content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_follow_list_queries_do_not_grow(client, alice, bob, django_assert_max_num_queries, count):
    for number in range(count):
        follower = person(f"Follower {number}")
        follow_create(follower=follower, followee=bob)
        follow_create(follower=bob, followee=follower)
    client.force_login(alice)

    for which in ("followers", "following"):
        with django_assert_max_num_queries(FOLLOW_LIST_QUERIES):
            response = client.get(url(bob, which))
        assert response.status_code == 200


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_display_names_are_inert_in_lists_and_buttons(client, alice, bob, payload):
    alice.display_name = payload[:60]
    alice.save()
    follow_create(follower=alice, followee=bob)
    client.force_login(bob)

    assert_harmless(client.get(url(bob, "followers")).content.decode())
    client.force_login(alice)
    assert_harmless(client.get(url(bob)).content.decode())
    response = client.post(url(bob, "unfollow"), follow=True)
    assert_harmless(response.content.decode())
