"""seed_demo's questions: every state of ask an expert can be tried with the demo logins
(issue 13), and reseeding changes nothing.

What each question should be is read from the demo's specification
(``portal.demo.questions.QUESTIONS``) and compared with what the database holds.
"""

import io

from django.core.management import call_command

from wagtail.models import WorkflowState

import pytest

from core.models import Audience
from core.selectors import readable_content
from portal.demo import questions as spec
from questions.models import AcceptedAnswer, AnswerPage, ExpertVerification, QuestionPage

pytestmark = pytest.mark.django_db


def _answers(question):
    return list(AnswerPage.objects.child_of(question).specific())


def _in_review(page):
    return WorkflowState.objects.active().filter(object_id=str(page.pk)).exists()


def _snapshot():
    return sorted(
        (q.slug, q.live, len(_answers(q)), hasattr(q, "accepted"))
        for q in QuestionPage.objects.all()
    )


def test_seed_demo_questions_show_every_state_and_reseeding_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    questions = {q.title: q for q in QuestionPage.objects.all()}
    assert len(questions) == len(spec.QUESTIONS) >= 12

    for _key, asker, title, _d, conditions, audience, anonymous, outcome, _days in spec.QUESTIONS:
        question = questions[title]
        answers = _answers(question)
        assert question.author.username == asker
        assert question.is_anonymous is anonymous
        assert {c.name for c in question.conditions.all()} == set(conditions)
        if audience in (Audience.EVERYONE, Audience.MEMBERS):
            assert question.audience == audience
        else:
            assert question.community.slug == audience
        if outcome == spec.IN_REVIEW:
            assert not question.live and _in_review(question), title
            continue
        assert question.live, title
        if outcome == spec.OPEN:
            assert answers == [] and not hasattr(question, "claim"), title
        if outcome == spec.CLAIMED:
            assert answers == [] and question.claim.is_active(), title
        if outcome == spec.ANSWER_IN_REVIEW:
            (answer,) = answers
            assert not answer.live and _in_review(answer), title
        if outcome in (spec.ANSWERED, spec.ACCEPTED, spec.STANDARD):
            (answer,) = answers
            assert answer.live and answer.medically_reviewed_by.username == "medic", title
            assert answer.is_standard_reply is (outcome == spec.STANDARD), title
            assert answer.audience == question.audience, title
        accepted = AcceptedAnswer.objects.filter(question=question).first()
        assert (accepted is not None) is (outcome == spec.ACCEPTED), title

    # The demo expert is a verified clinician; a visitor reads only the public questions.
    assert ExpertVerification.objects.get(user__username="expert").verified_by.username == "medic"
    public = set(readable_content(user=None).type(QuestionPage).values_list("title", flat=True))
    assert public == {
        item[2]
        for item in spec.QUESTIONS
        if item[5] == Audience.EVERYONE and item[7] != spec.IN_REVIEW
    }

    before = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == before
