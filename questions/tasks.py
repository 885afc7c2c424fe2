"""Background work after a question or an answer is published (queued by ``questions.signals``).

Only a first publication is announced: ``published_at`` is the page's
``last_published_at`` when Wagtail announced the publish, which must equal its
``first_published_at``, so a republish (even one the worker sees late) tells nobody.
"""

from datetime import datetime

from django_tasks import task

from .models import AnswerPage, QuestionPage
from .notifications import notify_answer_published, notify_question_published


def _first(page, published_at: str) -> bool:
    return bool(published_at) and page.first_published_at == datetime.fromisoformat(published_at)


@task(backend="background")
def announce_question(page_id: int, published_at: str) -> int:
    """Tell the experts in its areas about a question published for the first time."""
    question = QuestionPage.objects.live().filter(pk=page_id).first()
    if question is None or not _first(question, published_at):
        return 0
    return notify_question_published(question=question)


@task(backend="background")
def announce_answer(page_id: int, published_at: str) -> int:
    """Tell the asker about an answer published for the first time; returns 0 or 1."""
    answer = AnswerPage.objects.live().filter(pk=page_id).select_related("author").first()
    if answer is None or not _first(answer, published_at):
        return 0
    notify_answer_published(answer=answer)
    return 1
