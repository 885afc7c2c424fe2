"""The thread rendered in one loop keeps its nesting; comment HTML is made once per text.

Issue 17: the page's thread used to include a template per comment (and that
template itself for the replies); it is now one loop over ``threads.thread_rows``.
"""

import pytest
from bs4 import BeautifulSoup

from discussion.text import RENDERED_KEPT, comment_html
from discussion.threads import CommentNode, thread_rows
from tests.discussion.conftest import add_comment


def _node(id, *children):
    node = CommentNode(id=id, parent_id=None, level=0)
    for child in children:
        child.parent_id = id
        node.children.append(child)
    return node


def test_thread_rows_close_each_list_after_its_last_reply():
    # 1 ─ 2 ─ 3        (3 ends the lists of 2 and of 1)
    # 4 ─ 5 ─ 6, 7     (6 ends nothing, 7 ends 5's; 8 ends 4's)
    #   └ 8
    # 9
    roots = [
        _node(1, _node(2, _node(3))),
        _node(4, _node(5, _node(6), _node(7)), _node(8)),
        _node(9),
    ]
    rows = thread_rows(roots)
    assert [(row.node.id, row.closes) for row in rows] == [
        (1, 0),
        (2, 0),
        (3, 2),
        (4, 0),
        (5, 0),
        (6, 0),
        (7, 1),
        (8, 1),
        (9, 0),
    ]
    assert list(rows[2].closings) == [0, 1]
    assert thread_rows([]) == []


@pytest.mark.django_db
def test_the_page_nests_every_reply_under_its_parent(client, post_page, trusted, other):
    first = add_comment(post_page, other, "First")
    reply = add_comment(post_page, trusted, "Reply", parent=first)
    deep = add_comment(post_page, other, "Deep", parent=reply)
    beside = add_comment(post_page, trusted, "Beside", parent=reply)
    second_reply = add_comment(post_page, other, "Second reply", parent=first)
    removed = add_comment(post_page, other, "Removed root", state="removed")
    under_removed = add_comment(post_page, trusted, "Under removed", parent=removed)
    last = add_comment(post_page, other, "Last root")
    parents = {
        first.pk: None,
        reply.pk: first.pk,
        deep.pk: reply.pk,
        beside.pk: reply.pk,
        second_reply.pk: first.pk,
        removed.pk: None,
        under_removed.pk: removed.pk,
        last.pk: None,
    }
    client.force_login(trusted)
    soup = BeautifulSoup(client.get(post_page.url).content, "html.parser")
    articles = soup.select("#comments article.comment-body")
    assert [int(a["id"][1:]) for a in articles] == list(parents)
    for article in articles:
        item = article.parent
        assert item.name == "li" and "comment" in item["class"]
        holder = item.parent
        if parents[int(article["id"][1:])] is None:
            assert holder["class"] == ["comment-list"]
        else:
            assert holder["class"] == ["comment-replies"]
            assert holder.parent.article["id"] == f"c{parents[int(article['id'][1:])]}"
    assert "comment-placeholder" in soup.select_one(f"#c{removed.pk}")["class"]
    assert "Removed root" not in str(soup)
    # Nothing after the thread fell inside it: one list, the form after it.
    assert len(soup.select("#comments > ol.comment-list")) == 1
    assert soup.select_one("#comments > form.comment-form") is not None


def test_comment_html_is_made_once_per_text_and_kept_bounded():
    text = "See https://example.org/a-long-address and\nmind the <b>tags</b>"
    made = comment_html(text)
    assert comment_html(text) is made
    assert made == comment_html.__wrapped__(text)
    assert 'rel="nofollow ugc noopener"' in made and "&lt;b&gt;" in made and "<br>" in made
    assert comment_html("Another") == comment_html.__wrapped__("Another") != made
    assert comment_html.cache_info().maxsize == RENDERED_KEPT
