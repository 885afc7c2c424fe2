"""The public read API's queries do not grow with the number of items (2 against 12)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core import roles
from social.models import Profile
from tests.api.conftest import API
from tests.api.test_files import image, media_root  # noqa: F401 (a fixture)
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = f"{API}pages/"
# Measured on SQLite and PostgreSQL. A listing: the site, the view restrictions (as
# the readable set is built; a second time for the serializer's parent check on a
# one-type listing), the count, the rows with their locale, author, profile and
# rating summary, the tags (one prefetch); a search adds its ranked query and the
# content types it searches (cached after the first). The throttle's counts are in
# the cache, not the database.
LISTING_QUERIES = 8
DETAIL_QUERIES = 10
# The collections' and pages' restrictions, the content type, the count, the rows.
FILES_QUERIES = 6


@pytest.fixture(params=[2, 12])
def items(request, blog_index, story_index):
    count = request.param
    for number in range(count):
        author = UserFactory(group=roles.MEMBERS, display_name=f"Writer {number}")
        ProfileFactory(user=author, visibility=Profile.Visibility.EVERYONE)
        BlogPageFactory(
            parent=blog_index, author=author, title=f"Walk {number}", tags=[f"t{number}", "walks"]
        )
        ExperienceStoryPageFactory(parent=story_index, author=author, title=f"Story {number}")
    return count


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"fields": "*"},
        {"type": "blogs.BlogPage", "fields": "*"},
        {"type": "experience_stories.ExperienceStoryPage", "fields": "*"},
        {"type": "blogs.BlogPage,experience_stories.ExperienceStoryPage", "fields": "*"},
        {"search": "walk", "type": "blogs.BlogPage", "fields": "*"},
        {"order": "-first_published_at", "type": "blogs.BlogPage", "fields": "*"},
    ],
    ids=str,
)
def test_listing_queries_are_flat(client, items, params, django_assert_max_num_queries):
    client.get(PAGES)  # the site's root paths, cached for every later request
    with django_assert_max_num_queries(LISTING_QUERIES):
        response = client.get(PAGES, {**params, "limit": 20})
    assert response.status_code == 200
    assert len(response.json()["items"]) >= min(items, 2)


def test_detail_queries(client, items, blog_index, django_assert_max_num_queries):
    page = BlogPageFactory(parent=blog_index, tags=["a", "b", "c"])
    client.get(PAGES)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(f"{PAGES}{page.pk}/")
    assert response.status_code == 200


def test_files_listing_queries(client, items, blog_index, django_assert_max_num_queries):
    for number in range(items):
        BlogPageFactory(
            parent=blog_index,
            body=[("image", {"image": image(f"Picture {number}"), "alt_text": "x"})],
        )
    for endpoint in (f"{API}images/", f"{API}documents/"):
        with django_assert_max_num_queries(FILES_QUERIES):
            assert client.get(endpoint, {"fields": "*"}).status_code == 200


def test_the_listing_reads_each_table_once(client, items):
    client.get(PAGES)
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGES, {"type": "blogs.BlogPage", "fields": "*", "limit": 20})
    tag_reads = [query for query in queries if "taggit_tag" in query["sql"]]
    assert len(tag_reads) == 1
