"""/feed/: what the personal feed shows, in which order, to whom, and what it costs."""

import re
from datetime import timedelta

from django.utils import timezone

from taggit.models import Tag

import pytest

from core.models import ContentPage
from moderation.services import page_submit_for_review
from social.services import follow_create, topic_follow_create
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
)
from tests.social.helpers import person
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

# Measured on SQLite: signed-in page chrome (session, user, user bar, bell) +
# count + items + tags + the byline ties; the same for 0, 3 or 30 follows.
FEED_QUERIES = 14
# The empty feed also asks for people like me and popular topics.
EMPTY_FEED_QUERIES = 17


@pytest.fixture
def reader(portal):
    return person("Reader R")


@pytest.fixture
def writer(portal):
    return person("Writer W")


def titles(html):
    return re.findall(r'<h[23] class="card-title"[^>]*><a href="[^"]*">([^<]+)</a>', html)


def feed(client, reader, page=None):
    client.force_login(reader)
    response = client.get("/feed/" + (f"?page={page}" if page else ""))
    assert response.status_code == 200
    return response.content.decode()


def tag(slug):
    return Tag.objects.get(slug=slug)


def test_feed_needs_signing_in(client):
    response = client.get("/feed/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_items_from_followed_members_and_topics_newest_first(
    client, reader, writer, blog_index, expert_index, story_index, expert
):
    from tests.factories import ProfileFactory

    ProfileFactory(user=expert)
    stranger = person("Stranger S")
    now = timezone.now()
    made = [
        BlogPageFactory(parent=blog_index, author=writer, title="Old by writer"),
        ExpertArticlePageFactory(parent=expert_index, author=expert, title="By the expert"),
        ExperienceStoryPageFactory(
            parent=story_index, author=stranger, title="Tagged story", tags=["fatigue"]
        ),
        BlogPageFactory(parent=blog_index, author=stranger, title="Unrelated"),
        BlogPageFactory(parent=blog_index, author=writer, title="New by writer"),
    ]
    for age, page in zip([50, 40, 30, 20, 10], made, strict=True):
        ContentPage.objects.filter(pk=page.pk).update(
            first_published_at=now - timedelta(minutes=age)
        )
    follow_create(follower=reader, followee=writer)
    follow_create(follower=reader, followee=expert)
    topic_follow_create(follower=reader, tag=tag("fatigue"))

    html = feed(client, reader)

    assert titles(html) == ["New by writer", "Tagged story", "By the expert", "Old by writer"]
    # Each card: type, author, summary, rating and comment count.
    assert "Expert article" in html and "Experience story" in html
    assert "Writer W" in html and "Dr Expert" in html
    assert "What helped, what did not" in html
    assert "card-stats" in html


def test_feed_is_paginated_twelve_a_page(client, reader, writer, blog_index):
    for number in range(14):
        BlogPageFactory(parent=blog_index, author=writer, title=f"Post {number:02d}")
    follow_create(follower=reader, followee=writer)

    first, second = feed(client, reader), feed(client, reader, page=2)

    assert len(titles(first)) == 12
    assert len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    # Out-of-range and malformed page numbers give a valid page, never an error.
    assert titles(feed(client, reader, page="9999")) == titles(second)
    assert titles(feed(client, reader, page="x")) == titles(first)


def test_drafts_items_in_review_and_unpublished_items_never_appear(
    client, reader, writer, blog_index
):
    BlogPageFactory(parent=blog_index, author=writer, title="Draft post", publish=False)
    in_review = BlogPageFactory(parent=blog_index, author=writer, title="In review", publish=False)
    page_submit_for_review(page=in_review, user=writer)
    withdrawn = BlogPageFactory(parent=blog_index, author=writer, title="Withdrawn")
    withdrawn.unpublish()
    BlogPageFactory(
        parent=blog_index, author=writer, title="Tagged draft", tags=["fatigue"], publish=False
    )
    BlogPageFactory(parent=blog_index, author=writer, title="Visible", tags=["fatigue"])
    follow_create(follower=reader, followee=writer)
    topic_follow_create(follower=reader, tag=tag("fatigue"))

    assert titles(feed(client, reader)) == ["Visible"]


def test_anonymous_stories_never_come_through_a_member_follow(client, reader, writer, story_index):
    ExperienceStoryPageFactory(
        parent=story_index, author=writer, title="My secret story", is_anonymous=True
    )
    ExperienceStoryPageFactory(parent=story_index, author=writer, title="My named story")
    follow_create(follower=reader, followee=writer)

    html = feed(client, reader)

    assert titles(html) == ["My named story"]
    assert "My secret story" not in html


def test_anonymous_stories_come_through_a_topic_as_anonymous(client, reader, writer, story_index):
    ExperienceStoryPageFactory(
        parent=story_index,
        author=writer,
        title="My secret story",
        is_anonymous=True,
        tags=["fatigue"],
    )
    follow_create(follower=reader, followee=writer)
    topic_follow_create(follower=reader, tag=tag("fatigue"))

    html = feed(client, reader)

    assert titles(html) == ["My secret story"]
    assert "Anonymous member" in html
    assert "Writer W" not in html
    assert writer.profile.handle not in html


def test_muted_and_blocked_members_items_leave_the_feed(client, reader, writer, blog_index, portal):
    from social.services import block_create, mute_create

    muted, blocker, blocked = person("Muted M"), person("Blocker B"), person("Blocked X")
    for author in (writer, muted, blocker, blocked):
        BlogPageFactory(
            parent=blog_index, author=author, title=f"By {author.display_name}", tags=["fatigue"]
        )
        follow_create(follower=reader, followee=author)
    topic_follow_create(follower=reader, tag=tag("fatigue"))
    mute_create(muter=reader, muted=muted)
    block_create(blocker=blocker, blocked=reader)
    block_create(blocker=reader, blocked=blocked)

    # Even though the tag still matches their items.
    assert titles(feed(client, reader)) == ["By Writer W"]


def test_someone_elses_feed_is_never_shown(client, reader, writer, blog_index, portal):
    other = person("Other O")
    BlogPageFactory(parent=blog_index, author=writer, title="For the other")
    follow_create(follower=other, followee=writer)

    assert titles(feed(client, reader)) == []


# How the page's queries stay flat with 0, 3 and 30 follows, mutes and blocks,
# either way the feed finds its items: tests/social/test_feed_at_scale.py.


@pytest.mark.parametrize("many", [False, True])
def test_one_query_for_the_items_whatever_the_follows(reader, blog_index, monkeypatch, many):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from social.selectors import feed as feed_module
    from social.selectors import feed_items

    if many:
        monkeypatch.setattr(feed_module, "FEW_CANDIDATES", 5)
    for number in range(20):
        author = person(f"Author {number}")
        follow_create(follower=reader, followee=author)
        BlogPageFactory(parent=blog_index, author=author)
    with CaptureQueriesContext(connection) as queries:
        items = list(feed_items(user=reader).prefetch_related(None)[:12])
    assert len(items) == 12
    # Wagtail's .public() reads the view restrictions first (once, whatever
    # the follows); a count that stops past FEW_CANDIDATES chooses how the
    # items are found; the follows, topics, mutes and blocks are subqueries of
    # the one query that returns the items.
    follow_queries = [q["sql"] for q in queries if "social_memberfollow" in q["sql"]]
    assert len(follow_queries) == 2
    probe, page = follow_queries
    assert probe.startswith("SELECT COUNT(*)") and "LIMIT" in probe
    assert '"core_contentpage"' in page
    assert "social_topicfollow" in page
    assert "social_membermute" in page
    assert ("EXISTS" in page) is many
    assert len(queries) <= 3


@pytest.mark.parametrize("extra", [0, 8])
def test_empty_feed_suggests_people_and_popular_topics(
    client, reader, writer, blog_index, django_assert_max_num_queries, extra
):
    from core.models import Condition

    ms = Condition.objects.create(name="Test condition for the feed", slug="test-condition-feed")
    reader.profile.show_in_suggestions = True
    reader.profile.save()
    reader.profile.conditions.set([ms])
    writer.profile.show_in_suggestions = True
    writer.profile.save()
    writer.profile.conditions.set([ms])
    for number in range(extra):
        person(f"Zed {number}", show_in_suggestions=True, conditions=[ms])
        BlogPageFactory(parent=blog_index, tags=[f"extra-{number}"])
    for _ in range(3):
        BlogPageFactory(parent=blog_index, tags=["fatigue"])
    BlogPageFactory(parent=blog_index, tags=["sleep"])
    # Drafts neither show a tag nor count towards it.
    for _ in range(5):
        BlogPageFactory(parent=blog_index, tags=["sleep", "hidden-topic"], publish=False)
    client.force_login(reader)

    with django_assert_max_num_queries(EMPTY_FEED_QUERIES):
        html = client.get("/feed/").content.decode()

    assert "Your feed is empty" in html
    assert 'aria-label="Follow Writer W"' in html
    assert 'fatigue</a> <span class="count">(3)</span>' in html
    assert 'sleep</a> <span class="count">(1)</span>' in html
    assert "hidden-topic" not in html
    assert html.index("fatigue</a>") < html.index("sleep</a>")


def test_empty_feed_without_opt_in_explains_reciprocity(client, reader):
    html = feed(client, reader)
    assert "nobody learns others' conditions without sharing theirs" in html
    assert 'href="/me/profile/"' in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_and_titles_are_inert_in_the_feed(
    client, reader, writer, blog_index, payload
):
    writer.display_name = payload[:60]
    writer.save()
    BlogPageFactory(
        parent=blog_index,
        author=writer,
        title=payload[:200],
        summary=payload[:300],
        tags=["fatigue"],
    )
    follow_create(follower=reader, followee=writer)

    assert_harmless(feed(client, reader))
