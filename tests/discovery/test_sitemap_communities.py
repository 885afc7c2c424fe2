"""The sitemap in the communities' canary world (tests/communities/conftest.py): an item in
every audience, an unlisted community, and six personas. Whoever asks, the sitemap is the
visitor's: the public item, listed communities, nothing any audience rule keeps back."""

import pytest

from tests.communities.conftest import (
    ITEMS,
    PERSONAS,
    PRIVATE_ITEMS,
    UNLISTED_NAME_WORD,
    build_world,
    leaks,
    word,
    words_of,
)
from tests.discovery.test_sitemap import _public_address, crawl  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(portal, blog_index, story_index, expert_index):
    return build_world(blog_index=blog_index, story_index=story_index, expert_index=expert_index)


def test_the_sitemap_lists_only_what_a_visitor_reads_whoever_asks(world, settings):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    # Authors' profiles are open to everyone: their handles (made from their names) are
    # listed as profiles, which says nothing of what they wrote for whom.
    forbidden = set().union(*(words_of(item) for item in PRIVATE_ITEMS)) - {
        word(item, "author") for item in ITEMS
    }
    for persona in PERSONAS:
        found = crawl(world.client(persona))

        assert not leaks(found.text, forbidden), persona
        assert UNLISTED_NAME_WORD not in found.text
        assert "/communities/quiet-room/" not in found.paths, persona
        assert world.items["public"].url in found.paths, persona
        for listed in ("a", "b"):
            assert world.communities[listed].url in found.paths, persona
        assert "/tags/fatigue/" in found.paths
