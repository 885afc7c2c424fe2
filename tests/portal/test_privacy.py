"""Drafts and items in review never reach a reader, anywhere."""

import pytest

from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
)

pytestmark = pytest.mark.django_db

CANARY = "canary-unreadable"


@pytest.fixture
def unreadable(blog_index, expert_index, story_index, editor, member, expert):
    """One item in every state a reader must not see, each titled with the canary."""
    draft = BlogPageFactory(
        parent=blog_index, author=member, title=f"{CANARY} draft", tags=[CANARY], publish=False
    )
    awaiting_editorial = ExperienceStoryPageFactory(
        parent=story_index, author=member, title=f"{CANARY} editorial", tags=[CANARY], publish=False
    )
    page_submit_for_review(page=awaiting_editorial, user=member)
    awaiting_medical = ExpertArticlePageFactory(
        parent=expert_index, author=expert, title=f"{CANARY} medical", tags=[CANARY], publish=False
    )
    page_submit_for_review(page=awaiting_medical, user=expert)
    review_approve(page=awaiting_medical, user=editor)
    rejected = BlogPageFactory(
        parent=blog_index, author=member, title=f"{CANARY} rejected", tags=[CANARY], publish=False
    )
    page_submit_for_review(page=rejected, user=member)
    review_request_changes(page=rejected, user=editor, comment="No.")
    return [draft, awaiting_editorial, awaiting_medical, rejected]


@pytest.fixture
def readable(blog_index, expert_index, story_index):
    return [
        BlogPageFactory(parent=blog_index, tags=["shared"]),
        ExpertArticlePageFactory(parent=expert_index, tags=["shared"]),
        ExperienceStoryPageFactory(parent=story_index, tags=["shared"]),
    ]


@pytest.mark.parametrize(
    "path",
    ["/", "/blogs/", "/expert-articles/", "/experiences/", "/tags/shared/"],
)
def test_listings_never_show_unreadable_items(client, unreadable, readable, path):
    response = client.get(path)

    assert response.status_code == 200
    assert CANARY not in response.content.decode()


@pytest.mark.parametrize("path", ["/blogs/", "/expert-articles/", "/experiences/"])
def test_filtering_by_a_tag_only_unreadable_items_carry_shows_nothing(
    client, unreadable, readable, path
):
    response = client.get(path, {"tag": CANARY})

    assert response.status_code == 200
    assert list(response.context["items"]) == []
    assert CANARY not in response.content.decode().replace(f"tag={CANARY}", "")


def test_tag_only_on_unreadable_items_has_no_listing(client, unreadable):
    assert client.get(f"/tags/{CANARY}/").status_code == 404


def test_unreadable_pages_are_404_to_visitors(client, unreadable):
    for page in unreadable:
        assert client.get(page.url or f"/{page.slug}/").status_code == 404


def test_pending_edit_of_a_published_item_stays_private(client, blog_index, member, editor):
    post = BlogPageFactory(parent=blog_index, author=member, title="Published title")
    post.title = f"{CANARY} pending title"
    post.summary = f"{CANARY} pending summary"
    page_submit_for_review(page=post, user=member)
    review_approve(page=post, user=editor)

    for path in ("/", "/blogs/", post.url):
        html = client.get(path).content.decode()
        assert "Published title" in html
        assert CANARY not in html


def test_anonymous_story_never_names_its_author(client, story_index, member):
    story = ExperienceStoryPageFactory(
        parent=story_index, author=member, is_anonymous=True, tags=["relapses"]
    )

    for path in ("/", "/experiences/", "/tags/relapses/", story.url):
        html = client.get(path).content.decode()
        assert story.title in html
        assert member.display_name not in html, path
        assert member.username not in html, path
        assert "Anonymous member" in html
