"""The question page's answers come from a query compiled once (issue 17, ``core.prepared``).

``questions.selectors.questions._answers`` runs ``readable_answers``'s SQL again with the
question's path and depth and the reader's id put where stand-ins were: these tests hold
its rows equal to the freshly compiled queryset's, field by field, for a visitor, the
asker, an expert, a community member and another member, over two questions each
(the second runs the compiled query with new values), and check that nothing is
compiled for the next question.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from core.models import Audience
from questions.models import AcceptedAnswer, AnswerPage, HelpfulMark
from questions.selectors.questions import _answers, readable_answers
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import (
    AnswerPageFactory,
    ExpertVerificationFactory,
    QuestionPageFactory,
)
from tests.spies import compiled_sql_containing

pytestmark = pytest.mark.django_db

ANNOTATIONS = ("helpful_count", "marked_by_reader", "is_accepted", "is_verified_expert")


@pytest.fixture
def world(question_index, community_index):
    """Two questions with answers of every kind, and the readers."""
    asker = UserFactory(group="Members", display_name="Asking Alex")
    verified = ExpertVerificationFactory(
        user=UserFactory(group="Experts", display_name="Dr Vera Nerve"), profession="Neurologist"
    ).user
    unverified = UserFactory(group="Experts", display_name="Dr Not Yet")
    community = CommunityPageFactory(parent=community_index, title="Carers")
    insider = UserFactory(group="Members", display_name="Inside Ines")
    CommunityMembershipFactory(community=community, user=insider)
    other = UserFactory(group="Members", display_name="Other Otto")
    questions = []
    for title in ("Can I swim?", "Can I run?"):
        question = QuestionPageFactory(parent=question_index, author=asker, title=title)
        first = AnswerPageFactory(parent=question, author=verified)
        accepted = AnswerPageFactory(parent=question, author=unverified)
        AnswerPageFactory(parent=question, author=verified, publish=False)
        AnswerPageFactory(parent=question, author=verified, audience=Audience.MEMBERS)
        AnswerPageFactory(
            parent=question, author=unverified, audience="community", community=community
        )
        restricted = AnswerPageFactory(parent=question, author=verified)
        PageViewRestriction.objects.create(page=restricted, restriction_type="login")
        for marker in (asker, insider):
            HelpfulMark.objects.create(answer=first, user=marker)
        HelpfulMark.objects.create(answer=accepted, user=other)
        AcceptedAnswer.objects.create(question=question, answer=accepted, accepted_by=asker)
        questions.append(question)
    readers = [AnonymousUser(), None, asker, verified, insider, other]
    return readers, questions


def test_the_prepared_answers_are_the_querysets_answers(world):
    readers, questions = world
    seen = set()
    for question in questions + questions:
        for reader in readers:
            expected = list(readable_answers(user=reader, question=question))
            got = _answers(user=reader, question=question)
            assert [a.pk for a in got] == [a.pk for a in expected], (question.title, reader)
            seen.add(len(got))
            for mine, theirs in zip(got, expected, strict=True):
                assert type(mine) is AnswerPage
                for field in AnswerPage._meta.concrete_fields:
                    assert getattr(mine, field.attname) == getattr(theirs, field.attname), field
                for name in ANNOTATIONS:
                    assert getattr(mine, name) == getattr(theirs, name), name
                with CaptureQueriesContext(connection) as queries:
                    assert mine.author.pk == theirs.author.pk
                    mine_check = getattr(mine.author, "expert_verification", None)
                    theirs_check = getattr(theirs.author, "expert_verification", None)
                    assert getattr(mine_check, "profession", None) == getattr(
                        theirs_check, "profession", None
                    )
                    assert mine.medically_reviewed_by == theirs.medically_reviewed_by
                assert len(queries) == 0
    # A visitor reads one answer, a member three (the accepted one first), the insider four.
    assert seen == {2, 3, 4}


def test_the_answers_query_is_compiled_once(client, world, monkeypatch, settings):
    """Issue 17: another question's answers are read with the query compiled for the first."""
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    readers, questions = world
    insider = readers[4]
    client.force_login(insider)
    assert client.get(questions[0].url).status_code == 200  # compiled here, once
    compiled = compiled_sql_containing(monkeypatch, "is_verified_expert")
    for question in (questions[1], questions[0]):
        response = client.get(question.url)
        assert response.status_code == 200
        assert response.content.decode().count('id="answer-') == 4
    assert compiled == []
