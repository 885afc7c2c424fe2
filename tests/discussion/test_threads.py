"""discussion.threads.build_thread on loaded rows: pure Python, no queries."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

import pytest

from discussion import threads
from discussion.threads import MAX_LEVEL, build_thread
from tests.complexity import too_complex

VIEWER = SimpleNamespace(pk=7, is_authenticated=True)
VISITOR = SimpleNamespace(pk=None, is_authenticated=False)


def _comment(pk, *, parent=None, level=0, user_id=1, state="visible", blocks_viewer=False, **kw):
    return SimpleNamespace(
        pk=pk,
        parent_id=parent if parent is not None else pk,
        level=level,
        user=None,
        user_id=user_id,
        author_name=f"Author {user_id}",
        comment=f"Text of {pk}",
        submit_date=kw.get("submit_date", timezone.now() - timedelta(hours=1)),
        edited_at=None,
        is_removed=state == "removed",
        is_public=state == "visible",
        awaiting_moderation=state == "awaiting",
        author_blocks_viewer=blocks_viewer,
    )


def _ids(nodes):
    return [(node.id, node.placeholder, _ids(node.children)) for node in nodes]


def test_building_a_thread_reads_at_a_glance():
    # Issue 11: build_thread had grown to a complexity of 24; it is named steps now.
    assert not too_complex(threads, defines="build_thread")


@pytest.mark.parametrize("state", ["hidden", "removed", "awaiting"])
def test_a_parent_not_shown_stays_as_a_placeholder_above_a_shown_reply(state):
    rows = [
        _comment(1, state=state, user_id=2),
        _comment(2, parent=1, level=1),
        _comment(3, state=state, user_id=2),  # no shown reply: left out
    ]
    roots, count = build_thread(rows, viewer=VIEWER)
    assert _ids(roots) == [(1, state, [(2, "", [])])]
    assert count == 1
    placeholder = roots[0]
    assert (placeholder.author_name, placeholder.html, placeholder.can_reply) == ("", "", False)


def test_own_awaiting_comments_show_only_to_their_author_and_only_when_asked():
    rows = [_comment(1), _comment(2, parent=1, level=1, user_id=VIEWER.pk, state="awaiting")]
    roots, count = build_thread(rows, viewer=VIEWER)
    assert _ids(roots) == [(1, "", [(2, "", [])])]
    assert roots[0].children[0].awaiting and count == 1
    assert _ids(build_thread(rows, viewer=VIEWER, include_own_awaiting=False)[0]) == [(1, "", [])]
    assert _ids(build_thread(rows, viewer=VISITOR)[0]) == [(1, "", [])]


def test_what_the_reader_may_do_with_each_comment():
    now = timezone.now()
    rows = [
        _comment(1, user_id=2),
        _comment(2, parent=1, level=1, user_id=VIEWER.pk, submit_date=now),
        _comment(3, parent=2, level=MAX_LEVEL, user_id=3),
    ]
    roots, _count = build_thread(rows, viewer=VIEWER, can_post=True)
    theirs, mine, deepest = roots[0], roots[0].children[0], roots[0].children[0].children[0]
    assert (theirs.can_reply, theirs.can_edit, theirs.can_report) == (True, False, True)
    assert (mine.can_reply, mine.can_edit, mine.can_report) == (True, True, False)
    assert (deepest.can_reply, deepest.can_edit, deepest.can_report) == (True, False, True)
    visitor_roots, _ = build_thread(rows, viewer=VISITOR, can_post=False)
    assert not any([visitor_roots[0].can_reply, visitor_roots[0].can_report])


def test_reply_is_not_offered_where_a_block_would_refuse_it():
    rows = [
        _comment(1, user_id=2),
        _comment(2, parent=1, level=1, user_id=3, blocks_viewer=True),
        _comment(3, parent=2, level=MAX_LEVEL, user_id=4),
    ]
    roots, _count = build_thread(rows, viewer=VIEWER, can_post=True)
    first, blocker, deepest = roots[0], roots[0].children[0], roots[0].children[0].children[0]
    assert first.can_reply
    assert not blocker.can_reply
    # A reply to the deepest level attaches to its parent, whose author blocks the reader.
    assert not deepest.can_reply


def test_comment_text_is_escaped():
    row = _comment(1)
    row.comment = "<script>alert(1)</script>"
    roots, _count = build_thread([row], viewer=VISITOR)
    assert "<script>" not in str(roots[0].html)
