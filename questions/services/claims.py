"""What a verified clinician takes on: the conditions they answer about, and their claims.

A claim says "I am answering this one" so that two experts do not write the
same answer. There is one ``QuestionClaim`` row per question at most (a unique
key); every change to it happens under a lock on that row, so two experts
claiming at the same instant end with exactly one claim, and the other is
told who got there first in words (``ClaimRefused``, 409). A claim lapses
``CLAIM_HOURS`` after it was last claimed or renewed; the next expert then
takes the row over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import local_date
from core.models import Condition
from core.refusals import Refused

from ..models import ExpertVerification, QuestionClaim, QuestionPage
from ..selectors.experts import answers_in_review, question_for_expert

CLAIM_HOURS = 48
# A lost insert race is retried this many times before giving up (in words).
INSERT_ATTEMPTS = 3
MAX_AREAS = 50

NOT_FOUND = gettext_lazy("There is no such question.")


class ClaimRefused(Refused):
    """A claim that cannot be had now; ``message`` is safe to show to the expert."""

    status = 409


class QuestionNotFound(Refused):
    """Not a question this person may claim or answer: said exactly as for a missing one."""

    status = 404
    message = NOT_FOUND


def check_may_answer(*, expert: AbstractBaseUser, question: QuestionPage) -> None:
    """Refuse (``QuestionNotFound``, 404) unless ``expert`` is a verified clinician who may
    read ``question`` now."""
    if question_for_expert(expert=expert, pk=question.pk) is None:
        raise QuestionNotFound()


def _lock_or_create(
    *, question: QuestionPage, expert: AbstractBaseUser, now: datetime
) -> tuple[QuestionClaim, bool]:
    """The question's claim row locked until the transaction ends, or a new one for
    ``expert``; ``(claim, created)``.

    Two first claims racing both find no row and insert: the unique key makes
    the second insert wait for the first transaction and fail; it then locks
    the winner's row (the insert ran in a savepoint, so the caller's
    transaction survives) and is refused there like any later claim.
    """
    for _attempt in range(INSERT_ATTEMPTS):
        claim = QuestionClaim.objects.select_for_update().filter(question_id=question.pk).first()
        if claim is not None:
            return claim, False
        try:
            with transaction.atomic():
                claim = QuestionClaim.objects.create(
                    question_id=question.pk,
                    expert=expert,
                    claimed_at=now,
                    expires_at=now + timedelta(hours=CLAIM_HOURS),
                )
                return claim, True
        except IntegrityError:
            continue  # another expert inserted it since we looked: lock theirs
    raise ClaimRefused(_("Many experts are claiming this question at once: please try again."))


def question_claim(*, expert: AbstractBaseUser, question: QuestionPage) -> QuestionClaim:
    """Claim ``question`` for ``expert`` for ``CLAIM_HOURS`` hours; returns the claim.

    Claiming again renews one's own claim (it lapses ``CLAIM_HOURS`` from
    now); a lapsed claim of another expert is taken over. Refused with
    ``ClaimRefused`` (409) while another expert holds an active claim or has
    an answer waiting for medical review, or once the asker has accepted an
    answer; with ``QuestionNotFound`` (404)
    unless ``expert`` is a verified clinician who may read the question.
    Atomic; the claim row is locked (or created) before it is read, so
    concurrent claims are decided one after the other.
    """
    check_may_answer(expert=expert, question=question)
    if QuestionPage.objects.filter(pk=question.pk, accepted__isnull=False).exists():
        raise ClaimRefused(_("The asker has accepted an answer to this question already."))
    if answers_in_review(question=question).exclude(author=expert).exists():
        raise ClaimRefused(
            _(
                "Another expert's answer to this question is with the medical reviewer. If it "
                "is sent back and not resubmitted, you can claim the question again."
            )
        )
    with transaction.atomic():
        now = timezone.now()
        claim, created = _lock_or_create(question=question, expert=expert, now=now)
        if created:
            return claim
        if claim.expert_id != expert.pk and claim.is_active(now):
            raise ClaimRefused(
                _(
                    "Another expert is answering this question: their claim runs until "
                    "%(until)s. If they do not answer by then, you can claim it."
                )
                % {"until": local_date(timezone.localtime(claim.expires_at), "day_time")}
            )
        if claim.expert_id != expert.pk:
            # Taking over a lapsed claim: it starts afresh.
            claim.expert = expert
            claim.claimed_at = now
        claim.expires_at = now + timedelta(hours=CLAIM_HOURS)
        claim.save(update_fields=["expert", "claimed_at", "expires_at"])
        return claim


def question_claim_release(*, expert: AbstractBaseUser, question: QuestionPage) -> bool:
    """Give up ``expert``'s claim on ``question``; whether there was one to give up.

    Idempotent: releasing again, or releasing a claim one does not hold
    (another expert's, or none), changes nothing. Returns False then.
    """
    deleted, _by_model = QuestionClaim.objects.filter(
        question_id=question.pk, expert_id=expert.pk
    ).delete()
    return deleted > 0


def active_claim_for_update(
    *, expert: AbstractBaseUser, question: QuestionPage
) -> QuestionClaim | None:
    """``expert``'s active claim on ``question``, locked until the transaction ends, or None.

    Call inside a transaction (``questions.services.answers``): while it is
    held, nobody can take the claim over or release it.
    """
    claim = QuestionClaim.objects.select_for_update().filter(question_id=question.pk).first()
    if claim is None or claim.expert_id != expert.pk or not claim.is_active():
        return None
    return claim


def expert_areas_set(
    *, verification: ExpertVerification, conditions: Iterable[Condition]
) -> list[Condition]:
    """Set the conditions the verified clinician of ``verification`` answers about.

    Their open questions are those about these conditions. Returns them.
    """
    chosen = list(conditions)[:MAX_AREAS]
    verification.conditions.set(chosen)
    return chosen
