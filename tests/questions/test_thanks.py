"""answer_accept and answer_mark_helpful: who may, what they record, and the constraint."""

from django.db import IntegrityError, transaction

from wagtail.models import PageLogEntry

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership
from questions.models import AcceptedAnswer, HelpfulMark
from questions.services.thanks import (
    ACCEPT_ACTION,
    ThanksRefused,
    answer_accept,
    answer_mark_helpful,
    answer_unmark_helpful,
)
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(portal):
    return UserFactory(group="Members", display_name="Asking Alex")


@pytest.fixture
def question(question_index, asker):
    return QuestionPageFactory(parent=question_index, author=asker, audience=Audience.MEMBERS)


@pytest.fixture
def answer(question, expert):
    return AnswerPageFactory(parent=question, author=expert)


def test_the_asker_accepts_an_answer_and_it_is_in_the_history(question, answer, asker):
    result = answer_accept(user=asker, answer=answer)

    assert result.changed
    accepted = AcceptedAnswer.objects.get()
    assert (accepted.question_id, accepted.answer_id, accepted.accepted_by) == (
        question.pk,
        answer.pk,
        asker,
    )
    entry = PageLogEntry.objects.get(action=ACCEPT_ACTION)
    assert entry.page_id == question.pk and entry.user == asker
    assert entry.data["answer_id"] == answer.pk
    assert entry.message == "Accepted an answer"


def test_accepting_another_answer_moves_the_acceptance(question, answer, asker, expert):
    second = AnswerPageFactory(parent=question, author=expert)
    answer_accept(user=asker, answer=answer)
    answer_accept(user=asker, answer=second)

    assert list(AcceptedAnswer.objects.values_list("answer_id", flat=True)) == [second.pk]
    assert PageLogEntry.objects.filter(action=ACCEPT_ACTION).count() == 2


def test_accepting_the_same_answer_twice_changes_nothing(question, answer, asker):
    answer_accept(user=asker, answer=answer)
    assert not answer_accept(user=asker, answer=answer).changed
    assert AcceptedAnswer.objects.count() == 1
    assert PageLogEntry.objects.filter(action=ACCEPT_ACTION).count() == 1


def test_someone_else_may_not_accept(question, answer, member, expert):
    for person in (member, expert):
        with pytest.raises(ThanksRefused) as refused:
            answer_accept(user=person, answer=answer)
        assert refused.value.status == 403
    assert not AcceptedAnswer.objects.exists()


def test_a_draft_answer_cannot_be_accepted(question, asker, expert):
    draft = AnswerPageFactory(parent=question, author=expert, publish=False)
    with pytest.raises(ThanksRefused) as refused:
        answer_accept(user=asker, answer=draft)
    assert refused.value.status == 404
    assert not AcceptedAnswer.objects.exists()


def test_a_community_moderator_may_accept_and_a_member_may_not(question_index, expert, asker):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    moderator = CommunityMembershipFactory(
        community=community, role=CommunityMembership.Role.MODERATOR
    ).user
    member = CommunityMembershipFactory(community=community).user
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.COMMUNITY, community=community
    )
    answer = AnswerPageFactory(parent=question, author=expert)

    with pytest.raises(ThanksRefused):
        answer_accept(user=member, answer=answer)
    answer_accept(user=moderator, answer=answer)
    assert AcceptedAnswer.objects.get().accepted_by == moderator


def test_a_moderator_of_another_community_may_not_accept(question_index, expert, asker):
    index = CommunityIndexPage.objects.get()
    mine, other = CommunityPageFactory(parent=index), CommunityPageFactory(parent=index)
    CommunityMembershipFactory(community=mine, user=asker)
    elsewhere = CommunityMembershipFactory(
        community=other, role=CommunityMembership.Role.MODERATOR
    ).user
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.COMMUNITY, community=mine
    )
    answer = AnswerPageFactory(parent=question, author=expert)
    with pytest.raises(ThanksRefused) as refused:
        answer_accept(user=elsewhere, answer=answer)
    # They may not read it, so for them it does not exist.
    assert refused.value.status == 404


def test_a_member_marks_an_answer_helpful_once(answer, member):
    assert answer_mark_helpful(user=member, answer=answer) is True
    assert answer_mark_helpful(user=member, answer=answer) is False
    assert HelpfulMark.objects.filter(answer=answer, user=member).count() == 1


def test_the_database_holds_one_mark_per_member(answer, member):
    HelpfulMark.objects.create(answer=answer, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpfulMark.objects.create(answer=answer, user=member)


def test_the_author_may_not_mark_their_own_answer(answer, expert):
    with pytest.raises(ThanksRefused) as refused:
        answer_mark_helpful(user=expert, answer=answer)
    assert refused.value.status == 403
    assert not HelpfulMark.objects.exists()


def test_a_mark_needs_a_readable_published_answer(question, expert, member):
    draft = AnswerPageFactory(parent=question, author=expert, publish=False)
    with pytest.raises(ThanksRefused) as refused:
        answer_mark_helpful(user=member, answer=draft)
    assert refused.value.status == 404


def test_an_outsider_cannot_mark_a_community_answer(question_index, expert, member):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    question = QuestionPageFactory(
        parent=question_index, audience=Audience.COMMUNITY, community=community
    )
    answer = AnswerPageFactory(parent=question, author=expert)
    with pytest.raises(ThanksRefused) as refused:
        answer_mark_helpful(user=member, answer=answer)
    assert refused.value.status == 404
    assert not HelpfulMark.objects.exists()


def test_a_mark_can_be_taken_back(answer, member):
    answer_mark_helpful(user=member, answer=answer)
    assert answer_unmark_helpful(user=member, answer=answer) is True
    assert answer_unmark_helpful(user=member, answer=answer) is False
    assert not HelpfulMark.objects.exists()
