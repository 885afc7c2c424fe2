"""Section and tag feeds filter by language (issue 18): ``?lang=de`` subscribes to the
German items alone, and such a feed declares its language; an unknown value gives every
language, and nothing a visitor may not read appears in either."""

from wagtail.models import Locale

import feedparser
import pytest

from core.models import Audience
from tests.factories import BlogPageFactory
from tests.xss import PAYLOADS as XSS_PAYLOADS
from tests.xss import assert_harmless

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]


@pytest.fixture
def posts(blog_index):
    """An English and a German public post, a German members-only post and a German draft,
    all tagged "fatigue"."""
    german = Locale.objects.get(language_code="de")
    make = BlogPageFactory
    return {
        "english": make(parent=blog_index, title="Pacing my week", tags=["fatigue"]),
        "german": make(parent=blog_index, title="Meine Woche", tags=["fatigue"], locale=german),
        "members": make(
            parent=blog_index,
            title="Nur für Mitglieder",
            tags=["fatigue"],
            locale=german,
            audience=Audience.MEMBERS,
        ),
        "draft": make(
            parent=blog_index, title="Entwurf", tags=["fatigue"], locale=german, publish=False
        ),
    }


def parse(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize("path", ["/feeds/blogs/{kind}/", "/feeds/tags/fatigue/{kind}/"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_of_one_language_lists_only_its_public_items(client, posts, path, kind):
    path = path.format(kind=kind)

    _, german = parse(client, path, lang="de")
    _, english = parse(client, path, lang="en-gb")
    response, everything = parse(client, path)

    assert [entry.title for entry in german.entries] == ["Meine Woche"]
    assert [entry.title for entry in english.entries] == ["Pacing my week"]
    assert {entry.title for entry in everything.entries} == {"Meine Woche", "Pacing my week"}
    for hidden in ("Nur für Mitglieder", "Entwurf"):
        assert hidden not in response.content.decode()


def test_a_language_feed_declares_its_language_and_its_own_address(client, posts):
    _, rss = parse(client, "/feeds/blogs/rss/", lang="de")
    _, atom = parse(client, "/feeds/tags/fatigue/atom/", lang="de")

    assert rss.feed.language == "de"
    assert rss.feed.link == "http://testserver/blogs/?lang=de"
    assert atom.feed.language == "de"
    self_links = [link.href for link in atom.feed.links if link.rel == "self"]
    assert self_links == ["http://testserver/feeds/tags/fatigue/atom/?lang=de"]


def test_a_members_language_feed_is_still_a_visitors(client, member, posts):
    client.force_login(member)

    _, german = parse(client, "/feeds/blogs/rss/", lang="de")

    assert [entry.title for entry in german.entries] == ["Meine Woche"]


@pytest.mark.parametrize("value", ["fr", "d" * 10_000, *XSS_PAYLOADS])
def test_an_unknown_language_gives_every_language_and_is_not_echoed(client, posts, value):
    response, parsed = parse(client, "/feeds/blogs/rss/", lang=value)

    assert {entry.title for entry in parsed.entries} == {"Meine Woche", "Pacing my week"}
    assert "lang=" + value not in response.content.decode()
    assert_harmless(response.content.decode())


@pytest.mark.parametrize("count", [1, 6])
def test_a_language_feed_costs_the_same_queries_however_many_items(
    client, blog_index, django_assert_max_num_queries, count
):
    german = Locale.objects.get(language_code="de")
    for n in range(count):
        BlogPageFactory(parent=blog_index, title=f"Beitrag {n}", tags=["fatigue"], locale=german)

    with django_assert_max_num_queries(10):
        _, parsed = parse(client, "/feeds/blogs/rss/", lang="de")
    assert len(parsed.entries) == count
