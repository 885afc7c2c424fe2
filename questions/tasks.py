"""Background work after a question or an answer is published (queued by ``questions.signals``)."""

from django_tasks import task

from .models import AnswerPage, QuestionPage
from .notifications import first_publication, notify_answer_published, notify_question_published


@task(backend="background")
def announce_question(page_id: int) -> int:
    """Tell the experts in its areas about a question published for the first time."""
    question = QuestionPage.objects.live().filter(pk=page_id).first()
    if question is None or not first_publication(question):
        return 0
    return notify_question_published(question=question)


@task(backend="background")
def announce_answer(page_id: int) -> int:
    """Tell the asker about an answer published for the first time; returns 0 or 1."""
    answer = AnswerPage.objects.live().filter(pk=page_id).select_related("author").first()
    if answer is None or not first_publication(answer):
        return 0
    notify_answer_published(answer=answer)
    return 1
