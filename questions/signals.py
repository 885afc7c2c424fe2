"""Signal receivers: they queue background work (``questions.tasks``), except that an
unpublished question takes its answers down at once, in the same transaction."""

from functools import partial
from typing import Any

from django.db import transaction

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .models import AnswerPage, QuestionPage
from .services import answers_unpublish_with
from .tasks import announce_answer, announce_question


def on_page_published(sender: type, instance: Page, **kwargs: Any) -> None:
    task = {QuestionPage: announce_question, AnswerPage: announce_answer}.get(type(instance))
    if task is not None:
        # The timestamp of this publish, so the worker tells a first publication
        # from a later republish even if it runs late (as social's receiver does).
        published_at = instance.last_published_at.isoformat() if instance.last_published_at else ""
        # After commit: the worker must see the page live.
        transaction.on_commit(partial(task.enqueue, instance.pk, published_at))


def on_question_unpublished(sender: type, instance: QuestionPage, **kwargs: Any) -> None:
    answers_unpublish_with(question=instance)


def connect() -> None:
    """Called once from ``QuestionsConfig.ready``."""
    for model in (QuestionPage, AnswerPage):
        page_published.connect(
            on_page_published, sender=model, dispatch_uid=f"questions.published.{model.__name__}"
        )
    page_unpublished.connect(
        on_question_unpublished, sender=QuestionPage, dispatch_uid="questions.unpublished"
    )
