"""An answer is written in its question's language (issue 18): its locale, title and summary.

The title ("Answer to …") and the fallback summary are stored on the answer, so
they are worded in the question's language, whatever language the expert reads
the site in.
"""

from django.utils import translation

from wagtail.models import Locale

import pytest

from core.languages import language_of
from questions.services.answers import answer_save
from questions.services.claims import question_claim

from .test_answers import answer_data
from .test_experts import ask, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_question(portal, question_index):
    question = ask(question_index)
    question.locale = Locale.objects.get(language_code="de")
    question.title = "Muss ich es meinem Arbeitgeber sagen?"
    question.save()
    return question


def test_an_answer_to_a_german_question_is_german_whatever_the_experts_language(
    german_question,
):
    expert = verified()
    question_claim(expert=expert, question=german_question)

    with translation.override("en-gb"):
        answer = answer_save(
            expert=expert, question=german_question, data=answer_data(), submit=False
        )

    answer.refresh_from_db()
    assert language_of(answer) == "de"
    assert answer.title == "Antwort auf Muss ich es meinem Arbeitgeber sagen?"


def test_an_answer_to_an_english_question_stays_english_for_a_german_expert(portal, question_index):
    question = ask(question_index)
    expert = verified()
    question_claim(expert=expert, question=question)

    with translation.override("de"):
        answer = answer_save(expert=expert, question=question, data=answer_data(), submit=False)

    answer.refresh_from_db()
    assert language_of(answer) == "en-gb"
    assert answer.title == f"Answer to {question.title}"
