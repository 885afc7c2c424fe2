"""Home, section indexes and tag listings: what they show and what they cost."""

import pytest

from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
)

pytestmark = pytest.mark.django_db

# Ceilings measured on SQLite and PostgreSQL; they must not depend on how
# many items, tags or sections' children exist (hence the parametrised sizes).
# Home +3 for its "Top rated" section: view restrictions, the items, their tags;
# +2 for the Questions section's newest items and their tags (issue 13): a fixed
# number of sections, each read in the same queries whatever it holds.
# +1 since issue 15: the sponsor's declaration in the footer, read once per site on a
# cold cache (safety.declarations; every test starts with an empty cache).
HOME_QUERIES = 27
INDEX_QUERIES = 13
INDEX_WITH_TAG_QUERIES = 15
TAG_LISTING_QUERIES = 10


@pytest.fixture
def published(blog_index, expert_index, story_index):
    """Make ``count`` published items of each type, each with three tags."""

    def make(count):
        items = []
        for number in range(count):
            tags = [f"topic-{number}", f"extra-{number}", "fatigue"]
            items.append(BlogPageFactory(parent=blog_index, tags=tags))
            items.append(ExpertArticlePageFactory(parent=expert_index, tags=tags))
            items.append(ExperienceStoryPageFactory(parent=story_index, tags=tags))
        return items

    return make


@pytest.mark.parametrize("count", [1, 15])
def test_home_query_count_does_not_grow(client, published, django_assert_max_num_queries, count):
    published(count)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 15])
@pytest.mark.parametrize("path", ["/blogs/", "/expert-articles/", "/experiences/"])
def test_index_query_count_does_not_grow(
    client, published, django_assert_max_num_queries, count, path
):
    published(count)
    with django_assert_max_num_queries(INDEX_QUERIES):
        response = client.get(path)
    assert response.status_code == 200
    with django_assert_max_num_queries(INDEX_WITH_TAG_QUERIES):
        response = client.get(path, {"tag": "fatigue", "page": "2"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_tag_listing_query_count_does_not_grow(
    client, published, django_assert_max_num_queries, count
):
    published(count)
    with django_assert_max_num_queries(TAG_LISTING_QUERIES):
        response = client.get("/tags/fatigue/")
    assert response.status_code == 200


def test_home_shows_latest_of_each_kind(client, published):
    items = published(4)
    html = client.get("/").content.decode()

    newest = {type(item): item for item in items}  # the last made of each type
    for item in newest.values():
        assert item.title in html
    oldest_blog = items[0]
    # By address: the factories of different types can repeat a title.
    assert f'href="{oldest_blog.url}"' not in html, "home shows three per kind, newest first"
    for section in ("Latest in Blogs", "Latest in Expert articles", "Latest in Experiences"):
        assert section in html


def test_index_lists_newest_first_twelve_a_page(client, blog_index):
    posts = [BlogPageFactory(parent=blog_index, title=f"Post number {n:02d}") for n in range(14)]

    first = client.get("/blogs/")
    second = client.get("/blogs/", {"page": 2})

    first_page = list(first.context["items"])
    assert [post.pk for post in first_page] == [post.pk for post in reversed(posts)][:12]
    assert [post.pk for post in second.context["items"]] == [posts[1].pk, posts[0].pk]
    html = first.content.decode()
    assert html.index("Post number 13") < html.index("Post number 12")
    assert 'rel="next"' in html


def test_listing_card_shows_title_summary_author_date_and_tags(client, blog_index, member):
    post = BlogPageFactory(
        parent=blog_index, author=member, summary="Pacing, not pushing.", tags=["fatigue"]
    )

    html = client.get("/blogs/").content.decode()

    assert post.title in html
    assert "Pacing, not pushing." in html
    assert member.display_name in html
    assert post.first_published_at.strftime("%Y-%m-%d") in html
    assert 'href="/tags/fatigue/"' in html


def test_index_filters_by_tag(client, blog_index):
    tagged = BlogPageFactory(parent=blog_index, tags=["sleep"])
    untagged = BlogPageFactory(parent=blog_index, tags=["work"])

    response = client.get("/blogs/", {"tag": "sleep"})

    titles = [item.title for item in response.context["items"]]
    assert titles == [tagged.title]
    assert untagged.title not in response.content.decode()


def test_tag_listing_spans_all_content_types(client, blog_index, expert_index, story_index):
    items = [
        BlogPageFactory(parent=blog_index, tags=["heat"]),
        ExpertArticlePageFactory(parent=expert_index, tags=["heat"]),
        ExperienceStoryPageFactory(parent=story_index, tags=["heat"]),
    ]
    other = BlogPageFactory(parent=blog_index, tags=["diet"])

    response = client.get("/tags/heat/")

    assert response.status_code == 200
    html = response.content.decode()
    for item in items:
        assert item.title in html
    assert other.title not in html
    for label in ("Blog post", "Expert article", "Experience story"):
        assert label in html


def test_unknown_tag_listing_is_404(client, portal):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tags_with_accents_have_a_listing(client, blog_index):
    post = BlogPageFactory(parent=blog_index, tags=["Müdigkeit"])

    html = client.get("/blogs/").content.decode()
    slug = post.tags.get().slug

    assert slug == "müdigkeit"
    response = client.get(f"/tags/{slug}/")
    assert response.status_code == 200
    assert post.title in response.content.decode()
    assert "/tags/m%C3%BCdigkeit/" in html or f"/tags/{slug}/" in html
