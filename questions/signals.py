"""Signal receivers: they queue background work (``questions.tasks``), except that an
unpublished question takes its answers down at once, in the same transaction, and
that what the question page keeps in the cache (``core.fragments``: a question's
conditions, the service level) is forgotten when it changes."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from core import fragments
from core.models import Condition

from .models import AnswerPage, QuestionPage, QuestionSettings
from .selectors.questions import QUESTION_CONDITIONS, question_conditions_name
from .selectors.service_level import SETTINGS_FRAGMENT
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


def _question_conditions_changed(sender: type, instance: Any = None, **kwargs: Any) -> None:
    """A question saved or published, or its conditions changed (``m2m_changed``): its
    conditions are read afresh (``questions.selectors.questions.question_conditions``)."""
    if isinstance(instance, Condition):
        # Changed from the condition's side (m2m_changed, reverse): the questions named.
        pk_set = kwargs.get("pk_set")
        if pk_set is None:
            fragments.bump(QUESTION_CONDITIONS)
        else:
            fragments.bump(*(question_conditions_name(pk) for pk in pk_set))
        return
    if isinstance(instance, QuestionPage) and instance.pk is not None:
        fragments.bump(question_conditions_name(instance.pk))


# Module-level: signals keep weak references, so a receiver made inside connect() would go.
_conditions_changed = fragments.bumper(QUESTION_CONDITIONS)
_settings_changed = fragments.bumper(SETTINGS_FRAGMENT)


def connect() -> None:
    """Called once from ``QuestionsConfig.ready``."""
    # A question's conditions are committed by modelcluster after the page's post_save:
    # a publish (inside Wagtail's transaction: versions publish at commit) and the
    # rows' m2m_changed bump too (Django sends no save or delete signal for the rows
    # of an auto-created link table).
    through = QuestionPage.conditions.through
    post_save.connect(_question_conditions_changed, sender=QuestionPage, dispatch_uid="q.cond.s")
    page_published.connect(
        _question_conditions_changed, sender=QuestionPage, dispatch_uid="q.cond.p"
    )
    m2m_changed.connect(_question_conditions_changed, sender=through, dispatch_uid="q.cond.m")
    # A condition renamed or deleted: every question's.
    post_save.connect(_conditions_changed, sender=Condition, dispatch_uid="q.cond.c")
    post_delete.connect(_conditions_changed, sender=Condition, dispatch_uid="q.cond.cd")
    post_save.connect(_settings_changed, sender=QuestionSettings, dispatch_uid="q.settings.s")
    post_delete.connect(_settings_changed, sender=QuestionSettings, dispatch_uid="q.settings.d")
    for model in (QuestionPage, AnswerPage):
        page_published.connect(
            on_page_published, sender=model, dispatch_uid=f"questions.published.{model.__name__}"
        )
    page_unpublished.connect(
        on_question_unpublished, sender=QuestionPage, dispatch_uid="questions.unpublished"
    )
