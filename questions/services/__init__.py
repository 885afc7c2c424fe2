"""Writes for ask an expert, by what they hold: claims and an expert's areas, answers,
and accepting and thanking."""

from .answers import AnswerExists, answer_save, answer_title, answers_unpublish_with
from .claims import (
    CLAIM_HOURS,
    ClaimRefused,
    QuestionNotFound,
    active_claim_for_update,
    check_may_answer,
    expert_areas_set,
    question_claim,
    question_claim_release,
)
from .thanks import (
    ACCEPT_ACTION,
    Acceptance,
    ThanksRefused,
    answer_accept,
    answer_mark_helpful,
    answer_unmark_helpful,
)

__all__ = [
    "ACCEPT_ACTION",
    "CLAIM_HOURS",
    "Acceptance",
    "AnswerExists",
    "ClaimRefused",
    "QuestionNotFound",
    "ThanksRefused",
    "active_claim_for_update",
    "answer_accept",
    "answer_mark_helpful",
    "answer_save",
    "answer_title",
    "answer_unmark_helpful",
    "answers_unpublish_with",
    "check_may_answer",
    "expert_areas_set",
    "question_claim",
    "question_claim_release",
]
