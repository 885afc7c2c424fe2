"""RSS and Atom feeds under /feeds/: valid, public, published items only, no anonymous authors."""

import feedparser
import pytest

from moderation.services import page_submit_for_review
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory
from tests.social.helpers import EVERYONE, MEMBERS, ONLY_ME, person
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

# Measured on SQLite; the same for 2 or 25 items.
FEED_QUERIES = 9
KINDS = ["rss", "atom"]


@pytest.fixture
def writer(portal):
    return person("Writer W", visibility=EVERYONE)


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


@pytest.fixture
def mixed(writer, blog_index, story_index):
    """One item in each state, all by ``writer`` and tagged "fatigue"."""
    BlogPageFactory(parent=blog_index, author=writer, title="Published post", tags=["fatigue"])
    BlogPageFactory(
        parent=blog_index, author=writer, title="Draft post", tags=["fatigue"], publish=False
    )
    in_review = BlogPageFactory(
        parent=blog_index, author=writer, title="Post in review", tags=["fatigue"], publish=False
    )
    page_submit_for_review(page=in_review, user=writer)
    ExperienceStoryPageFactory(
        parent=story_index,
        author=writer,
        title="Anonymous story",
        is_anonymous=True,
        tags=["fatigue"],
    )
    ExperienceStoryPageFactory(
        parent=story_index, author=writer, title="Named story", tags=["fatigue"]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_section_feed(client, mixed, writer, kind):
    response, parsed = parse(client, f"/feeds/blogs/{kind}/")

    assert [entry.title for entry in parsed.entries] == ["Published post"]
    entry = parsed.entries[0]
    assert entry.link == "http://testserver/blogs/published-post/"
    assert entry.author == "Writer W"
    assert entry.published_parsed
    assert "fatigue" in [tag.term for tag in entry.tags]
    assert "Draft post" not in response.content.decode()
    assert "Post in review" not in response.content.decode()
    content_type = "application/rss+xml" if kind == "rss" else "application/atom+xml"
    assert response["Content-Type"].startswith(content_type)


@pytest.mark.parametrize("kind", KINDS)
def test_tag_feed_shows_anonymous_stories_as_anonymous(client, mixed, writer, kind):
    response, parsed = parse(client, f"/feeds/tags/fatigue/{kind}/")
    body = response.content.decode()

    titles = {entry.title for entry in parsed.entries}
    assert titles == {"Published post", "Anonymous story", "Named story"}
    anonymous = next(entry for entry in parsed.entries if entry.title == "Anonymous story")
    assert anonymous.author == "Anonymous member"
    # The author's name (and, in Atom, profile link) appear only with their named items.
    assert body.count("Writer W") == 2
    assert body.count(writer.profile.handle) == (2 if kind == "atom" else 0)
    assert "Draft post" not in body and "Post in review" not in body


@pytest.mark.parametrize("kind", KINDS)
def test_author_feed_leaves_anonymous_stories_out(client, mixed, writer, kind):
    response, parsed = parse(client, f"/feeds/members/{writer.profile.handle}/{kind}/")

    assert {entry.title for entry in parsed.entries} == {"Published post", "Named story"}
    assert "Anonymous story" not in response.content.decode()


@pytest.mark.parametrize("visibility", [MEMBERS, ONLY_ME])
def test_author_feed_only_for_profiles_open_to_everyone(client, writer, blog_index, visibility):
    BlogPageFactory(parent=blog_index, author=writer)
    writer.profile.visibility = visibility
    writer.profile.save()
    # Even for a signed-in member: feeds are public documents.
    client.force_login(person("Reader R"))

    for kind in KINDS:
        assert client.get(f"/feeds/members/{writer.profile.handle}/{kind}/").status_code == 404


def test_members_profile_author_is_named_but_not_linked(client, blog_index, portal):
    members_only = person("Members Mo", visibility=MEMBERS)
    BlogPageFactory(parent=blog_index, author=members_only, title="Post")

    response, parsed = parse(client, "/feeds/blogs/atom/")

    assert parsed.entries[0].author == "Members Mo"
    assert members_only.profile.handle not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/no-such-section/rss/",
        "/feeds/tags/no-such-tag/rss/",
        "/feeds/tags/draft-only/atom/",
        "/feeds/members/nobody-abc123/rss/",
        f"/feeds/{'x' * 400}/rss/",
        "/feeds/tags/%00/rss/",
    ],
)
def test_unknown_or_private_feeds_are_404(client, blog_index, path):
    BlogPageFactory(parent=blog_index, tags=["draft-only"], publish=False)
    assert client.get(path).status_code == 404


def test_feeds_carry_the_twenty_newest(client, writer, blog_index):
    for number in range(23):
        BlogPageFactory(parent=blog_index, author=writer, title=f"Post {number:02d}")

    _, parsed = parse(client, "/feeds/blogs/rss/")

    assert len(parsed.entries) == 20
    assert parsed.entries[0].title == "Post 22"


@pytest.mark.parametrize("count", [2, 25])
def test_feed_queries_do_not_grow(client, writer, blog_index, django_assert_max_num_queries, count):
    for number in range(count):
        BlogPageFactory(
            parent=blog_index,
            author=person(f"Author {number}", visibility=EVERYONE),
            tags=["shared", f"tag-{number}"],
        )
    for path in (
        "/feeds/blogs/rss/",
        "/feeds/tags/shared/atom/",
        f"/feeds/members/{writer.profile.handle}/rss/",
    ):
        with django_assert_max_num_queries(FEED_QUERIES):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_titles_and_names_stay_text(client, writer, blog_index, payload):
    writer.display_name = payload[:60]
    writer.save()
    BlogPageFactory(parent=blog_index, author=writer, title=payload[:200], summary=payload[:300])

    _, parsed = parse(client, "/feeds/blogs/atom/")

    entry = parsed.entries[0]
    # The payload is the entry's text, escaped in the XML, not markup of the feed.
    assert entry.title == payload[:200]
    assert entry.author == payload[:60]


def test_tag_page_and_public_profile_link_their_feeds(client, writer, blog_index):
    BlogPageFactory(parent=blog_index, author=writer, tags=["fatigue"])

    assert "/feeds/tags/fatigue/rss/" in client.get("/tags/fatigue/").content.decode()
    profile_html = client.get(writer.profile.get_absolute_url()).content.decode()
    assert f"/feeds/members/{writer.profile.handle}/atom/" in profile_html


def test_pages_announce_their_feeds_in_the_head(client, writer, blog_index):
    from bs4 import BeautifulSoup

    BlogPageFactory(parent=blog_index, author=writer, tags=["fatigue"])

    for path, feed in [
        (blog_index.url, "/feeds/blogs/"),
        ("/tags/fatigue/", "/feeds/tags/fatigue/"),
        (writer.profile.get_absolute_url(), f"/feeds/members/{writer.profile.handle}/"),
    ]:
        head = BeautifulSoup(client.get(path).content, "html.parser").head
        links = {link["href"] for link in head.find_all("link", rel="alternate")}
        assert links == {f"{feed}rss/", f"{feed}atom/"}, path
        for href in links:
            _, parsed = parse(client, href)
            assert parsed.entries
