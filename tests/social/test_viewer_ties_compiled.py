"""The reader's follows and blocks for bylines: compiled once, the same answers.

Issue 17: ``social.selectors.viewer_ties`` runs on every page a signed-in reader
sees a byline on; building and compiling its union was ~0.8 ms of a member's item
page. It is now compiled once per database and thread (``core.prepared``) and run
again with the reader's id; its answers are held equal to the ties read afresh, for
readers with every kind of tie, and never carry one reader's ties to another.
"""

from django.test import RequestFactory

import pytest

from social.models import MemberBlock, MemberFollow
from social.selectors import viewer_ties
from social.selectors.relations import _ties_queryset
from tests.factories import UserFactory
from tests.spies import compiled_sql_containing

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _expected(user):
    """The ties read afresh from the two tables, not through the prepared query."""
    followed = set(MemberFollow.objects.filter(follower=user).values_list("followee_id", flat=True))
    blocked_by = set(MemberBlock.objects.filter(blocked=user).values_list("blocker_id", flat=True))
    return frozenset(followed), frozenset(blocked_by)


@pytest.fixture
def members(portal):
    names = ["alone", "follows", "blocked", "both", "other"]
    people = {name: UserFactory(group="Members", display_name=name.title()) for name in names}
    MemberFollow.objects.create(follower=people["follows"], followee=people["other"])
    MemberFollow.objects.create(follower=people["follows"], followee=people["both"])
    MemberBlock.objects.create(blocker=people["other"], blocked=people["blocked"])
    MemberFollow.objects.create(follower=people["both"], followee=people["alone"])
    MemberBlock.objects.create(blocker=people["follows"], blocked=people["both"])
    # "alone" is followed (by "both") and blocks "blocked": neither is a tie of
    # alone's as a reader (whom it follows, who blocks it).
    MemberBlock.objects.create(blocker=people["alone"], blocked=people["blocked"])
    return people


def test_the_answers_are_the_ties_read_afresh(members):
    for user in members.values():
        assert viewer_ties(_request(user)) == _expected(user), user.display_name
    assert viewer_ties(_request(members["both"])) == (
        frozenset({members["alone"].pk}),
        frozenset({members["follows"].pk}),
    )
    assert viewer_ties(_request(members["alone"])) == (frozenset(), frozenset())


def test_one_readers_ties_never_reach_the_next(members):
    # One after the other in one thread, as a worker serves them.
    seen = [viewer_ties(_request(members[name])) for name in ("follows", "alone", "blocked")]
    assert seen[1] == (frozenset(), frozenset())
    assert seen[0] == _expected(members["follows"])
    assert seen[2] == (frozenset(), frozenset({members["other"].pk, members["alone"].pk}))


def test_a_new_tie_is_seen_by_the_next_request(members):
    reader = members["alone"]
    assert viewer_ties(_request(reader)) == (frozenset(), frozenset())
    MemberFollow.objects.create(follower=reader, followee=members["other"])
    MemberBlock.objects.create(blocker=members["follows"], blocked=reader)
    assert viewer_ties(_request(reader)) == (
        frozenset({members["other"].pk}),
        frozenset({members["follows"].pk}),
    )


def test_the_union_is_compiled_once_not_per_request(members, monkeypatch):
    viewer_ties(_request(members["both"]))  # compiled here, once per thread and database
    table = MemberFollow._meta.db_table
    compiled = compiled_sql_containing(monkeypatch, table)

    for user in members.values():
        viewer_ties(_request(user))

    assert compiled == []
    # The spy does see the union when it is compiled.
    str(_ties_queryset(1, 1).query)
    assert compiled


def test_a_visitor_has_no_ties_and_no_query(portal, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert viewer_ties(_request(AnonymousUser())) == (frozenset(), frozenset())
