"""Questions in the personal feed (issue 13): followers of a topic see its answered
questions; an answer never appears on its own, and an anonymous asker never arrives
through a member follow."""

from django.urls import reverse

from taggit.models import Tag

import pytest

from core.models import Audience, CommunityIndexPage
from social.models import MemberFollow
from social.selectors import feed_items
from social.services import topic_follow_create
from tests.factories import (
    AnswerPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    QuestionPageFactory,
    UserFactory,
)


def follow_topic(user, name):
    tag, _created = Tag.objects.get_or_create(name=name, defaults={"slug": name})
    topic_follow_create(follower=user, tag=tag)


@pytest.fixture
def reader(portal):
    return UserFactory(group="Members", display_name="Reader Rae")


@pytest.fixture
def asker(portal):
    return UserFactory(group="Members", display_name="Asker Ann")


def test_topic_followers_see_answered_questions_and_never_a_bare_answer(
    client, reader, asker, expert, question_index
):
    follow_topic(reader, "fatigue")
    question = QuestionPageFactory(parent=question_index, author=asker, tags=["fatigue"])
    answer = AnswerPageFactory(parent=question, author=expert)

    items = list(feed_items(user=reader))

    assert [item.pk for item in items] == [question.pk]
    assert answer.pk not in {item.pk for item in items}
    client.force_login(reader)
    html = client.get(reverse("social:feed")).content.decode()
    assert question.title in html


def test_an_anonymous_question_never_comes_through_a_member_follow(reader, asker, question_index):
    # Set-up only: the follow itself is under test in tests/social.
    MemberFollow.objects.create(follower=reader, followee=asker)
    named = QuestionPageFactory(parent=question_index, author=asker)
    QuestionPageFactory(parent=question_index, author=asker, is_anonymous=True)

    assert [item.pk for item in feed_items(user=reader)] == [named.pk]


def test_a_community_question_reaches_only_followers_who_may_read_it(reader, asker, question_index):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    follow_topic(reader, "sleep")
    QuestionPageFactory(
        parent=question_index,
        author=asker,
        tags=["sleep"],
        audience=Audience.COMMUNITY,
        community=community,
    )

    assert list(feed_items(user=reader)) == []
    CommunityMembershipFactory(community=community, user=reader)
    assert len(feed_items(user=reader)) == 1
