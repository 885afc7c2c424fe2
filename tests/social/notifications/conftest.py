"""Fixtures for the notification tests: members, follows, and a way to publish like Wagtail does."""

from taggit.models import Tag

import pytest

from social.models import MemberFollow, NotificationPreference, TopicFollow
from tests.factories import UserFactory


def follow(follower, followee):
    """Set-up only: the follow itself is under test in tests/social (the follow service)."""
    return MemberFollow.objects.create(follower=follower, followee=followee)


def follow_topic(follower, name):
    tag, _created = Tag.objects.get_or_create(name=name, defaults={"slug": name.lower()})
    return TopicFollow.objects.create(follower=follower, tag=tag)


def prefer(user, kind, email):
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
    return user


@pytest.fixture
def author(portal):
    return UserFactory(group="Members", display_name="Author Ada")


@pytest.fixture
def reader(portal):
    return UserFactory(group="Members", display_name="Reader Rae")


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run ``make()`` (something that publishes) and then what was queued after commit,
    as the worker would: the signal receiver only queues."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            result = make()
        return result

    return run
