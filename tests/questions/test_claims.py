"""Claims: one expert at a time per question, 48 hours, renewed by claiming again, taken over
once lapsed; released idempotently; only verified clinicians who may read the question."""

from datetime import timedelta

from django.utils import timezone

import pytest

from core import roles
from core.models import Audience
from moderation.services import page_submit_for_review, review_request_changes
from questions.models import AcceptedAnswer, QuestionClaim
from questions.services.claims import (
    CLAIM_HOURS,
    ClaimRefused,
    QuestionNotFound,
    expert_areas_set,
    question_claim,
    question_claim_release,
)
from tests.factories import (
    AnswerPageFactory,
    CommunityMembershipFactory,
    UserFactory,
)

from .test_experts import ask, condition, place, verified

pytestmark = pytest.mark.django_db


def test_a_claim_lasts_48_hours(portal, question_index):
    expert, question = verified(), ask(question_index)
    before = timezone.now()

    claim = question_claim(expert=expert, question=question)

    assert CLAIM_HOURS == 48
    assert claim.expert == expert
    assert before + timedelta(hours=48) <= claim.expires_at <= timezone.now() + timedelta(hours=48)
    assert QuestionClaim.objects.count() == 1


def test_another_expert_is_refused_in_words_while_the_claim_runs(portal, question_index):
    first, second, question = verified("A"), verified("B"), ask(question_index)
    question_claim(expert=first, question=question)

    with pytest.raises(ClaimRefused) as refused:
        question_claim(expert=second, question=question)

    assert refused.value.status == 409
    assert "Another expert is answering this question" in refused.value.message
    assert QuestionClaim.objects.get().expert == first


def test_claiming_again_renews_and_keeps_when_it_began(portal, question_index):
    expert, question = verified(), ask(question_index)
    claim = question_claim(expert=expert, question=question)
    QuestionClaim.objects.filter(pk=claim.pk).update(
        claimed_at=timezone.now() - timedelta(hours=40),
        expires_at=timezone.now() + timedelta(hours=8),
    )

    renewed = question_claim(expert=expert, question=question)

    assert renewed.pk == claim.pk
    assert renewed.expires_at > timezone.now() + timedelta(hours=47)
    assert renewed.claimed_at < timezone.now() - timedelta(hours=39)


def test_a_lapsed_claim_is_taken_over(portal, question_index):
    first, second, question = verified("A"), verified("B"), ask(question_index)
    claim = question_claim(expert=first, question=question)
    QuestionClaim.objects.filter(pk=claim.pk).update(
        claimed_at=timezone.now() - timedelta(hours=50),
        expires_at=timezone.now() - timedelta(hours=2),
    )

    taken = question_claim(expert=second, question=question)

    assert taken.pk == claim.pk
    assert taken.expert == second
    assert taken.claimed_at > timezone.now() - timedelta(minutes=1)


def test_an_answer_waiting_for_medical_review_keeps_the_question_from_other_experts(
    portal, question_index, medic
):
    """Two experts must not write the same answer: a lapsed claim is not enough once the
    first expert's answer is with the medical reviewer, until it is sent back."""
    first, second, question = verified("A"), verified("B"), ask(question_index)
    claim = question_claim(expert=first, question=question)
    answer = AnswerPageFactory(parent=question, author=first, publish=False)
    page_submit_for_review(page=answer, user=first)
    QuestionClaim.objects.filter(pk=claim.pk).update(
        claimed_at=timezone.now() - timedelta(hours=50),
        expires_at=timezone.now() - timedelta(hours=2),
    )

    with pytest.raises(ClaimRefused, match="medical reviewer"):
        question_claim(expert=second, question=question)
    assert QuestionClaim.objects.get().expert == first
    # The expert whose answer it is may still renew their claim.
    assert question_claim(expert=first, question=question).expert == first

    review_request_changes(page=answer, user=medic, comment="Please cite the guideline.")
    QuestionClaim.objects.update(
        claimed_at=timezone.now() - timedelta(hours=50),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    assert question_claim(expert=second, question=question).expert == second


def test_release_is_idempotent_and_never_touches_another_experts_claim(portal, question_index):
    first, second, question = verified("A"), verified("B"), ask(question_index)
    question_claim(expert=first, question=question)

    assert question_claim_release(expert=second, question=question) is False
    assert QuestionClaim.objects.get().expert == first
    assert question_claim_release(expert=first, question=question) is True
    assert question_claim_release(expert=first, question=question) is False
    assert not QuestionClaim.objects.exists()
    assert question_claim(expert=second, question=question).expert == second


@pytest.mark.parametrize("who", ["member", "expert_unverified", "verified_out_of_group"])
def test_only_verified_clinicians_claim(portal, question_index, who):
    question = ask(question_index)
    if who == "member":
        user = UserFactory(group=roles.MEMBERS)
    elif who == "expert_unverified":
        user = UserFactory(group=roles.EXPERTS)
    else:
        user = verified()
        user.groups.clear()

    with pytest.raises(QuestionNotFound) as refused:
        question_claim(expert=user, question=question)

    assert refused.value.status == 404
    assert not QuestionClaim.objects.exists()


def test_a_question_the_expert_may_not_read_cannot_be_claimed(portal, question_index):
    expert = verified()
    group = place()
    community_question = ask(question_index, audience=Audience.COMMUNITY, community=group)
    draft = ask(question_index, publish=False)

    for question in (community_question, draft):
        with pytest.raises(QuestionNotFound):
            question_claim(expert=expert, question=question)

    CommunityMembershipFactory(community=group, user=expert)
    assert question_claim(expert=expert, question=community_question).expert == expert


def test_a_question_with_an_accepted_answer_is_not_claimed(portal, question_index):
    expert, question = verified(), ask(question_index)
    answer = AnswerPageFactory(parent=question, author=verified("Other"))
    AcceptedAnswer.objects.create(question=question, answer=answer)

    with pytest.raises(ClaimRefused):
        question_claim(expert=expert, question=question)


def test_an_expert_chooses_their_areas(portal):
    expert = verified()
    ms, fatigue = condition("MS"), condition("Fatigue")

    expert_areas_set(verification=expert.expert_verification, conditions=[ms, fatigue])
    assert set(expert.expert_verification.conditions.all()) == {ms, fatigue}

    expert_areas_set(verification=expert.expert_verification, conditions=[])
    assert not expert.expert_verification.conditions.exists()
