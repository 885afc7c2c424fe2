"""Claims racing: experts claiming one question at once end with exactly one claim, and the
others are refused in words (never an IntegrityError, never two answers).

Needs PostgreSQL (row locks and concurrent writers; SQLite serialises every
writer): ``DATABASE_URL=postgres://... pytest tests/questions/test_claim_races.py``.
"""

from datetime import timedelta

from django.utils import timezone

import pytest

from questions.forms import AnswerForm
from questions.models import AnswerPage, QuestionClaim
from questions.services.answers import answer_save
from questions.services.claims import ClaimRefused, question_claim, question_claim_release
from tests.concurrency import needs_postgresql, outcome, run_together

from .test_experts import ask, verified

PARALLEL = 10

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def test_two_experts_claiming_at_once_end_with_one_claim(portal, question_index):
    question = ask(question_index)
    experts = [verified("A"), verified("B")]

    results = run_together(
        2,
        lambda number: outcome(lambda: question_claim(expert=experts[number], question=question)),
    )

    claims = QuestionClaim.objects.filter(question=question)
    assert claims.count() == 1
    winners = [result for result in results if isinstance(result, QuestionClaim)]
    refused = [result for result in results if isinstance(result, ClaimRefused)]
    assert len(winners) == 1 and len(refused) == 1
    assert claims.get().expert_id == winners[0].expert_id
    assert refused[0].status == 409


def test_many_experts_claiming_at_once_end_with_one_claim(portal, question_index):
    question = ask(question_index)
    experts = [verified(f"Expert {number}") for number in range(PARALLEL)]

    results = run_together(
        PARALLEL,
        lambda number: outcome(lambda: question_claim(expert=experts[number], question=question)),
    )

    assert QuestionClaim.objects.filter(question=question).count() == 1
    assert sum(isinstance(result, QuestionClaim) for result in results) == 1
    assert all(isinstance(result, (QuestionClaim, ClaimRefused)) for result in results)


def test_experts_taking_over_a_lapsed_claim_at_once_leave_one_holder(portal, question_index):
    question = ask(question_index)
    old = question_claim(expert=verified("Old"), question=question)
    QuestionClaim.objects.filter(pk=old.pk).update(
        claimed_at=timezone.now() - timedelta(hours=60),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    experts = [verified(f"Expert {number}") for number in range(PARALLEL)]

    results = run_together(
        PARALLEL,
        lambda number: outcome(lambda: question_claim(expert=experts[number], question=question)),
    )

    winners = [result for result in results if isinstance(result, QuestionClaim)]
    assert len(winners) == 1
    assert QuestionClaim.objects.get(question=question).expert_id == winners[0].expert_id


def test_one_experts_double_answer_saves_one_answer(portal, question_index):
    question = ask(question_index)
    expert = verified()
    question_claim(expert=expert, question=question)
    form = AnswerForm({"body": "Pacing helps."})
    assert form.is_valid()

    results = run_together(
        PARALLEL,
        lambda _: outcome(
            lambda: answer_save(
                expert=expert, question=question, data=form.cleaned_data, submit=True
            )
        ),
    )

    assert AnswerPage.objects.count() == 1
    assert sum(isinstance(result, AnswerPage) for result in results) == 1


def test_a_release_racing_an_answer_never_leaves_an_answer_without_its_claim_held(
    portal, question_index
):
    question = ask(question_index)
    expert = verified()
    question_claim(expert=expert, question=question)
    form = AnswerForm({"body": "Pacing helps."})
    assert form.is_valid()

    def work(number):
        if number == 0:
            return question_claim_release(expert=expert, question=question)
        return outcome(
            lambda: answer_save(
                expert=expert, question=question, data=form.cleaned_data, submit=False
            )
        )

    results = run_together(2, work)

    # Either the answer was saved under the claim (then released), or refused for want of it.
    assert isinstance(results[1], (AnswerPage, ClaimRefused))
    assert AnswerPage.objects.count() == (1 if isinstance(results[1], AnswerPage) else 0)
