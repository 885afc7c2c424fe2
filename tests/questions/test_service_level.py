"""The service level: how long a question may wait, and the Editors' report of those waiting
longer (issue 13). Which questions are late is worked out here from the ages the test
gives them, not by the selector under test."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pytest

from core import roles
from core.models import Audience
from questions.models import QuestionClaim, QuestionPage, QuestionSettings
from tests.factories import AnswerPageFactory, QuestionPageFactory, UserFactory

REPORT = reverse("kindred_question_reports:waiting")


def aged(question, days):
    """Set-up: make ``question`` look published ``days`` days ago."""
    QuestionPage.objects.filter(pk=question.pk).update(
        first_published_at=timezone.now() - timedelta(days=days)
    )
    return question


@pytest.fixture
def questions(question_index, expert):
    """Questions of known ages and answers; which are late is said by their names."""
    asker = UserFactory(group=roles.MEMBERS, display_name="Asker Ann")

    def ask(title, days, **kwargs):
        return aged(
            QuestionPageFactory(parent=question_index, title=title, author=asker, **kwargs), days
        )

    late_and_old = ask("Late question eight days", 8)
    late = ask("Late question six days", 6, is_anonymous=True)
    fresh = ask("Fresh question four days", 4)
    answered = ask("Answered question nine days", 9)
    AnswerPageFactory(parent=answered, author=expert)
    in_review = ask("Late with an answer in review", 7.5, audience=Audience.MEMBERS)
    AnswerPageFactory(parent=in_review, author=expert, publish=False)
    draft = QuestionPageFactory(parent=question_index, title="Draft question", publish=False)
    return {
        "late_and_old": late_and_old,
        "late": late,
        "fresh": fresh,
        "answered": answered,
        "in_review": in_review,
        "draft": draft,
        "asker": asker,
    }


def late_titles(html, questions):
    return [q.title for name, q in questions.items() if name not in ("asker",) and q.title in html]


def test_editors_see_the_questions_waiting_longer_than_promised_oldest_first(
    client, editor, questions, django_assert_max_num_queries
):
    client.force_login(editor)

    with django_assert_max_num_queries(40):
        response = client.get(REPORT)

    assert response.status_code == 200
    html = response.content.decode()
    expected = [
        questions["late_and_old"].title,
        questions["in_review"].title,
        questions["late"].title,
    ]
    assert set(late_titles(html, questions)) == set(expected)
    positions = [html.index(title) for title in expected]
    assert positions == sorted(positions)
    # The asker is never named, an anonymous one's pseudonym neither.
    assert "Asker Ann" not in html
    assert questions["late"].pseudonym not in html


def test_the_setting_moves_the_line(client, editor, questions):
    settings = QuestionSettings.for_site(Site.objects.get(is_default_site=True))
    settings.answer_within_days = 7
    settings.save()
    client.force_login(editor)

    html = client.get(REPORT).content.decode()

    assert questions["late_and_old"].title in html
    assert questions["in_review"].title in html  # seven and a half days
    assert questions["late"].title not in html  # six days: within seven


def test_a_live_claim_shows_who_is_writing_and_a_lapsed_one_nobody(
    client, editor, expert, questions
):
    now = timezone.now()
    QuestionClaim.objects.create(
        question=questions["late"], expert=expert, expires_at=now + timedelta(hours=3)
    )
    QuestionClaim.objects.create(
        question=questions["late_and_old"],
        expert=UserFactory(group=roles.EXPERTS, display_name="Dr Lapsed"),
        claimed_at=now - timedelta(hours=50),
        expires_at=now - timedelta(hours=2),
    )
    client.force_login(editor)

    html = client.get(REPORT).content.decode()

    assert expert.display_name in html
    assert "Dr Lapsed" not in html


def test_the_report_is_in_the_editors_reports_menu_only(client, editor, medic):
    client.force_login(editor)
    assert REPORT in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(medic)
    assert REPORT not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("group", [roles.MEDICAL_REVIEWERS, roles.EXPERTS, roles.MEMBERS])
def test_nobody_else_reads_the_report(client, questions, group):
    client.force_login(UserFactory(group=group))

    response = client.get(REPORT)

    assert response.status_code in (302, 403)
    assert questions["late"].title not in response.content.decode()


def test_visitors_are_sent_to_sign_in(client, questions):
    response = client.get(REPORT)

    assert response.status_code == 302
    assert "login" in response["Location"]
