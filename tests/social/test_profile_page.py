"""/members/<handle>/: who may see it, what it lists, and what it costs."""

import re

from django.conf import settings

import pytest
from bs4 import BeautifulSoup

from core.models import Condition
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from social.models import Profile
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Measured on SQLite; must not depend on the number of items (two sizes below).
# Signed in adds the session, the user, the user bar's two permission reads and
# the notification bell's unread count. The communities the member shows are one
# more (social.selectors.profile_communities, issue 12).
# +1 since issue 15: the sponsor's declaration in the footer, read once per site on a
# cold cache (safety.declarations; every test starts with an empty cache).
PROFILE_PAGE_QUERIES = {"anonymous": 13, "self": 18}
CANARY = "canary-not-on-profile"

EVERYONE, MEMBERS, ONLY_ME = (
    Profile.Visibility.EVERYONE,
    Profile.Visibility.MEMBERS,
    Profile.Visibility.ONLY_ME,
)


@pytest.fixture
def other_member(portal):
    return UserFactory(group="Members", display_name="Someone Else")


def sign_in_as(client, who, member, other_member):
    if who == "self":
        client.force_login(member)
    elif who == "other":
        client.force_login(other_member)


@pytest.mark.parametrize(
    ("visibility", "who", "visible"),
    [
        (EVERYONE, "anonymous", True),
        (EVERYONE, "other", True),
        (EVERYONE, "self", True),
        (MEMBERS, "anonymous", False),
        (MEMBERS, "other", True),
        (MEMBERS, "self", True),
        (ONLY_ME, "anonymous", False),
        (ONLY_ME, "other", False),
        (ONLY_ME, "self", True),
    ],
)
def test_visibility(client, member, other_member, visibility, who, visible):
    profile = ProfileFactory(user=member, visibility=visibility, bio="Cyclist, slowly.")
    sign_in_as(client, who, member, other_member)

    response = client.get(profile.get_absolute_url())

    if visible:
        assert response.status_code == 200
        assert "Cyclist, slowly." in response.content.decode()
    else:
        assert response.status_code == 404
        assert "Cyclist, slowly." not in response.content.decode()
        assert member.display_name not in response.content.decode()


@pytest.mark.parametrize(
    ("visibility", "who", "private"),
    [
        (EVERYONE, "anonymous", False),
        (EVERYONE, "other", True),
        (MEMBERS, "other", True),
        (ONLY_ME, "self", True),
    ],
)
def test_cache_control(client, member, other_member, visibility, who, private):
    profile = ProfileFactory(user=member, visibility=visibility)
    sign_in_as(client, who, member, other_member)

    cache_control = client.get(profile.get_absolute_url()).get("Cache-Control", "")

    assert ("private" in cache_control and "no-store" in cache_control) is private


@pytest.mark.parametrize(
    ("visibility", "who"),
    [(MEMBERS, "anonymous"), (ONLY_ME, "anonymous"), (ONLY_ME, "other")],
)
def test_hidden_profile_is_the_same_404_as_an_unknown_handle(
    client, member, other_member, visibility, who
):
    hidden = ProfileFactory(user=member, visibility=visibility)
    sign_in_as(client, who, member, other_member)
    client.get("/")  # the CSRF cookie is set once, on whichever response comes first

    answers = [
        client.get(f"/members/{handle}/")
        for handle in (hidden.handle, "no-such-member-abc123", "Not A Handle!", "x" * 500)
    ]

    first = answers[0]
    assert first.status_code == 404
    for other in answers[1:]:
        assert other.status_code == 404
        assert without_csrf_token(other.content) == without_csrf_token(first.content)
        assert dict(other.headers) == dict(first.headers)


def without_csrf_token(content):
    # The log-out form's token is masked afresh on every render: randomness,
    # not information about the profile.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.mark.parametrize(
    "handle", ["%00", "..%2F..%2Fetc", "%E2%80%AE", "a%20b", "UPPER", "-", "%F0%9F%98%80"]
)
def test_odd_handles_are_404_never_500(client, portal, handle):
    assert client.get(f"/members/{handle}/").status_code == 404


def test_the_member_is_told_who_sees_their_own_profile(client, member, other_member):
    profile = ProfileFactory(user=member, visibility=EVERYONE)

    client.force_login(other_member)
    assert "This is your profile" not in client.get(profile.get_absolute_url()).content.decode()
    client.force_login(member)
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "This is your profile" in html
    assert "everyone, including visitors" in html


def test_deactivated_member_has_no_profile_page(client, member):
    profile = ProfileFactory(user=member, visibility=EVERYONE)
    member.is_active = False
    member.save()

    assert client.get(profile.get_absolute_url()).status_code == 404


def test_a_user_without_a_profile_has_no_page_and_the_username_is_no_address(client, member):
    assert client.get(f"/members/{member.username}/").status_code == 404


def test_profile_shows_name_badge_bio_conditions_and_initials(client, expert):
    condition = Condition.objects.create(name="Secondary progressive MS", slug="spms")
    profile = ProfileFactory(
        user=expert, visibility=EVERYONE, bio="Neurologist.\nRuns a clinic.", conditions=[condition]
    )

    html = client.get(profile.get_absolute_url()).content.decode()

    assert "Dr Expert" in html
    assert '<span class="badge badge-expert">Verified expert</span>' in html
    assert "Neurologist.<br>Runs a clinic." in html
    assert "Secondary progressive MS" in html
    assert ">DE</span>" in html, "initials stand in for a missing avatar"
    assert expert.username not in html
    assert expert.email not in html


def test_conditions_are_a_list_one_per_line(client, expert):
    names = ["Relapsing-remitting MS", "Fatigue", "Carer of someone with MS"]
    conditions = [Condition.objects.create(name=name, slug=f"c{n}") for n, name in enumerate(names)]
    profile = ProfileFactory(user=expert, visibility=EVERYONE, conditions=conditions)

    soup = BeautifulSoup(client.get(profile.get_absolute_url()).content.decode(), "html.parser")

    items = soup.select(".profile-conditions ul.condition-list > li")
    assert sorted(item.get_text(strip=True) for item in items) == sorted(names)
    # Styled as a list (bullets, one per line), not as inline words.
    css = (settings.BASE_DIR / "social/static/social/profiles.css").read_text()
    rule = re.search(r"\.condition-list \{([^}]*)\}", css).group(1)
    assert "list-style: disc" in rule
    assert "display: flex" not in rule and "inline" not in rule


@pytest.fixture
def member_items(blog_index, expert_index, story_index, member, editor):
    """What the member wrote, in every state; only ``listed`` may show on the profile."""
    listed = [
        BlogPageFactory(parent=blog_index, author=member, title="Listed blog post"),
        ExperienceStoryPageFactory(parent=story_index, author=member, title="Listed named story"),
    ]
    ExperienceStoryPageFactory(
        parent=story_index, author=member, title=f"{CANARY} anonymous", is_anonymous=True
    )
    BlogPageFactory(parent=blog_index, author=member, title=f"{CANARY} draft", publish=False)
    in_review = ExperienceStoryPageFactory(
        parent=story_index, author=member, title=f"{CANARY} in review", publish=False
    )
    page_submit_for_review(page=in_review, user=member)
    approved_once = BlogPageFactory(
        parent=blog_index, author=member, title=f"{CANARY} medical", publish=False
    )
    page_submit_for_review(page=approved_once, user=member)
    review_approve(page=approved_once, user=editor)
    rejected = BlogPageFactory(
        parent=blog_index, author=member, title=f"{CANARY} rejected", publish=False
    )
    page_submit_for_review(page=rejected, user=member)
    review_request_changes(page=rejected, user=editor, comment="No.")
    unpublished = BlogPageFactory(parent=blog_index, author=member, title=f"{CANARY} unpublished")
    unpublished.unpublish()
    # Someone else's item never shows on this member's profile.
    ExpertArticlePageFactory(parent=expert_index, title=f"{CANARY} someone else")
    return listed


@pytest.mark.parametrize("who", ["anonymous", "other", "self"])
def test_profile_lists_only_published_named_items(client, member, other_member, member_items, who):
    profile = ProfileFactory(user=member, visibility=EVERYONE)
    sign_in_as(client, who, member, other_member)

    response = client.get(profile.get_absolute_url())

    html = response.content.decode()
    assert CANARY not in html
    assert [item.title for item in response.context["items"]] == [
        "Listed named story",
        "Listed blog post",
    ], "newest first"


def test_profile_lists_12_a_page(client, blog_index, member):
    profile = ProfileFactory(user=member, visibility=EVERYONE)
    posts = [BlogPageFactory(parent=blog_index, author=member) for _ in range(13)]

    first = client.get(profile.get_absolute_url())
    second = client.get(profile.get_absolute_url(), {"page": "2"})
    hostile = client.get(profile.get_absolute_url(), {"page": "99999999999999999999"})

    assert len(first.context["items"]) == 12
    assert [item.pk for item in second.context["items"]] == [posts[0].pk]
    assert 'rel="next"' in first.content.decode()
    assert hostile.status_code == 200


@pytest.mark.parametrize("count", [1, 14])
@pytest.mark.parametrize("who", ["anonymous", "self"])
def test_profile_query_count_does_not_grow(
    client, blog_index, story_index, member, django_assert_max_num_queries, count, who
):
    conditions = [Condition.objects.create(name=f"Condition {n}", slug=f"c-{n}") for n in range(3)]
    profile = ProfileFactory(user=member, visibility=EVERYONE, conditions=conditions)
    for number in range(count):
        BlogPageFactory(parent=blog_index, author=member, tags=[f"t{number}", "shared"])
        ExperienceStoryPageFactory(parent=story_index, author=member, tags=["shared"])
    if who == "self":
        client.force_login(member)

    with django_assert_max_num_queries(PROFILE_PAGE_QUERIES[who]):
        response = client.get(profile.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["items"]) == min(2 * count, 12)
