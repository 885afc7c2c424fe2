"""A small public site for the page-cache tests, and how a visitor reads it."""

from django.test import Client

import pytest

from pagecache.middleware import HEADER
from tests.factories import BlogPageFactory, CommunityPageFactory
from tests.spies import calls_of


@pytest.fixture
def item(blog_index, member):
    return BlogPageFactory(
        parent=blog_index, author=member, title="Fatigue and me", tags=["fatigue"]
    )


@pytest.fixture
def community(community_index):
    return CommunityPageFactory(parent=community_index, title="Newly diagnosed")


@pytest.fixture
def visitor():
    """A fresh browser with no cookies at all."""
    return Client()


def cache_state(response) -> str:
    return response.get(HEADER, "")


def public_urls(*, home, blog_index, item, community_index, community):
    """Every kind of public page, by name."""
    return {
        "item": item.url,
        "home": home.url,
        "section": blog_index.url,
        "section_page_2_sorted": blog_index.url + "?sort=newest&page=1",
        "tag": "/tags/fatigue/",
        "community_directory": community_index.url,
        "community": community.url,
        "section_rss": f"/feeds/{blog_index.slug}/rss/",
        "section_atom": f"/feeds/{blog_index.slug}/atom/",
        "tag_rss": "/feeds/tags/fatigue/rss/",
    }


def commands_sent(monkeypatch) -> list[str]:
    """The names of the commands redis-py writes to Redis from now on, whichever of its
    layers (the client's ``execute_command`` or the connection itself) sends them."""
    from redis.connection import AbstractConnection

    return calls_of(
        monkeypatch,
        AbstractConnection,
        "send_command",
        record=lambda connection, *args, **_: args[0],
    )
