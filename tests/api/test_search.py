"""``?search=`` in the public read API: the site search's ranking, readable items only."""

import pytest

from core.models import Audience
from search.hits import matching_ids
from tests.api.conftest import API
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory

pytestmark = pytest.mark.django_db

PAGES = f"{API}pages/"


@pytest.fixture
def walks(blog_index, story_index):
    for number in range(5):
        BlogPageFactory(parent=blog_index, title=f"Heron walk {number}", summary="Rivers.")
        ExperienceStoryPageFactory(
            parent=story_index, title=f"Walking story {number}", summary="Heron by the water."
        )
    BlogPageFactory(parent=blog_index, title="Heron for members", audience=Audience.MEMBERS)


def test_search_keeps_the_ranking_and_pages_through_it(client, walks):
    ranked = [pk for pk in matching_ids("heron") if pk]
    whole = client.get(PAGES, {"search": "heron", "limit": 50}).json()
    ids = [item["id"] for item in whole["items"]]

    assert len(ids) == whole["meta"]["total_count"] == 10  # not the members' one
    assert ids == [pk for pk in ranked if pk in set(ids)]
    pages = [
        item["id"]
        for offset in (0, 4, 8)
        for item in client.get(PAGES, {"search": "heron", "limit": 4, "offset": offset}).json()[
            "items"
        ]
    ]
    assert pages == ids


def test_search_with_an_order_and_a_type(client, walks):
    response = client.get(
        PAGES, {"search": "heron", "type": "blogs.BlogPage", "order": "title", "fields": "title"}
    ).json()
    assert [item["title"] for item in response["items"]] == [f"Heron walk {n}" for n in range(5)]


def test_a_word_only_hidden_items_hold_finds_nothing(client, walks):
    response = client.get(PAGES, {"search": "members"}).json()
    assert response == {"meta": {"total_count": 0}, "items": []}
