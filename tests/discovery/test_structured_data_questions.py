"""schema.org ``QAPage`` on public questions: the question, its published answers (accepted
first), no asker for an anonymous question or a hidden profile, nothing on other audiences.

(These replace tests/questions/test_structured_data.py: the markup moved from the
question's body into the head, built by ``discovery.structured_data`` for every item.)
"""

import json

import pytest

from core.models import Audience, CommunityIndexPage
from questions.models import AcceptedAnswer, HelpfulMark
from tests.discovery.test_structured_data import (
    LD_TYPE,
    assert_valid,
    only_structured,
    profile_url,
    publisher,
    structured,
)
from tests.factories import ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(portal):
    """A member whose profile visitors may see."""
    user = UserFactory(group="Members", display_name="Asking Alex")
    ProfileFactory(user=user, visibility="everyone")
    return user


@pytest.fixture
def hidden_asker(portal):
    """A member whose profile only members may see (the default)."""
    user = UserFactory(group="Members", display_name="Quiet Quinn-asker")
    ProfileFactory(user=user, visibility="members")
    return user


def test_a_public_question_is_a_qapage(client, question_index, asker, expert, member):
    question = QuestionPageFactory(
        parent=question_index, author=asker, title="Can I swim?", audience=Audience.EVERYONE
    )
    first = AnswerPageFactory(parent=question, author=expert)
    second = AnswerPageFactory(parent=question, author=expert)
    AcceptedAnswer.objects.create(question=question, answer=second, accepted_by=asker)
    HelpfulMark.objects.create(answer=second, user=member)
    question.refresh_from_db()

    data = only_structured(client.get(question.url))

    assert_valid(data)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    assert data["headline"] == "Can I swim?"
    assert data["description"] == question.summary
    assert data["url"] == question.get_full_url()
    assert data["datePublished"] == question.first_published_at.isoformat()
    assert data["inLanguage"] == "en-GB"
    assert data["publisher"] == publisher()
    entity = data["mainEntity"]
    assert entity["@type"] == "Question"
    assert entity["name"] == "Can I swim?"
    assert entity["text"] == "Some days are harder than others."
    assert entity["answerCount"] == 2
    assert entity["dateCreated"] == question.first_published_at.isoformat()
    assert entity["author"] == {"@type": "Person", "name": "Asking Alex", "url": profile_url(asker)}
    accepted = entity["acceptedAnswer"]
    second.refresh_from_db()
    assert accepted == {
        "@type": "Answer",
        "text": "Some days are harder than others.",
        "upvoteCount": 1,
        "url": f"{question.get_full_url()}#answer-{second.pk}",
        "dateCreated": second.first_published_at.isoformat(),
        "author": {"@type": "Person", "name": "Dr Expert"},
    }
    (suggested,) = entity["suggestedAnswer"]
    assert suggested["url"] == f"{question.get_full_url()}#answer-{first.pk}"
    assert suggested["upvoteCount"] == 0
    # Google's QAPage: the question's name, answerCount and an answer; each answer's text
    # and author; recommended: dates, upvotes, the answer's own address.
    for answer in (accepted, suggested):
        assert {"text", "author", "url", "upvoteCount", "dateCreated"} <= set(answer)


def test_an_anonymous_question_names_nobody(client, question_index, asker, expert):
    question = QuestionPageFactory(parent=question_index, author=asker, is_anonymous=True)
    AnswerPageFactory(parent=question, author=expert)

    data = only_structured(client.get(question.url))

    assert "author" not in data["mainEntity"] and "author" not in data
    text = json.dumps(data)
    assert "Asking Alex" not in text and question.pseudonym not in text
    assert asker.profile.handle not in text
    assert "Dr Expert" in text, "the expert's answer is named as on the page"


def test_a_hidden_profile_names_nobody(client, question_index, hidden_asker):
    question = QuestionPageFactory(parent=question_index, author=hidden_asker)

    response = client.get(question.url)
    data = only_structured(response)

    assert "author" not in data["mainEntity"]
    assert "Quiet Quinn-asker" not in json.dumps(data)
    # The page itself still shows the byline: only the markup leaves it out.
    assert "Quiet Quinn-asker" in response.content.decode()


def test_members_and_community_questions_carry_none(client, question_index, asker):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    members = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.MEMBERS, title="Members-q-canary"
    )
    theirs = QuestionPageFactory(
        parent=question_index,
        author=asker,
        audience=Audience.COMMUNITY,
        community=community,
        title="Community-q-canary",
    )
    client.force_login(asker)
    for question in (members, theirs):
        response = client.get(question.url)
        assert response.status_code == 200
        assert question.title in response.content.decode()
        assert structured(response) == []
        assert LD_TYPE not in response.content.decode()


def test_no_draft_answer_is_in_the_data(client, question_index, asker, expert):
    question = QuestionPageFactory(parent=question_index, author=asker)
    AnswerPageFactory(parent=question, author=expert, publish=False, summary="Draft-answer-canary")

    data = only_structured(client.get(question.url))

    assert data["mainEntity"]["answerCount"] == 0
    assert "acceptedAnswer" not in data["mainEntity"]
    assert "suggestedAnswer" not in data["mainEntity"]
    assert "Draft-answer-canary" not in json.dumps(data)
    assert_valid(data)


def test_a_member_reading_a_public_question_gets_the_visitors_markup(
    client, question_index, asker, hidden_asker, expert
):
    # Members may see the hidden asker's profile; the markup is for crawlers and
    # names only what a visitor may see.
    question = QuestionPageFactory(parent=question_index, author=hidden_asker)
    AnswerPageFactory(parent=question, author=expert)
    visitor = only_structured(client.get(question.url))
    client.force_login(asker)

    member = only_structured(client.get(question.url))

    assert member == visitor
    assert "Quiet Quinn-asker" not in json.dumps(member)
