"""A query compiled once (``core.prepared``) gives what the freshly compiled queryset gives.

``core.prepared.Prepared`` turns rows into model instances as Django's ``ModelIterable``
does, through Django internals: these tests hold the comments' query equal to its
queryset, field by field, for a visitor and a signed-in reader (issue 17), and check
the helper's own rules (one row for ``first``, stand-ins that must be one parameter
each, compiled once per key). The routing query's equality is in
``tests/core/test_member_page_queries.py``.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest

from core.prepared import Prepared, prepared
from discussion.models import PageComment
from discussion.selectors import page_content_type
from discussion.selectors.comments import _thread_rows, _thread_rows_queryset
from social.models import MemberBlock, Profile
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.spies import compiled_sql_containing

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
    compiled = compiled_sql_containing(monkeypatch, "author_is_expert")
    for page in (pages[1], pages[0]):
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"Root on {page.title}" in response.content.decode()
    assert compiled == []


def test_first_gives_the_first_instance_or_none(blog_index):
    """``first`` reads one row, with the values put where the stand-ins were."""
    pages = [BlogPageFactory(parent=blog_index, title=f"Page {n}") for n in range(3)]
    # A string: Django leaves out a lookup on a positive integer field with a negative value.
    stand_in = "\x00test:title\x00"
    query = Prepared(
        Page.objects.child_of(blog_index).filter(title__gt=stand_in).order_by("-pk"),
        "default",
        {"title": stand_in},
    )
    assert query.first(title="Page 0").pk == pages[-1].pk
    assert type(query.first(title="Page 0")) is Page
    assert [p.pk for p in query.objects(title="Page 0")] == [pages[2].pk, pages[1].pk]
    assert [p.pk for p in query.objects(title="")] == [p.pk for p in reversed(pages)]
    assert query.first(title="Page 2") is None
    assert query.objects(title="Page 2") == []


def test_a_stand_in_found_twice_or_not_at_all_is_refused_and_remembered(db):
    """The caller then runs its queryset: the values could not be put in one place."""
    twice = "\x00test:twice\x00"
    builds = []

    def build():
        builds.append(1)
        return Page.objects.filter(title=twice, slug=twice)

    with pytest.raises(ValueError, match="not one parameter"):
        Prepared(build(), "default", {"title": twice})
    with pytest.raises(ValueError, match="not one parameter"):
        Prepared(Page.objects.filter(title="Root"), "default", {"title": twice})
    cache = {}
    assert prepared(cache, "key", build, "default", {"title": twice}) is None
    assert prepared(cache, "key", build, "default", {"title": twice}) is None
    assert len(builds) == 2  # once for the first check, once for the cache: not again


def test_a_query_is_compiled_once_per_key(db):
    builds = []

    def build():
        builds.append(1)
        return Page.objects.filter(pk=-770_000_098)

    cache = {}
    first = prepared(cache, "a", build, "default", {"pk": -770_000_098})
    assert prepared(cache, "a", build, "default", {"pk": -770_000_098}) is first
    assert prepared(cache, "b", build, "default", {"pk": -770_000_098}) is not first
    assert len(builds) == 2
    assert first.first(pk=Page.objects.get(depth=1).pk).depth == 1
