"""/robots.txt: crawlers kept off members' own pages, forms and endpoints, never off a public
page; the sitemap named on the public address."""

import re

from django.urls import resolve

import pytest

from core.models import Audience
from discovery.views import DISALLOWED
from social.models import Profile
from tests.factories import (
    BlogPageFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ProfileFactory,
    QuestionPageFactory,
)

pytestmark = pytest.mark.django_db

# Each rule, a concrete address under it and the route it reaches (resolved, not assumed),
# and what a visitor gets there: "sign in" (a redirect to sign in), "refused" (404 / 405:
# a POST-only endpoint or nothing to show), or "listed" (200, but search results, a
# member's own lists and feeds, the sign-in forms and the API are not pages to find).
SAMPLES = {
    "/admin/": ("/admin/", "wagtailadmin_home", "sign in"),
    "/_util/": ("/_util/login/", "frontend_login_redirect", "sign in"),
    "/accounts/": ("/accounts/login/", "account_login", "listed"),
    "/welcome/": ("/welcome/", "accounts:welcome", "sign in"),
    "/me/": ("/me/account/", "accounts:account", "sign in"),
    "/write/": ("/write/", "authoring:write", "sign in"),
    "/feed/": ("/feed/", "social:feed", "sign in"),
    "/people/": ("/people/", "social:people", "sign in"),
    "/notifications/": ("/notifications/", "notifications:list", "sign in"),
    "/search/": ("/search/?q=fatigue", "search:results", "listed"),
    "/comments/": ("/comments/1/", "discussion:post", "refused"),
    "/ratings/": ("/ratings/1/", "ratings:rate", "refused"),
    "/share/": ("/share/1/x/", "sharing:share", "refused"),
    "/safety/personal-data/": ("/safety/personal-data/", "safety:personal_data_hints", "refused"),
    "/safety/report/sent/": ("/safety/report/sent/", "safety:report_sent", None),
    "/questions/ask/": ("/questions/ask/", "questions:ask", "sign in"),
    "/answers/": ("/answers/1/accept/", "questions:accept", "refused"),
    "/experts/": ("/experts/questions/", "questions:open", "sign in"),
    "/feeds/members/": ("/feeds/members/{handle}/rss/", "social:author_rss", "listed"),
    "/members/*/followers/": ("/members/{handle}/followers/", "social:followers", "listed"),
    "/members/*/following/": ("/members/{handle}/following/", "social:following", "listed"),
    "/communities/*/moderate/": (
        "/communities/{community}/moderate/",
        "communities:moderate",
        "sign in",
    ),
    "/api/": ("/api/v2/pages/", "kindred_api:pages:listing", "listed"),
}


def rules(text: str) -> list[tuple[str, str]]:
    """The (Allow|Disallow, pattern) lines of the ``*`` group, in order."""
    found = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("allow", "disallow"):
            found.append((key.strip().lower(), value.strip()))
    return found


def allowed(text: str, path: str) -> bool:
    """RFC 9309: the longest matching pattern decides (``*`` any characters, ``$`` the end);
    Allow wins a tie; no match allows."""
    best = None
    for kind, pattern in rules(text):
        regex = re.escape(pattern).replace(r"\*", ".*")
        if regex.endswith(r"\$"):
            regex = regex[:-2] + "$"
        if not pattern or not re.match(regex, path):
            continue
        if best is None or (len(pattern), kind == "allow") > (len(best[1]), best[0] == "allow"):
            best = (kind, pattern)
    return best is None or best[0] == "allow"


@pytest.fixture
def robots(client, settings):
    settings.KINDRED_BASE_URL = "https://kindred.example"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    return response


def test_plain_text_with_the_rules_and_the_sitemap(robots):
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    lines = robots.content.decode().splitlines()
    assert "User-agent: *" in lines
    for prefix in DISALLOWED:
        assert f"Disallow: {prefix}" in lines
    assert "Allow: /" in lines
    assert lines.count("Sitemap: https://kindred.example/sitemap.xml") == 1


def test_no_query_and_an_hours_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")

    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert client.head("/robots.txt").status_code == 200
    assert client.post("/robots.txt").status_code == 405


def test_every_rule_is_tested_here():
    assert set(SAMPLES) == set(DISALLOWED)


@pytest.fixture
def names(portal, community_index):
    profile = ProfileFactory(visibility=Profile.Visibility.EVERYONE)
    community = CommunityPageFactory(parent=community_index, slug="a-circle")
    return {"handle": profile.handle, "community": community.slug}


@pytest.mark.parametrize("prefix", sorted(SAMPLES))
def test_each_rule_covers_the_route_it_names_and_no_page(client, robots, names, prefix):
    sample, route, visitor_gets = SAMPLES[prefix]
    path = sample.format(**names)

    match = resolve(path.split("?")[0])

    assert match.view_name == route
    assert not allowed(robots.content.decode(), path)
    response = client.get(path)
    if visitor_gets == "sign in":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif visitor_gets == "refused":
        assert response.status_code in (404, 405)


def test_public_pages_stay_open(
    client, robots, names, blog_index, story_index, question_index, site_pages
):
    text = robots.content.decode()
    blog = BlogPageFactory(parent=blog_index, tags=["fatigue"])
    story = ExperienceStoryPageFactory(parent=story_index)
    question = QuestionPageFactory(parent=question_index)
    members_only = BlogPageFactory(parent=blog_index, audience=Audience.MEMBERS)
    public = [
        "/",
        "/sitemap.xml",
        "/sitemap-items.xml",
        "/tags/fatigue/",
        f"/members/{names['handle']}/",
        f"/communities/{names['community']}/",
        "/communities/",
        "/safety/report/",
        "/feeds/blogs/rss/",
        blog.url,
        story.url,
        question.url,
        # Its teaser says "Sign in to read": crawlable, it is the site's own refusal.
        members_only.url,
        *(page.url for page in site_pages.values()),
        *(page.url for page in (blog_index, story_index, question_index)),
    ]

    for path in public:
        assert allowed(text, path), path


def test_the_matcher_reads_wildcards_and_longest_match():
    text = "User-agent: *\nDisallow: /members/*/followers/\nDisallow: /me/\nAllow: /\n"

    assert not allowed(text, "/members/ann-x1/followers/")
    assert not allowed(text, "/me/account/")
    assert allowed(text, "/members/ann-x1/")
    assert allowed(text, "/meetings/")
