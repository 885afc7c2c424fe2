"""The question page: the question, its published answers (accepted first), thanks and accepting."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership
from questions.models import AcceptedAnswer, HelpfulMark, QuestionSettings
from questions.services.thanks import answer_accept
from tests.discussion.conftest import add_comment
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import (
    AnswerPageFactory,
    ExpertVerificationFactory,
    QuestionPageFactory,
)
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(portal):
    return UserFactory(group="Members", display_name="Asking Alex")


@pytest.fixture
def verified(portal):
    return ExpertVerificationFactory(
        user=UserFactory(group="Experts", display_name="Dr Vera Nerve"), profession="Neurologist"
    ).user


@pytest.fixture
def question(question_index, asker):
    return QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.EVERYONE, title="Can I swim?"
    )


def text_of(response) -> str:
    return without_csrf_tokens(response.content.decode())


def test_the_question_and_its_published_answers(client, question, verified):
    published = AnswerPageFactory(parent=question, author=verified)
    draft = AnswerPageFactory(parent=question, author=verified, publish=False)

    response = client.get(question.url)

    assert response.status_code == 200
    text = text_of(response)
    assert "Can I swim?" in text
    assert f'id="answer-{published.pk}"' in text
    assert f'id="answer-{draft.pk}"' not in text
    assert "Dr Vera Nerve" in text
    assert "Verified clinician · Neurologist" in text
    assert "0 members found this helpful" in text
    # A visitor is offered no buttons.
    assert "This helped" not in text and "Accept this answer" not in text


def test_an_answer_by_someone_not_verified_has_no_badge(client, question, expert):
    AnswerPageFactory(parent=question, author=expert)
    assert "Verified clinician" not in text_of(client.get(question.url))


def test_the_accepted_answer_comes_first_and_is_marked(client, question, verified, asker):
    first = AnswerPageFactory(parent=question, author=verified)
    second = AnswerPageFactory(parent=question, author=verified)
    answer_accept(user=asker, answer=second)

    text = text_of(client.get(question.url))

    assert text.index(f'id="answer-{second.pk}"') < text.index(f'id="answer-{first.pk}"')
    assert text.count("Accepted answer") == 1


def test_the_asker_sees_accept_buttons_and_a_member_sees_this_helped(
    client, question, verified, asker, member
):
    answer = AnswerPageFactory(parent=question, author=verified)

    client.force_login(asker)
    text = text_of(client.get(question.url))
    assert "Accept this answer" in text
    assert f'action="/answers/{answer.pk}/accept/"' in text

    client.force_login(member)
    text = text_of(client.get(question.url))
    assert "Accept this answer" not in text
    assert f'action="/answers/{answer.pk}/helpful/"' in text
    HelpfulMark.objects.create(answer=answer, user=member)
    text = text_of(client.get(question.url))
    assert "1 member found this helpful" in text
    assert 'aria-pressed="true"' in text


def test_the_answers_author_gets_no_this_helped_button(client, question, verified):
    AnswerPageFactory(parent=question, author=verified)
    client.force_login(verified)
    assert "/helpful/" not in text_of(client.get(question.url))


def test_a_community_moderator_sees_accept(client, question_index, verified, asker):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    moderator = CommunityMembershipFactory(
        community=community, role=CommunityMembership.Role.MODERATOR
    ).user
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.COMMUNITY, community=community
    )
    AnswerPageFactory(parent=question, author=verified)
    client.force_login(moderator)
    assert "Accept this answer" in text_of(client.get(question.url))


def test_the_asker_is_told_it_waits_for_an_expert(client, question, asker, site_pages):
    from wagtail.models import Site

    settings = QuestionSettings.for_site(Site.objects.get(is_default_site=True))
    settings.answer_within_days = 3
    settings.save()
    client.force_login(asker)
    text = text_of(client.get(question.url))
    assert "waiting for an expert" in text
    assert "within 3 days" in text


def test_others_are_not_told_it_waits(client, question, member):
    client.force_login(member)
    assert "waiting for an expert" not in text_of(client.get(question.url))


def test_an_anonymous_question_names_nobody(client, question_index, asker):
    anonymous = QuestionPageFactory(parent=question_index, author=asker, is_anonymous=True)
    for viewer in (None, UserFactory(group="Members")):
        if viewer:
            client.force_login(viewer)
        text = text_of(client.get(anonymous.url))
        assert "Anonymous member" in text
        assert "Asking Alex" not in text and asker.username not in text
        assert anonymous.pseudonym not in text


def test_conditions_and_audience_are_shown(client, question_index, asker):
    from core.models import Condition

    condition = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.MEMBERS, conditions=[condition]
    )
    client.force_login(asker)
    text = text_of(client.get(question.url))
    assert "Relapsing MS" in text
    assert "For members of Kindred" in text


def test_an_answers_address_leads_to_it_under_the_question(client, question, verified):
    answer = AnswerPageFactory(parent=question, author=verified)
    response = client.get(answer.url)
    assert response.status_code == 302
    assert response["Location"] == f"{question.url}#answer-{answer.pk}"


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_answers_marks_and_comments(
    client, question_index, verified, asker
):
    readers = [UserFactory(group="Members") for _ in range(3)]

    def build(count):
        question = QuestionPageFactory(parent=question_index, author=asker)
        answers = [AnswerPageFactory(parent=question, author=verified) for _ in range(count)]
        for answer in answers:
            for reader in readers[: 1 + count % 3]:
                HelpfulMark.objects.create(answer=answer, user=reader)
        for n in range(count):
            add_comment(question, readers[n % 3], text=f"Comment {n}")
        AcceptedAnswer.objects.create(question=question, answer=answers[-1], accepted_by=asker)
        return question

    small, large = build(1), build(20)
    client.force_login(readers[0])
    # Warm caches (site root paths, settings, each address's remembered route and tags).
    _queries(client, small.url)
    _queries(client, large.url)
    assert _queries(client, large.url) == _queries(client, small.url)


def _json_ld(text):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return [json.loads(each) for each in found]


def test_json_ld_is_escaped(client, question_index, asker, verified):
    question = QuestionPageFactory(
        parent=question_index, author=asker, title="</script><script>alert(1)</script> & more?"
    )
    AnswerPageFactory(parent=question, author=verified)
    text = client.get(question.url).content.decode()
    assert "<script>alert(1)" not in text
    (data,) = _json_ld(text)
    assert data["mainEntity"]["name"] == "</script><script>alert(1)</script> & more?"
