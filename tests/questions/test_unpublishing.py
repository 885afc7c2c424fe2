"""An answer is read only under its question: taking the question down takes its answers down.

An editor who unpublishes a question in the admin (Wagtail asks whether to
unpublish its children too, unticked by default) must not leave its answers
findable in search or at their own address, where they would quote a question
that is no longer there.
"""

from django.urls import reverse

from wagtail.models import PageLogEntry

import pytest

from tests.factories.questions import AnswerPageFactory, QuestionPageFactory
from tests.search.fixtures import search_backend  # noqa: F401 (the database backend)

pytestmark = pytest.mark.django_db

WORD = "zqunpublishedanswerword"


@pytest.fixture
def answered(question_index, expert):
    question = QuestionPageFactory(parent=question_index, title="zq can I swim with MS?")
    answer = AnswerPageFactory(
        parent=question, author=expert, body=[("paragraph", f"<p>{WORD} chlorine</p>")]
    )
    return question, answer


def test_unpublishing_a_question_in_the_admin_takes_its_answers_down(
    client,
    answered,
    superuser,
    search_backend,  # noqa: F811
):
    question, answer = answered
    answer_url = answer.url
    search_backend.sync()
    assert answer_url in client.get("/search/", {"q": WORD}).content.decode()

    client.force_login(superuser)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(question.pk,)))
    assert response.status_code == 302
    client.logout()

    question.refresh_from_db()
    answer.refresh_from_db()
    assert not question.live
    assert not answer.live
    search_backend.sync()
    assert answer_url not in client.get("/search/", {"q": WORD}).content.decode()
    assert client.get(answer_url).status_code == 404
    # The answer's history says it went down, and by whom.
    entry = PageLogEntry.objects.get(page=answer, action="wagtail.unpublish")
    assert entry.user == superuser


def test_republishing_the_question_does_not_republish_answers_by_itself(answered):
    """Answers come back through medical review, never silently."""
    question, answer = answered
    question.unpublish()
    question.get_latest_revision().publish()

    answer.refresh_from_db()
    assert not answer.live
