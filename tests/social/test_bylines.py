"""Bylines link to profiles only when this reader may see them, never for anonymous stories.

Also: hostile display names and bios are inert wherever they are shown, and
no page ever points at Gravatar.
"""

import re

import pytest

from social.models import Profile
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ProfileFactory,
    UserFactory,
)
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db

EVERYONE, MEMBERS, ONLY_ME = (
    Profile.Visibility.EVERYONE,
    Profile.Visibility.MEMBERS,
    Profile.Visibility.ONLY_ME,
)
LISTINGS = ["/", "/blogs/", "/tags/shared/"]
# Listing ceilings with profiles joined: as without them (tests/portal/test_listings.py).
# Home: +2 for the Questions section's newest items (issue 13).
LISTING_QUERIES = {"/blogs/": 13, "/tags/shared/": 10, "/": 26}


def profile_links(html):
    return re.findall(r'href="(/members/[^"]+/)"', html)


def sign_in_as(client, who, author, other):
    if who == "self":
        client.force_login(author)
    elif who == "other":
        client.force_login(other)


@pytest.fixture
def other_member(portal):
    return UserFactory(group="Members", display_name="Someone Else")


@pytest.mark.parametrize("path", LISTINGS)
@pytest.mark.parametrize(
    ("visibility", "who", "linked"),
    [
        (EVERYONE, "anonymous", True),
        (EVERYONE, "other", True),
        (MEMBERS, "anonymous", False),
        (MEMBERS, "other", True),
        (ONLY_ME, "anonymous", False),
        (ONLY_ME, "other", False),
        (ONLY_ME, "self", True),
    ],
)
def test_listing_bylines_follow_visibility(
    client, blog_index, member, other_member, path, visibility, who, linked
):
    profile = ProfileFactory(user=member, visibility=visibility)
    BlogPageFactory(parent=blog_index, author=member, tags=["shared"])
    sign_in_as(client, who, member, other_member)

    html = client.get(path).content.decode()

    assert member.display_name in html
    assert (profile.get_absolute_url() in profile_links(html)) is linked


@pytest.mark.parametrize(
    ("visibility", "who", "linked"),
    [
        (EVERYONE, "anonymous", True),
        (MEMBERS, "anonymous", False),
        (MEMBERS, "other", True),
        (ONLY_ME, "other", False),
    ],
)
def test_content_page_byline_follows_visibility(
    client, blog_index, member, other_member, visibility, who, linked
):
    profile = ProfileFactory(user=member, visibility=visibility)
    post = BlogPageFactory(parent=blog_index, author=member)
    sign_in_as(client, who, member, other_member)

    html = client.get(post.url).content.decode()

    assert (profile.get_absolute_url() in profile_links(html)) is linked


def test_author_without_a_profile_is_plain_text(client, blog_index, member):
    post = BlogPageFactory(parent=blog_index, author=member, tags=["shared"])

    for path in [*LISTINGS, post.url]:
        html = client.get(path).content.decode()
        assert member.display_name in html
        assert profile_links(html) == []


@pytest.mark.parametrize("who", ["anonymous", "other", "self"])
def test_anonymous_stories_never_link_or_name_the_author(
    client, story_index, member, other_member, who
):
    profile = ProfileFactory(user=member, visibility=EVERYONE)
    story = ExperienceStoryPageFactory(
        parent=story_index, author=member, is_anonymous=True, tags=["shared"]
    )
    sign_in_as(client, who, member, other_member)

    for path in ["/", "/experiences/", "/tags/shared/", story.url]:
        html = client.get(path).content.decode()
        assert "Anonymous member" in html
        assert profile.handle not in html
        assert profile_links(html) == []
        if who != "self":
            assert member.display_name not in html


@pytest.mark.parametrize("count", [1, 15])
@pytest.mark.parametrize("path", LISTINGS)
def test_listing_queries_stay_constant_with_linked_bylines(
    client, blog_index, story_index, django_assert_max_num_queries, path, count
):
    for _ in range(count):
        author = ProfileFactory(user=UserFactory(), visibility=EVERYONE).user
        BlogPageFactory(parent=blog_index, author=author, tags=["shared"])
        ExperienceStoryPageFactory(parent=story_index, author=author, tags=["shared"])
        BlogPageFactory(parent=blog_index, author=UserFactory(), tags=["shared"])  # no profile

    with django_assert_max_num_queries(LISTING_QUERIES[path]):
        response = client.get(path)

    assert response.status_code == 200
    assert profile_links(response.content.decode())


XSS_NAME = '<script>alert("name")</script><img src=x onerror=alert(1)>'
XSS_BIO = '"><svg onload=alert("bio")><a href="javascript:alert(2)">x</a>'


@pytest.fixture
def hostile_author(client, blog_index, story_index):
    """An author who saved a script as display name and bio through the real form."""
    author = UserFactory(group="Members")
    client.force_login(author)
    response = client.post(
        "/me/profile/", {"display_name": XSS_NAME, "bio": XSS_BIO, "visibility": "everyone"}
    )
    assert response.status_code == 302
    client.logout()
    author.refresh_from_db()
    assert author.display_name == XSS_NAME
    post = BlogPageFactory(parent=blog_index, author=author, tags=["shared"])
    return author, post


def assert_inert(html):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<svg onload" not in html
    assert 'href="javascript:' not in html


def test_hostile_name_and_bio_are_escaped_on_the_profile_page(client, hostile_author):
    author, _ = hostile_author

    html = client.get(author.profile.get_absolute_url()).content.decode()

    assert_inert(html)
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;svg onload=alert(&quot;bio&quot;)&gt;" in html


@pytest.mark.parametrize("path", LISTINGS)
def test_hostile_name_is_escaped_in_listing_bylines(client, hostile_author, path):
    html = client.get(path).content.decode()

    assert_inert(html)
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html


def test_hostile_name_is_escaped_on_the_content_page_and_the_edit_form(client, hostile_author):
    author, post = hostile_author

    assert_inert(client.get(post.url).content.decode())
    client.force_login(author)
    edit = client.get("/me/profile/").content.decode()
    assert_inert(edit)
    assert "&lt;script&gt;" in edit


def test_no_page_mentions_gravatar(client, blog_index, story_index, member, hostile_author):
    profile = ProfileFactory(user=member, visibility=EVERYONE)
    post = BlogPageFactory(parent=blog_index, author=member, tags=["shared"])
    story = ExperienceStoryPageFactory(parent=story_index, author=member)
    paths = [
        "/",
        "/blogs/",
        "/experiences/",
        "/tags/shared/",
        post.url,
        story.url,
        profile.get_absolute_url(),
        hostile_author[0].profile.get_absolute_url(),
    ]

    for who in ("anonymous", "self"):
        if who == "self":
            client.force_login(member)
            paths.append("/me/profile/")
        for path in paths:
            # Without the CSRF token, whose 64 random characters once spelled "md5".
            html = without_csrf_tokens(client.get(path).content).lower()
            assert "gravatar" not in html, path
            assert "md5" not in html, path
