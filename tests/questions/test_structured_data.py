"""schema.org QAPage data: on public questions only, with no author for anonymous askers."""

import json
import re

import pytest

from core.models import Audience, CommunityIndexPage
from questions.models import AcceptedAnswer, HelpfulMark
from questions.templatetags.question_tags import json_ld
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory

pytestmark = pytest.mark.django_db

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured(response):
    return [json.loads(found) for found in LD.findall(response.content.decode())]


@pytest.fixture
def asker(portal):
    return UserFactory(group="Members", display_name="Asking Alex")


def test_a_public_question_carries_a_qapage(client, question_index, asker, expert, member):
    question = QuestionPageFactory(
        parent=question_index, author=asker, title="Can I swim?", audience=Audience.EVERYONE
    )
    first = AnswerPageFactory(parent=question, author=expert)
    second = AnswerPageFactory(parent=question, author=expert)
    AcceptedAnswer.objects.create(question=question, answer=second, accepted_by=asker)
    HelpfulMark.objects.create(answer=second, user=member)

    (data,) = structured(client.get(question.url))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    entity = data["mainEntity"]
    assert entity["@type"] == "Question"
    assert entity["name"] == "Can I swim?"
    assert entity["text"]
    assert entity["answerCount"] == 2
    assert entity["dateCreated"]
    assert entity["author"] == {"@type": "Person", "name": "Asking Alex"}
    accepted = entity["acceptedAnswer"]
    assert accepted["upvoteCount"] == 1
    assert accepted["url"].endswith(second.url)
    assert accepted["text"] and accepted["dateCreated"]
    (suggested,) = entity["suggestedAnswer"]
    assert suggested["url"].endswith(first.url) and suggested["upvoteCount"] == 0


def test_an_anonymous_question_has_no_author(client, question_index, asker):
    question = QuestionPageFactory(parent=question_index, author=asker, is_anonymous=True)
    (data,) = structured(client.get(question.url))
    assert "author" not in data["mainEntity"]
    text = json.dumps(data)
    assert "Asking Alex" not in text and question.pseudonym not in text


def test_members_and_community_questions_carry_none(client, question_index, asker):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    members = QuestionPageFactory(parent=question_index, author=asker, audience=Audience.MEMBERS)
    theirs = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.COMMUNITY, community=community
    )
    client.force_login(asker)
    for question in (members, theirs):
        response = client.get(question.url)
        assert response.status_code == 200
        assert structured(response) == []
        assert "ld+json" not in response.content.decode()


def test_no_draft_answer_is_in_the_data(client, question_index, asker, expert):
    question = QuestionPageFactory(parent=question_index, author=asker)
    AnswerPageFactory(parent=question, author=expert, publish=False)
    (data,) = structured(client.get(question.url))
    assert data["mainEntity"]["answerCount"] == 0
    assert "acceptedAnswer" not in data["mainEntity"]
    assert "suggestedAnswer" not in data["mainEntity"]


def test_json_ld_escapes_markup():
    rendered = json_ld({"name": "</script><b>&amp;</b>"})
    assert "</script><b>" not in rendered
    assert "\\u003C/script\\u003E" in rendered and "\\u0026" in rendered
    inner = LD.search(rendered).group(1)
    assert json.loads(inner)["name"] == "</script><b>&amp;</b>"
