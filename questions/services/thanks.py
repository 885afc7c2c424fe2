"""Accepting an answer and marking one as helpful.

Both refuse with ``core.refusals.Refused`` at the status a view answers with:
404 for an answer the person may not read (it does not exist for them), 403
for one they may read but not act on.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

from core.refusals import Refused
from core.selectors import readable_content
from questions.models import AcceptedAnswer, AnswerPage, HelpfulMark, QuestionPage
from questions.notifications import notify_answer_accepted
from questions.selectors.questions import may_accept

ACCEPT_ACTION = "kindred.answer.accept"
NOT_FOUND = gettext_lazy("There is no such answer.")


class ThanksRefused(Refused):
    """An acceptance or a helpful mark the rules do not allow."""

    status = 403


@dataclass(frozen=True)
class Acceptance:
    """What accepting did: the row, and whether it changed anything."""

    accepted: AcceptedAnswer
    changed: bool


def _readable_answer(*, user: AbstractBaseUser, answer: AnswerPage) -> AnswerPage:
    """``answer`` as ``user`` may read it (published, in their audience), else 404."""
    found = readable_content(user=user, queryset=AnswerPage.objects.filter(pk=answer.pk)).first()
    if found is None:
        raise ThanksRefused(NOT_FOUND, status=404)
    return found


def _question_for_update(*, user: AbstractBaseUser, answer: AnswerPage) -> QuestionPage:
    """The question ``answer`` answers, locked, if ``user`` may read it; else 404."""
    parent_path = answer.path[: -AnswerPage.steplen]
    question = (
        readable_content(user=user, queryset=QuestionPage.objects.filter(path=parent_path))
        .select_for_update()
        .first()
    )
    if question is None:
        raise ThanksRefused(NOT_FOUND, status=404)
    return question


def answer_accept(*, user: AbstractBaseUser, answer: AnswerPage) -> Acceptance:
    """Mark ``answer`` as the accepted answer to its question, moving an earlier acceptance.

    Only the asker or an active moderator of the question's community may
    (403 otherwise); only a published answer the person may read, to a
    question they may read (404 otherwise). In one transaction, under a lock
    on the question row (and its ``AcceptedAnswer`` row), so two people
    accepting at once leave exactly one accepted answer. Recorded in the
    question's history (``kindred.answer.accept``) and notified
    (``questions.notifications.notify_answer_accepted``).
    """
    if user is None or not user.is_authenticated:
        raise ThanksRefused(_("Sign in to accept an answer."), status=403)
    with transaction.atomic():
        answer = _readable_answer(user=user, answer=answer)
        question = _question_for_update(user=user, answer=answer)
        if not may_accept(user=user, question=question):
            raise ThanksRefused(
                _(
                    "Only the person who asked, or a moderator of its community, can accept "
                    "an answer."
                )
            )
        current = AcceptedAnswer.objects.select_for_update().filter(question=question).first()
        if current is not None and current.answer_id == answer.pk:
            return Acceptance(accepted=current, changed=False)
        if current is None:
            current = AcceptedAnswer.objects.create(
                question=question, answer=answer, accepted_by=user
            )
        else:
            current.answer = answer
            current.accepted_by = user
            current.accepted_at = timezone.now()
            current.save(update_fields=["answer", "accepted_by", "accepted_at"])
        log(
            instance=question,
            action=ACCEPT_ACTION,
            user=user,
            data={"answer_id": answer.pk, "answer_title": answer.title},
        )
        # The asker (when someone else accepted for them) and the expert hear of it.
        notify_answer_accepted(answer=answer, accepted_by=user)
    return Acceptance(accepted=current, changed=True)


def answer_mark_helpful(*, user: AbstractBaseUser, answer: AnswerPage) -> bool:
    """Record that ``user`` found ``answer`` helpful; True if new, False if already marked.

    Once each, held by the database (``helpful_once_per_member``): a second
    mark, or two at once, leave one row and no error. Not by the answer's
    author (403); only on a published answer the person may read (404).
    """
    if user is None or not user.is_authenticated:
        raise ThanksRefused(_("Sign in to say an answer helped."), status=403)
    answer = _readable_answer(user=user, answer=answer)
    if answer.author_id == user.pk:
        raise ThanksRefused(_("You cannot mark your own answer as helpful."))
    try:
        with transaction.atomic():
            HelpfulMark.objects.create(answer=answer, user=user)
    except IntegrityError:
        return False
    return True


def answer_unmark_helpful(*, user: AbstractBaseUser, answer: AnswerPage) -> bool:
    """Take back ``user``'s helpful mark on ``answer``; True if there was one.

    Only on an answer the person may still read (404 otherwise).
    """
    if user is None or not user.is_authenticated:
        raise ThanksRefused(_("Sign in first."), status=403)
    answer = _readable_answer(user=user, answer=answer)
    deleted, _by_model = HelpfulMark.objects.filter(answer=answer, user=user).delete()
    return bool(deleted)
