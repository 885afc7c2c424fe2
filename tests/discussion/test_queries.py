"""The number of queries does not grow with the number of comments, on pages or cards."""

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

import pytest

from core.models import ContentPage
from core.selectors import readable_content
from discussion.selectors import with_comment_counts
from social.models import Profile
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

# The whole content page. The discussion's share is the readable-page gate
# (view restrictions, then the page), one query for the comments with their
# authors, profiles and badges, and for a member their consent. Members also
# get the notification bell's unread count in the header (one query).
# +3 for sharing (a public item): view restrictions, the policy's rules, its default.
PAGE_QUERIES = {"visitor": 20, "member": 28}


def _discussion(page, size):
    """``size`` comments on ``page``: threads three deep, authors with and without avatars."""
    authors = []
    for n in range(4):
        user = with_consent(UserFactory(group="Members", display_name=f"Author {n}"))
        if n % 2 == 0:
            profile = ProfileFactory(user=user, visibility=Profile.Visibility.EVERYONE)
            profile.avatar = f"avatars/author-{n}.webp"
            profile.save()
        authors.append(user)
    made = []
    while len(made) < size:
        root = add_comment(page, authors[len(made) % 4], f"Root {len(made)}")
        made.append(root)
        if len(made) < size:
            reply = add_comment(page, authors[(len(made) + 1) % 4], "Reply", parent=root)
            made.append(reply)
            if len(made) < size:
                made.append(add_comment(page, authors[(len(made) + 2) % 4], "Deep", parent=reply))
    # Some held and removed ones too.
    add_comment(page, authors[0], "Held", state="awaiting")
    add_comment(page, authors[1], "Removed", parent=made[0], state="removed")
    return made


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("who", ["visitor", "member"])
def test_content_page_queries_do_not_grow_with_comments(
    client, blog_index, trusted, django_assert_max_num_queries, size, who
):
    page = BlogPageFactory(parent=blog_index, title="Busy discussion")
    made = _discussion(page, size)
    if who == "member":
        client.force_login(trusted)
    client.get(page.url)  # warm per-process caches (site root paths, content types)

    with django_assert_max_num_queries(PAGE_QUERIES[who]):
        response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="comment-body') == size
    assert "avatars/author-0.webp" in html
    assert len(made) == size


def test_page_queries_are_the_same_for_3_and_40_comments(client, blog_index, trusted):
    counts = []
    for size in (3, 40):
        page = BlogPageFactory(parent=blog_index, title=f"Discussion of {size}")
        _discussion(page, size)
        client.force_login(trusted)
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_card_counts_come_in_the_listing_query(blog_index, other, django_assert_num_queries):
    pages = [BlogPageFactory(parent=blog_index, title=f"Card {n}") for n in range(5)]
    for n, page in enumerate(pages):
        for _ in range(n):
            add_comment(page, other, "Counted")
        add_comment(page, other, "Not counted: held", state="awaiting")
        add_comment(page, other, "Not counted: hidden", state="hidden")
        add_comment(page, other, "Not counted: removed", state="removed")

    listing = (
        with_comment_counts(readable_content(user=None, queryset=ContentPage.objects.all()))
        .filter(pk__in=[page.pk for page in pages])
        .order_by("pk")
    )

    with django_assert_num_queries(1):
        items = list(listing)

    assert [item.comment_count for item in items] == [0, 1, 2, 3, 4]


def test_card_template_shows_the_count_and_nothing_without_it(blog_index, other):
    page = BlogPageFactory(parent=blog_index)
    add_comment(page, other, "One")
    annotated = with_comment_counts(ContentPage.objects.filter(pk=page.pk)).get()
    plain = ContentPage.objects.get(pk=page.pk)

    with CaptureQueriesContext(connection) as queries:
        shown = render_to_string("discussion/includes/card_comment_count.html", {"item": annotated})
        empty = render_to_string("discussion/includes/card_comment_count.html", {"item": plain})

    assert "1 comment<" in shown
    assert empty.strip() == ""
    assert len(queries) == 0
