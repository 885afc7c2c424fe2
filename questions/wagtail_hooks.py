from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from wagtail import hooks

from authoring.kinds import WRITING_KINDS
from moderation.selectors import REVIEWER_PSEUDONYMS

from . import admin_viewsets, notification_hooks, report_hooks  # noqa: F401  (they register hooks)
from .kinds import ANSWER, QUESTION
from .models import QuestionPage


@hooks.register(WRITING_KINDS)
def question_kinds():
    return [QUESTION, ANSWER]


@hooks.register("register_log_actions")
def answer_log_actions(actions):
    """The acceptance of an answer, as the question's history shows it."""
    actions.register_action(
        "kindred.answer.accept", gettext_lazy("Accept answer"), gettext_lazy("Accepted an answer")
    )


@hooks.register(REVIEWER_PSEUDONYMS)
def anonymous_askers(*, pages: QuerySet) -> dict[int, dict[int, str]]:
    """Reviewers see an anonymous question's asker by its pseudonym."""
    return QuestionPage.asker_pseudonyms(pages)
