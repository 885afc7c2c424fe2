"""Reads for ask an expert, by what they hold: the experts' side (verification, open
questions), the readers' side (a question's page, the listing), the service level."""

from .experts import (
    OpenQuestion,
    answers_in_review,
    existing_answer,
    is_verified_clinician,
    open_questions,
    question_for_expert,
    verification_for,
    verified_clinicians,
)
from .questions import (
    AnswerView,
    FilterOption,
    QuestionListing,
    QuestionPageView,
    answer_for_reader,
    may_accept,
    promised_days,
    question_listing,
    question_of,
    question_page_view,
    questions_for,
    readable_answers,
)
from .service_level import answer_within_days, waiting_questions

__all__ = [
    "AnswerView",
    "FilterOption",
    "OpenQuestion",
    "QuestionListing",
    "QuestionPageView",
    "answer_for_reader",
    "answer_within_days",
    "answers_in_review",
    "existing_answer",
    "is_verified_clinician",
    "may_accept",
    "open_questions",
    "promised_days",
    "question_for_expert",
    "question_listing",
    "question_of",
    "question_page_view",
    "questions_for",
    "readable_answers",
    "verification_for",
    "verified_clinicians",
    "waiting_questions",
]
