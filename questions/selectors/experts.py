"""Reads about verified clinicians: who they are, and the questions open to them.

A verified clinician is in the Experts group (``core.roles.EXPERTS``) AND has
an ``ExpertVerification``: the group lets a person write as an expert, the
record says a medical reviewer checked their registration. Either alone is
not enough for the badge, the open questions, claims or answers.

Every question shown here is read through ``core.selectors.readable_content``
with the expert as the reader, so a community's question reaches only experts
who are members of that community.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from wagtail.models import WorkflowState

from core import roles
from core.models import Condition
from core.selectors import readable_content

from ..models import AnswerPage, ExpertVerification, QuestionClaim, QuestionPage

Person = AbstractBaseUser | AnonymousUser | None


def verified_clinicians(user_ids: Iterable[int | None]) -> dict[int, str]:
    """``{user id: profession}`` for those of ``user_ids`` who are verified clinicians.

    One query whatever the number of ids (none for an empty list): for badges
    on a list of answers or comments.
    """
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(
        ExpertVerification.objects.filter(
            user_id__in=ids, user__groups__name=roles.EXPERTS
        ).values_list("user_id", "profession")
    )


def verification_for(user: Person) -> ExpertVerification | None:
    """``user``'s verification if they are a verified clinician now, else None (one query)."""
    if user is None or not user.is_authenticated:
        return None
    return ExpertVerification.objects.filter(user=user, user__groups__name=roles.EXPERTS).first()


def is_verified_clinician(user: Person) -> bool:
    """Whether ``user`` is in the Experts group and has a verification record (one query)."""
    return verification_for(user) is not None


def _published_answer() -> Exists:
    """Whether the outer question has a published answer (a live child AnswerPage)."""
    return Exists(AnswerPage.objects.filter(live=True, **_under_outer_question()))


def _answers_in_review(**under) -> QuerySet:
    """Answers waiting for medical review (their workflow in progress), filtered by ``under``."""
    in_progress = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    return (
        AnswerPage.objects.filter(live=False, **under)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .filter(pk_text__in=in_progress.values("object_id"))
    )


def _under_outer_question() -> dict:
    """Lookups for the answers to the outer question of a subquery."""
    return {"path__startswith": OuterRef("path"), "depth": OuterRef("depth") + 1}


def answers_in_review(*, question: QuestionPage) -> QuerySet:
    """``question``'s answers that wait for medical review."""
    return _answers_in_review(path__startswith=question.path, depth=question.depth + 1)


def _in_conditions(condition_ids: QuerySet) -> Exists:
    through = QuestionPage.conditions.through
    return Exists(
        through.objects.filter(questionpage_id=OuterRef("pk"), condition_id__in=condition_ids)
    )


def question_for_expert(*, expert: Person, pk: int | str) -> QuestionPage | None:
    """Question ``pk`` if ``expert`` is a verified clinician who may read it, else None.

    Missing, unpublished, someone else's community's and malformed ids all
    give None alike (one to two queries). Author and claim come joined.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31 or not is_verified_clinician(expert):
        return None
    return (
        readable_content(user=expert, queryset=QuestionPage.objects.all())
        .filter(pk=pk)
        .select_related("author", "claim")
        .first()
    )


@dataclass(frozen=True)
class OpenQuestion:
    """A question waiting for an answer, as an expert sees it with its claim."""

    question: QuestionPage
    claim: QuestionClaim | None  # the active claim, if any
    expert_id: int
    # The expert has written an answer to it (a draft, or waiting for review)...
    answered_by_you: bool = False
    # ...which waits for medical review.
    your_answer_in_review: bool = False
    # Another expert's answer waits for medical review.
    answer_in_review: bool = False

    @property
    def claimed_by_you(self) -> bool:
        return self.claim is not None and self.claim.expert_id == self.expert_id

    @property
    def claimed_by_another(self) -> bool:
        return self.claim is not None and self.claim.expert_id != self.expert_id

    @property
    def may_claim(self) -> bool:
        """Nobody else holds it or has an answer waiting for review, and the expert has none."""
        return not (self.claimed_by_another or self.answer_in_review or self.answered_by_you)

    @property
    def claim_expires_at(self) -> datetime | None:
        return self.claim.expires_at if self.claim is not None else None


def open_questions(
    *, expert: AbstractBaseUser, verification: ExpertVerification, everywhere: bool = False
) -> list[OpenQuestion]:
    """The published questions ``expert`` may read that wait for an answer, oldest first.

    Waiting: no accepted answer and no published answer. Only those about one
    of the expert's conditions (``verification.conditions``) unless
    ``everywhere``. Each comes with its active claim, the asker (for
    ``reviewer_byline``), its conditions, whether the expert answered it and
    whether an answer waits for medical review: three queries whatever the number.
    """
    questions = (
        readable_content(user=expert, queryset=QuestionPage.objects.all())
        .filter(accepted__isnull=True)
        .exclude(_published_answer())
        .annotate(
            answered_by_you=Exists(
                AnswerPage.objects.filter(author=expert, **_under_outer_question())
            ),
            your_answer_in_review=Exists(
                _answers_in_review(author=expert, **_under_outer_question())
            ),
            answer_in_review=Exists(
                _answers_in_review(**_under_outer_question()).exclude(author=expert)
            ),
        )
        .select_related("author", "claim")
        .prefetch_related(Prefetch("conditions", queryset=Condition.objects.order_by("name")))
        .order_by(F("first_published_at").asc(nulls_last=True), "pk")
    )
    if not everywhere:
        questions = questions.filter(
            _in_conditions(
                ExpertVerification.conditions.through.objects.filter(
                    expertverification_id=verification.pk
                ).values("condition_id")
            )
        )
    now = timezone.now()
    listed = []
    for question in questions:
        claim = getattr(question, "claim", None)
        active = claim if claim is not None and claim.is_active(now) else None
        listed.append(
            OpenQuestion(
                question=question,
                claim=active,
                expert_id=expert.pk,
                answered_by_you=question.answered_by_you,
                your_answer_in_review=question.your_answer_in_review,
                answer_in_review=question.answer_in_review,
            )
        )
    return listed


def existing_answer(*, expert: AbstractBaseUser, question: QuestionPage) -> AnswerPage | None:
    """``expert``'s own answer to ``question`` (in any state), if they wrote one (one query)."""
    return AnswerPage.objects.child_of(question).filter(author=expert).first()
