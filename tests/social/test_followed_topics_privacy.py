"""Finding 15 (issue 10): the topics a member follows are private unless they show them.

The "following" list shows people (if the member shows their follow lists)
and, only with ``show_followed_topics``, topics; the owner always sees theirs.
Hidden topics answer like following none. Existing members became private
with migration 0007.
"""

from taggit.models import Tag

import pytest

from social.models import Profile
from social.selectors import topics_followed
from social.services import profile_update, topic_follow_create
from tests.factories import BlogPageFactory, UserFactory
from tests.migrations import latest, migrate
from tests.social.helpers import EVERYONE, person, url
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

TOPIC = "Bladder trouble"
# Measured on SQLite: the same with 2 or 30 followed topics.
FOLLOWING_QUERIES = 15


@pytest.fixture
def follower(blog_index):
    """A public member, follow lists shown (the default), following one topic."""
    member = person("Open Olive", visibility=EVERYONE)
    BlogPageFactory(parent=blog_index, tags=[TOPIC])
    topic_follow_create(follower=member, tag=Tag.objects.get(name=TOPIC))
    return member


def following_page(client, member, viewer=None):
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(url(member, "following"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_member_keeps_followed_topics_private(portal):
    assert Profile._meta.get_field("show_followed_topics").default is False
    assert person("New Nell").profile.show_followed_topics is False


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_others_do_not_see_followed_topics_by_default(client, follower, who):
    viewer = person("Other Oz") if who == "member" else None

    html = following_page(client, follower, viewer)

    assert TOPIC not in html
    # The same answer as following no topic at all.
    assert "No topics to show." in html


def save_profile_form(client, **choices):
    """Post the profile form as the signed-in member: a public profile plus ``choices``."""
    return client.post(
        "/me/profile/",
        {"display_name": "Open Olive", "bio": "", "visibility": EVERYONE, **choices},
    )


def test_the_owner_always_sees_their_followed_topics(client, follower):
    assert TOPIC in following_page(client, follower, follower)


def test_a_member_who_shows_them_lets_others_see_them(client, follower):
    client.force_login(follower)
    response = save_profile_form(client, show_follow_lists="on", show_followed_topics="on")
    assert response.status_code == 302
    client.logout()

    assert TOPIC in following_page(client, follower)


def test_the_profile_form_offers_the_choice_unticked(client, follower):
    client.force_login(follower)
    html = client.get("/me/profile/").content.decode()

    assert "Show the topics I follow on my profile" in html
    assert 'name="show_followed_topics"' in html
    assert 'name="show_followed_topics" checked' not in html


def test_unticking_makes_them_private_again(client, follower):
    profile_update(
        user=follower,
        display_name="Open Olive",
        bio="",
        conditions=[],
        visibility=EVERYONE,
        show_in_suggestions=False,
        show_followed_topics=True,
    )
    client.force_login(follower)
    client.post(
        "/me/profile/",
        {
            "display_name": "Open Olive",
            "bio": "",
            "visibility": EVERYONE,
            "show_follow_lists": "on",
        },
    )
    client.logout()

    assert Profile.objects.get(user=follower).show_followed_topics is False
    assert TOPIC not in following_page(client, follower)


def test_services_that_do_not_name_the_choice_leave_it_alone(follower):
    follower.profile.show_followed_topics = True
    follower.profile.save()

    profile_update(
        user=follower,
        display_name="Open Olive",
        bio="",
        conditions=[],
        visibility=EVERYONE,
        show_in_suggestions=False,
    )

    assert Profile.objects.get(user=follower).show_followed_topics is True


def test_the_selector_answers_hidden_topics_without_a_query(follower, django_assert_num_queries):
    other = UserFactory()
    with django_assert_num_queries(0):
        assert topics_followed(viewer=other, profile=follower.profile) == []


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "x" * 10_000, "false", ""])
def test_hostile_values_for_the_choice_are_harmless(client, follower, value):
    client.force_login(follower)
    response = save_profile_form(client, show_followed_topics=value)

    assert response.status_code == 302
    # Django's checkbox: "false" and empty are unticked, anything else ticked.
    expected = value not in ("false", "")
    assert Profile.objects.get(user=follower).show_followed_topics is expected
    assert_harmless(client.get("/me/profile/").content.decode())


@pytest.mark.parametrize("count", [2, 30])
def test_the_following_page_queries_do_not_grow(
    client, blog_index, django_assert_max_num_queries, count
):
    member = person("Many Topics", visibility=EVERYONE, show_followed_topics=True)
    names = [f"topic {number}" for number in range(count)]
    BlogPageFactory(parent=blog_index, tags=names)
    for name in names:
        topic_follow_create(follower=member, tag=Tag.objects.get(name=name))

    with django_assert_max_num_queries(FOLLOWING_QUERIES):
        html = following_page(client, member)
    assert names[-1] in html


@pytest.mark.parametrize("payload", PAYLOADS[:5])
def test_hostile_topic_names_are_inert_when_shown(client, blog_index, payload):
    member = person("Shown Sam", visibility=EVERYONE, show_followed_topics=True)
    BlogPageFactory(parent=blog_index, tags=[payload[:100]])
    topic_follow_create(follower=member, tag=Tag.objects.get(name=payload[:100]))

    assert_harmless(following_page(client, member))


BEFORE = [("social", "0006_profile_handles_backfill_and_renew")]
AFTER = [("social", "0007_profile_show_followed_topics")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_restored")
def test_existing_members_become_private(portal):
    existing = UserFactory(display_name="Old Timer")
    old_apps = migrate(BEFORE)
    old_apps.get_model("social", "Profile").objects.create(
        user_id=existing.pk, handle="old-timer-abc234"
    )

    migrate(AFTER)
    # Today's model reads the row, so every later migration runs too.
    migrate(latest())

    assert Profile.objects.get(user=existing).show_followed_topics is False
