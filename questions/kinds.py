"""Questions and answers as kinds of item written on the site (``authoring.kinds``).

A question is started at /questions/ask/ (or /write/question/) and edited
under My contributions like any other item. An answer is started from its
question by the expert who claimed it (``questions.services.answer_save``)
and afterwards edited under My contributions too, so it is a kind that
/write/ does not offer.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from authoring.kinds import Kind
from authoring.markup import blocks_to_markdown
from core.models import Audience

from .forms import AnswerForm, QuestionForm
from .models import AnswerPage, QuestionIndexPage, QuestionPage


class QuestionKind(Kind):
    """A question: conditions and a byline besides what every kind has; one editorial step."""

    def apply(self, page: QuestionPage, data: Mapping[str, Any]) -> None:
        super().apply(page, data)
        page.conditions.set(data["conditions"])
        page.is_anonymous = data["byline"] == "anonymous"

    def initial(self, page: QuestionPage) -> dict[str, Any]:
        return {
            **super().initial(page),
            "conditions": [condition.pk for condition in page.conditions.all()],
            "byline": "anonymous" if page.is_anonymous else "name",
        }


class AnswerKind(Kind):
    """An answer: the expert's text; title, audience and community are its question's."""

    def apply(self, page: AnswerPage, data: Mapping[str, Any]) -> None:
        _text, kept = blocks_to_markdown(page.body) if page.pk else ("", [])
        page.body = [*data["body"], *kept]
        if data.get("summary"):
            page.summary = data["summary"]
        # Edited under My contributions, it is the expert's own text now, even if it
        # began as the standard reply (the edit form offers no standard reply).
        page.is_standard_reply = False

    def initial(self, page: AnswerPage) -> dict[str, Any]:
        body, _kept = blocks_to_markdown(page.body)
        return {"body": body}


QUESTION = QuestionKind(
    "question",
    QuestionPage,
    QuestionIndexPage,
    QuestionForm,
    gettext_lazy("Question for an expert"),
    gettext_lazy(
        "Ask our verified clinicians. An editor checks it first; experts answer within days."
    ),
    default_audience=Audience.MEMBERS,
    review_note=gettext_lazy(
        "An editor checks your question (our guidelines, personal data, safety) before "
        "anyone else sees it."
    ),
    new_title=gettext_lazy("New question for an expert"),
)

ANSWER = AnswerKind(
    "answer",
    AnswerPage,
    QuestionIndexPage,
    AnswerForm,
    gettext_lazy("Answer"),
    gettext_lazy("A verified clinician's answer to a member's question."),
    experts_only=True,
    offered=False,
    review_note=gettext_lazy("A medical reviewer checks your answer before it is published."),
    new_title=gettext_lazy("New answer"),
)
