from wagtail.rich_text import RichText

import pytest

from tests.factories import BlogPageFactory, ExpertArticlePageFactory

pytestmark = pytest.mark.django_db

# +2 for the rating widget: the summary row and the anonymous-ratings site setting.
# +3 for the discussion: the readable-page gate (view restrictions, the page) and
# the comments with their authors in one query (tests/discussion/test_queries.py).
# +3 for sharing (a public item): view restrictions, the policy's rules, its default.
DETAIL_QUERIES = 21


@pytest.mark.parametrize("tag_count", [1, 12])
def test_blog_post_renders_under_a_fixed_query_ceiling(
    client, blog_index, member, django_assert_max_num_queries, tag_count
):
    post = BlogPageFactory(
        parent=blog_index,
        author=member,
        title="My first year with MS",
        summary="What I learned.",
        tags=[f"tag-{n}" for n in range(tag_count)],
        body=[
            ("heading", {"text": "The diagnosis", "level": "h2"}),
            ("paragraph", RichText("<p>It started with <b>numb</b> toes.</p>")),
            ("quote", {"text": "You are not alone.", "attribution": "My MS nurse"}),
            ("callout", {"tone": "tip", "text": RichText("<p>Rest first.</p>")}),
        ],
    )

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(post.url)

    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "My first year with MS",
        "What I learned.",
        member.display_name,
        "<h2>The diagnosis</h2>",
        "<b>numb</b>",
        "You are not alone.",
        "callout-tip",
        'href="/tags/tag-0/"',
    ):
        assert expected in html


def test_expert_article_shows_credentials_and_references(client, expert_index, expert):
    article = ExpertArticlePageFactory(
        parent=expert_index,
        author=expert,
        credentials="Consultant neurologist, MS clinic",
        references=[
            ("reference", {"citation": "NICE guideline NG220", "url": "https://www.nice.org.uk/"}),
        ],
    )

    html = client.get(article.url).content.decode()

    assert "Consultant neurologist, MS clinic" in html
    assert "NICE guideline NG220" in html
    assert 'href="https://www.nice.org.uk/"' in html
    # Published directly (no workflow), so no medical review line is claimed.
    assert "Medically reviewed by" not in html


@pytest.mark.parametrize("path", ["/blogs/", "/expert-articles/"])
def test_index_pages_render(client, portal, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Nothing has been published here yet." in response.content.decode()
