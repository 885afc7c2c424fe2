"""Listing cards show how many visible comments each item has, without a query per card."""

import pytest

from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_cards_count_visible_comments_only(client, blog_index):
    post = BlogPageFactory(parent=blog_index, title="Talked about")
    quiet = BlogPageFactory(parent=blog_index, title="Quiet one")
    someone = UserFactory()
    first = add_comment(post, someone)
    add_comment(post, someone, parent=first)
    add_comment(post, someone, state="awaiting")
    add_comment(post, someone, state="removed")
    add_comment(post, someone, state="hidden")

    response = client.get("/blogs/")

    counts = {item.title: item.comment_count for item in response.context["items"]}
    assert counts == {"Talked about": 2, "Quiet one": 0}
    assert quiet.title in response.content.decode()
    assert "2 comments" in response.content.decode()


@pytest.mark.parametrize("comments_each", [1, 12])
def test_card_counts_do_not_add_queries(
    client, blog_index, django_assert_max_num_queries, comments_each
):
    someone = UserFactory()
    for _ in range(6):
        post = BlogPageFactory(parent=blog_index)
        for _ in range(comments_each):
            add_comment(post, someone)

    with django_assert_max_num_queries(13):
        response = client.get("/blogs/")

    assert all(item.comment_count == comments_each for item in response.context["items"])
