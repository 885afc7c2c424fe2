"""Asking at /questions/ask/, and the accept and helpful endpoints, with hostile input."""

from django.test import Client
from django.urls import reverse

from wagtail.models import Site, WorkflowState

import pytest

from core.models import Audience, CommunityIndexPage, Condition
from moderation.selectors import review_queue_items
from questions.models import AcceptedAnswer, HelpfulMark, QuestionPage, QuestionSettings
from tests.authoring.conftest import with_consent
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def asker(portal):
    return with_consent(UserFactory(group="Members", display_name="Asking Alex"))


@pytest.fixture
def condition(portal):
    return Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")


def question_data(**changes):
    return {
        "title": "Can I exercise during a relapse?",
        "body": "I was diagnosed last year. What do experts advise?",
        "tags": "exercise",
        "byline": "name",
        "audience": "members",
        **changes,
    }


def test_the_ask_page_has_the_form_and_the_service_level(client, asker, site_pages):
    settings = QuestionSettings.for_site(Site.objects.get(is_default_site=True))
    settings.answer_within_days = 4
    settings.save()
    client.force_login(asker)

    response = client.get(ASK)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Experts usually answer within 4 days" in text
    assert 'name="title"' in text and 'name="body"' in text and 'name="byline"' in text
    assert "Submit for review" in text and "Save draft" in text


def test_visitors_are_sent_to_sign_in(client, portal):
    response = client.get(ASK)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_without_consent_asking_is_refused(client, portal):
    client.force_login(UserFactory(group="Members"))
    assert client.get(ASK).status_code == 403


def test_asking_saves_a_draft_then_submits_for_editorial_review(client, asker, condition):
    client.force_login(asker)

    response = client.post(ASK, {**question_data(conditions=[condition.pk]), "action": "save"})
    assert response.status_code == 302
    question = QuestionPage.objects.get()
    assert not question.live and question.author == asker
    assert list(question.get_latest_revision_as_object().conditions.all()) == [condition]

    response = client.post(ASK, {**question_data(title="Another one?"), "action": "submit"})
    assert response.status_code == 302
    submitted = QuestionPage.objects.get(title="Another one?")
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not submitted.live


def test_an_anonymous_question_shows_reviewers_its_pseudonym_only(client, asker, editor):
    client.force_login(asker)
    client.post(ASK, {**question_data(byline="anonymous"), "action": "submit"})
    question = QuestionPage.objects.get()
    assert question.is_anonymous

    (item,) = review_queue_items(user=editor)

    assert item.author_name == question.pseudonym
    assert "Asking Alex" not in item.author_name
    admin = Client()
    admin.force_login(editor)
    text = admin.get(reverse("kindred_review:queue")).content.decode()
    assert question.pseudonym in text
    assert "Asking Alex" not in text


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "x" * 5000},
        {"body": "y" * 200_000},
        {"conditions": ["999999"]},
        {"conditions": ["not-a-number"]},
        {"byline": "someone-else"},
        {"audience": "community:999999"},
    ],
)
def test_bad_input_is_a_400_never_a_500(client, asker, changes):
    client.force_login(asker)
    response = client.post(ASK, {**question_data(**changes), "action": "submit"})
    assert response.status_code == 400
    assert not QuestionPage.objects.exists()


def test_too_many_conditions_are_refused(client, asker):
    conditions = [Condition.objects.create(name=f"C{n}", slug=f"c{n}") for n in range(6)]
    client.force_login(asker)
    response = client.post(
        ASK, {**question_data(conditions=[c.pk for c in conditions]), "action": "save"}
    )
    assert response.status_code == 400


def test_script_in_a_question_is_never_markup(client, asker):
    client.force_login(asker)
    client.post(ASK, {**question_data(title=XSS, body=XSS), "action": "save"})
    question = QuestionPage.objects.get()
    preview = client.get(reverse("authoring:preview", args=(question.pk,)))
    assert "<script>alert" not in preview.content.decode()
    assert "<img src=x" not in preview.content.decode()


def test_a_repeated_field_is_not_a_500(client, asker):
    client.force_login(asker)
    response = client.post(
        ASK, {**question_data(audience=["everyone", "members"]), "action": "save"}
    )
    assert response.status_code in (302, 400)


def test_ask_is_a_slug_no_question_takes(client, asker):
    client.force_login(asker)
    client.post(ASK, {**question_data(title="Ask"), "action": "save"})
    question = QuestionPage.objects.get()
    assert question.slug != "ask"
    assert client.get(ASK).status_code == 200


# --- Accept and helpful endpoints --------------------------------------------------------


@pytest.fixture
def question(question_index, asker):
    return QuestionPageFactory(parent=question_index, author=asker, audience=Audience.MEMBERS)


@pytest.fixture
def answer(question, expert):
    return AnswerPageFactory(parent=question, author=expert)


def accept_url(pk):
    return reverse("questions:accept", args=(pk,))


def helpful_url(pk):
    return reverse("questions:helpful", args=(pk,))


def test_accept_is_post_only(client, asker, answer):
    client.force_login(asker)
    assert client.get(accept_url(answer.pk)).status_code == 405
    assert client.get(helpful_url(answer.pk)).status_code == 405
    assert not AcceptedAnswer.objects.exists()


def test_visitors_are_sent_to_sign_in_from_the_endpoints(client, answer):
    for url in (accept_url(answer.pk), helpful_url(answer.pk)):
        response = client.post(url)
        assert response.status_code == 303
        assert "/accounts/login/" in response["Location"]
    assert not AcceptedAnswer.objects.exists() and not HelpfulMark.objects.exists()


def test_the_asker_accepts_and_is_sent_back_to_the_answer(client, asker, question, answer):
    client.force_login(asker)
    response = client.post(accept_url(answer.pk))
    assert response.status_code == 303
    assert response["Location"].endswith(f"{question.url}#answer-{answer.pk}")
    assert AcceptedAnswer.objects.get().answer_id == answer.pk
    page = client.get(question.url).content.decode()
    assert "Answer accepted" in page


def test_someone_else_accepting_gets_403(client, member, answer):
    client.force_login(member)
    response = client.post(accept_url(answer.pk))
    assert response.status_code == 403
    assert not AcceptedAnswer.objects.exists()


def test_json_answers(client, member, answer):
    client.force_login(member)
    response = client.post(helpful_url(answer.pk), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["answer"] == answer.pk
    response = client.post(accept_url(answer.pk), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert "error" in response.json()


def test_helpful_once_then_undo(client, member, answer):
    client.force_login(member)
    assert client.post(helpful_url(answer.pk)).status_code == 303
    assert client.post(helpful_url(answer.pk)).status_code == 303
    assert HelpfulMark.objects.filter(answer=answer).count() == 1
    client.post(helpful_url(answer.pk), {"undo": "1"})
    assert not HelpfulMark.objects.exists()


def test_the_author_marking_their_own_answer_gets_403(client, expert, answer):
    client.force_login(expert)
    assert client.post(helpful_url(answer.pk)).status_code == 403


@pytest.mark.parametrize("pk", ["0", "99999999", "2147483648", "999999999999"])
def test_missing_answers_are_404(client, member, answer, pk):
    client.force_login(member)
    assert client.post(f"/answers/{pk}/accept/").status_code == 404
    assert client.post(f"/answers/{pk}/helpful/").status_code == 404


def test_the_question_id_is_not_an_answer(client, asker, question, answer):
    client.force_login(asker)
    assert client.post(accept_url(question.pk)).status_code == 404


def test_unreadable_and_draft_answers_are_404(client, question_index, expert, asker, member):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.COMMUNITY, community=community
    )
    theirs = AnswerPageFactory(parent=question, author=expert)
    draft = AnswerPageFactory(parent=question, author=expert, publish=False)

    client.force_login(member)  # not in the community
    assert client.post(helpful_url(theirs.pk)).status_code == 404
    assert client.post(accept_url(theirs.pk)).status_code == 404
    client.force_login(asker)
    assert client.post(accept_url(draft.pk)).status_code == 404
    assert client.post(helpful_url(draft.pk)).status_code == 404
    assert not AcceptedAnswer.objects.exists() and not HelpfulMark.objects.exists()


def test_csrf_is_enforced(asker, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(asker)
    assert client.post(accept_url(answer.pk)).status_code == 403
    assert client.post(helpful_url(answer.pk)).status_code == 403
    assert not AcceptedAnswer.objects.exists() and not HelpfulMark.objects.exists()


def test_the_refusal_page_escapes_nothing_it_should_not(client, member, answer):
    client.force_login(member)
    text = without_csrf_tokens(client.post(accept_url(answer.pk)).content.decode())
    assert "Only the person who asked" in text


def test_publication_never_gives_a_question_the_reserved_address(question_index):
    from moderation.addresses import address_for

    question = QuestionPageFactory(parent=question_index, title="Help?")
    chosen = address_for(
        page=question, parent=question_index, title="Ask", slug="ask", ever_published=True
    )
    assert chosen != "ask"
