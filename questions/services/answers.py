"""An expert's answer: created on the site as a draft under its question, then medically reviewed.

The answer is a Wagtail page (``AnswerPage``), a child of its question, owned
and written by the expert. Its title, audience and community are the
question's, so it is read exactly where its question is. Nothing here
publishes: "Submit for medical review" starts the answer's own workflow (the
medical step only, ``AnswerPage.get_workflow``), and ``publish_reviewed``
publishes it once a medical reviewer other than the expert approves.

After it is created, the answer is edited and resubmitted like any other item
under My contributions (``authoring``, through the ANSWER kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from authoring.markup import markdown_to_blocks
from authoring.services import community_lock
from core.languages import language_of
from core.refusals import Refused
from core.submissions import Submission, submission_claim, submission_done
from moderation.addresses import draft_address_update
from moderation.services import page_submit_latest_for_review

from ..forms import summary_from
from ..models import AnswerPage, QuestionPage, StandardReply
from ..selectors.experts import existing_answer
from .claims import ClaimRefused, active_claim_for_update, check_may_answer

TITLE_MAX_LENGTH = 255
# Stored on the answer, so written in its question's language (issue 18), not the
# language of whoever happens to be answering.
ANSWER_TITLE = gettext_lazy("Answer to %(title)s")
FALLBACK_SUMMARY = gettext_lazy("A verified clinician's answer.")

NO_CLAIM = gettext_lazy(
    "Claim this question before answering it, so that no other expert writes the same "
    "answer. If your claim lapsed, claim it again."
)


class AnswerExists(Refused):
    """The expert answered this question already: ``page`` is that answer, to edit instead."""

    status = 409
    message = gettext_lazy("You have answered this question already: change your answer instead.")

    def __init__(self, page: AnswerPage) -> None:
        super().__init__()
        self.page = page


def answer_title(question: QuestionPage) -> str:
    """The title every answer to ``question`` carries: "Answer to <question title>", in the
    question's language ("Antwort auf …" under a German question)."""
    with translation.override(language_of(question)):
        return str(ANSWER_TITLE % {"title": question.title})[:TITLE_MAX_LENGTH]


def _fallback_summary(question: QuestionPage) -> str:
    with translation.override(language_of(question)):
        return str(FALLBACK_SUMMARY)


def _text_of(data: Mapping[str, Any]) -> tuple[list, str, bool]:
    """``(body blocks, summary, is_standard_reply)`` from the answer form's cleaned data."""
    reply = data.get("standard_reply")
    if isinstance(reply, StandardReply):
        return markdown_to_blocks(reply.text), summary_from(reply.text), True
    return list(data["body"]), data.get("summary") or "", False


def answer_save(
    *,
    expert: AbstractBaseUser,
    question: QuestionPage,
    data: Mapping[str, Any],
    submit: bool,
    submission: Submission | None = None,
) -> AnswerPage:
    """Create ``expert``'s answer to ``question`` as a draft; with ``submit``, send it for
    medical review. Returns the answer.

    ``data`` is ``AnswerForm``'s cleaned data: ``body`` (blocks) and
    ``summary``, or ``standard_reply`` (a ``StandardReply``, whose text
    becomes the body; the answer is marked ``is_standard_reply`` and still
    passes medical review). The expert must be a verified clinician who may
    read the question (else ``QuestionNotFound``, 404) and hold an active
    claim on it (else ``ClaimRefused``, 409); one answer each
    (``AnswerExists``, 409, carries the first to edit instead). A repeated
    ``submission`` raises ``core.submissions.Repeated`` and writes nothing.

    One transaction: the community's membership lock first when submitting
    to a community audience (``authoring.services.community_lock``, as
    authoring takes it), then the question's row, under which the claim is
    checked and the child page added, so two saves of one expert cannot add
    two answers and a claim cannot lapse into another's hands midway.
    """
    check_may_answer(expert=expert, question=question)
    body, summary, is_standard_reply = _text_of(data)
    with transaction.atomic():
        if submit:
            community_lock(user=expert, audience=question.audience, community=question.community)
        parent = Page.objects.select_for_update().get(pk=question.pk)
        receipt = submission_claim(user=expert, submission=submission)
        earlier = existing_answer(expert=expert, question=question)
        if earlier is not None:
            raise AnswerExists(earlier)
        if active_claim_for_update(expert=expert, question=question) is None:
            raise ClaimRefused(NO_CLAIM)
        page = AnswerPage(
            owner=expert,
            author=expert,
            live=False,
            title=answer_title(question),
            summary=(summary or _fallback_summary(question))[
                : AnswerPage._meta.get_field("summary").max_length
            ],
            body=body,
            audience=question.audience,
            community=question.community,
            is_standard_reply=is_standard_reply,
        )
        draft_address_update(page=page, parent=parent)
        parent.add_child(instance=page)
        page.save_revision(user=expert, log_action=True)
        submission_done(receipt=receipt, created=page)
        if submit:
            page_submit_latest_for_review(page=page, user=expert)
    return page


def answers_unpublish_with(*, question: QuestionPage) -> int:
    """Unpublish the live answers of ``question``, which was just unpublished; returns how many.

    An answer is read only under its question (``AnswerPage.serve``); left
    live it would stay in search quoting a question that is gone. Each is
    unpublished as Wagtail unpublishes a page's children when asked to: its
    own history entry, by the user of the current log context (the editor in
    the admin). Nothing republishes them with the question: they come back
    through medical review.
    """
    from wagtail.actions.unpublish_page import UnpublishPageAction

    answers = AnswerPage.objects.child_of(question).live()
    count = 0
    for answer in answers:
        UnpublishPageAction(answer).execute(skip_permission_checks=True)
        count += 1
    return count
