"""The discussion's addresses come from one ``reverse`` per kind and process, and are the same.

Issue 17: the page's thread reversed the permalink and the edit or report address of every
comment (``{% url %}`` twice per comment, most of ~48 ``reverse()`` a page, 1-2 ms). They are
now made from one ``reverse`` per kind, URL resolver, script prefix and language in the
process (``discussion.threads.CommentLinks``), as is the address the forms post to.
"""

from datetime import timedelta

from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.urls.resolvers import URLResolver

import pytest
from bs4 import BeautifulSoup

from discussion.threads import CommentLinks, build_thread
from tests.discussion.conftest import add_comment
from tests.spies import calls_of
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

KINDS = ("permalink", "edit", "report", "post")


@pytest.fixture
def thread(post_page, other, trusted):
    """A busy thread: others' comments and replies (reportable), the reader's own (editable),
    hostile bodies, ids of one and of several digits' growth."""
    root = add_comment(post_page, other, "\n".join(PAYLOADS))
    comments = [root]
    for payload in PAYLOADS[:6]:
        comments.append(add_comment(post_page, other, payload, parent=root))
    mine = add_comment(post_page, trusted, "Mine, still editable", ago=timedelta(minutes=1))
    comments.append(mine)
    comments.append(add_comment(post_page, other, "A reply to me", parent=mine))
    return comments


def _links_of(html):
    """Each comment's (permalink, edit, report) hrefs as the page shows them, by comment id."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for article in soup.select("article.comment-body[id^=c]"):
        comment_id = int(article["id"][1:])
        date = article.select_one("a.comment-date")
        actions = {a.get_text(): a["href"] for a in article.select(".comment-actions > a")}
        found[comment_id] = (date["href"], actions.get("Edit"), actions.get("Report"))
    return found


def test_the_thread_reverses_each_kind_of_address_once_not_per_comment(
    client, post_page, thread, trusted, settings, monkeypatch
):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    client.force_login(trusted)
    client.get(post_page.url)  # warm the per-process caches
    # (name, arguments) of every reverse; the footer's "safety:report" takes none.
    reversed_names = calls_of(
        monkeypatch,
        URLResolver,
        "_reverse_with_prefix",
        record=lambda self, view, prefix, *args, **kwargs: (view, args or tuple(kwargs.values())),
    )

    response = client.get(post_page.url)

    assert response.status_code == 200
    # Before: one permalink per comment (9), an edit or report address for each, the post.
    assert [name for name, args in reversed_names if name in KINDS and args] == []


def test_the_addresses_are_the_ones_reverse_gives_each_comment(
    client, post_page, thread, trusted, settings
):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    client.force_login(trusted)
    mine = thread[-2]

    html = client.get(post_page.url).content.decode()
    shown = _links_of(html)

    forms = BeautifulSoup(html, "html.parser").select("form.comment-form")
    assert forms and {form["action"] for form in forms} == {
        reverse("discussion:post", args=[post_page.pk])
    }
    assert set(shown) == {comment.pk for comment in thread}
    for comment in thread:
        permalink, edit, report = shown[comment.pk]
        assert permalink == reverse("discussion:permalink", args=[comment.pk])
        if comment.pk == mine.pk:
            assert (edit, report) == (reverse("discussion:edit", args=[comment.pk]), None)
        else:
            assert (edit, report) == (None, reverse("discussion:report", args=[comment.pk]))


@pytest.mark.parametrize("prefix", ["/", "/kindred/sub9876543210123/", "/other/"])
def test_the_addresses_follow_the_script_prefix_and_any_id(post_page, thread, trusted, prefix):
    # Each prefix in turn in one process: none is served another's remembered parts.
    for current in ("/", prefix):
        set_script_prefix(current)
        try:
            roots, _count = build_thread(thread, viewer=trusted, can_post=True)
            links = CommentLinks()
            for object_id in (1, 9, 10, 2**31 - 1, *[c.pk for c in thread]):
                for kind in KINDS:
                    expected = reverse(f"discussion:{kind}", args=[object_id])
                    assert expected.startswith(current)
                    assert links.url(kind, object_id) == expected
            assert roots[0].permalink_url == reverse("discussion:permalink", args=[roots[0].id])
        finally:
            clear_script_prefix()


def test_the_reply_and_report_pages_link_the_comment_as_before(client, post_page, thread, trusted):
    client.force_login(trusted)
    root = thread[0]
    permalink = reverse("discussion:permalink", args=[root.pk])

    for name in ("reply", "report"):
        html = client.get(reverse(f"discussion:{name}", args=[root.pk])).content.decode()
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one("a.comment-date")["href"] == permalink
