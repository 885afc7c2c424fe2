"""The comments' query is compiled once and gives what the freshly compiled queryset gives.

``discussion.selectors.prepared`` turns rows into comments as Django's ``ModelIterable``
does, through Django internals: these tests hold it equal to the queryset, field by
field, for a visitor and a signed-in reader (issue 17).
"""

from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

import pytest

from discussion.models import PageComment
from discussion.selectors import page_content_type
from discussion.selectors.comments import _thread_rows, _thread_rows_queryset
from social.models import MemberBlock, Profile
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ANNOTATIONS = ("author_is_expert", "author_is_reviewer", "author_blocks_viewer")


@pytest.fixture
def discussed(blog_index):
    """Two pages with comments by an expert, a reviewer, a member with a profile who blocks
    the reader, an account gone (no user), in every state; and the reader."""
    reader = with_consent(UserFactory(group="Members", display_name="Reader Rae"))
    expert = with_consent(UserFactory(group="Experts", display_name="Dr Ex"))
    reviewer = with_consent(UserFactory(group="Medical reviewers", display_name="Rev Rowan"))
    blocker = with_consent(UserFactory(group="Members", display_name="Blocking Bo"))
    ProfileFactory(user=blocker, visibility=Profile.Visibility.EVERYONE)
    MemberBlock.objects.create(blocker=blocker, blocked=reader)
    pages = []
    for title in ("First discussed", "Second discussed"):
        page = BlogPageFactory(parent=blog_index, title=title)
        root = add_comment(page, expert, f"Root on {title}")
        reply = add_comment(page, blocker, "Reply", parent=root)
        add_comment(page, reviewer, "Deep", parent=reply)
        add_comment(page, None, "From an account since deleted")
        add_comment(page, reader, "Held", state="awaiting")
        add_comment(page, blocker, "Removed", parent=root, state="removed")
        pages.append(page)
    return reader, pages


def _expected(page, reader):
    return list(
        _thread_rows_queryset(
            content_type_id=page_content_type().pk,
            page_key=str(page.pk),
            viewer_id=reader.pk if reader else None,
        )
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_prepared_rows_are_the_querysets_rows(discussed, signed_in):
    reader, pages = discussed
    viewer = reader if signed_in else None
    for page in pages + pages:  # the second round runs the compiled query with new values
        expected = _expected(page, viewer)
        got = _thread_rows(page.pk, viewer=viewer)
        assert [c.pk for c in got] == [c.pk for c in expected]
        assert len(got) == 6
        for mine, theirs in zip(got, expected, strict=True):
            assert type(mine) is PageComment
            for field in PageComment._meta.concrete_fields:
                assert getattr(mine, field.attname) == getattr(theirs, field.attname), field
            for name in ANNOTATIONS:
                assert getattr(mine, name, None) == getattr(theirs, name, None), name
            with CaptureQueriesContext(connection) as queries:
                if theirs.user is None:
                    assert mine.user is None
                else:
                    assert mine.user.pk == theirs.user.pk
                    assert mine.user.public_name == theirs.user.public_name
                    mine_profile = getattr(mine.user, "profile", None)
                    theirs_profile = getattr(theirs.user, "profile", None)
                    assert getattr(mine_profile, "pk", None) == getattr(theirs_profile, "pk", None)
            assert len(queries) == 0
        badges = {c.comment: (c.author_is_expert, c.author_is_reviewer) for c in got}
        assert badges["Deep"] == (False, True) and badges["Reply"] == (False, False)
        assert next(c for c in got if c.comment.startswith("Root")).author_is_expert
        if signed_in:
            assert {c.comment for c in got if c.author_blocks_viewer} == {"Reply", "Removed"}
        else:
            assert not any(hasattr(c, "author_blocks_viewer") for c in got)


def test_the_comments_query_is_compiled_once(client, discussed, monkeypatch):
    """Issue 17: a page's comments are read with the query compiled for the first page."""
    reader, pages = discussed
    client.force_login(reader)
    assert client.get(pages[0].url).status_code == 200  # compiled here, once
    real = SQLCompiler.as_sql
    compiled = []

    def as_sql(self, *args, **kwargs):
        sql, params = real(self, *args, **kwargs)
        if "author_is_expert" in sql:
            compiled.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    for page in (pages[1], pages[0]):
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"Root on {page.title}" in response.content.decode()
    assert compiled == []
