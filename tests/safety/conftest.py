"""Fixtures for the safety tests that go through the site: a consenting writer, a trusted
commenter, a story's form data and a post to comment on."""

from datetime import timedelta

from django.utils import timezone

import pytest

from tests.authoring.conftest import with_consent
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory, UserFactory


@pytest.fixture
def writer(portal):
    """A member who accepted the guidelines and the health-data consent."""
    return with_consent(UserFactory(group="Members", display_name="Pacing Pat"))


@pytest.fixture
def trusted_writer(portal, blog_index):
    """A member whose comments would appear at once (months old, comments approved)."""
    user = with_consent(
        UserFactory(
            group="Members",
            display_name="Regular Robin",
            date_joined=timezone.now() - timedelta(days=90),
        )
    )
    old = BlogPageFactory(parent=blog_index, title="An older post")
    for _ in range(3):
        add_comment(old, user, ago=timedelta(days=2))
    return user


@pytest.fixture
def post_page(blog_index):
    """A published blog post to comment on."""
    return BlogPageFactory(parent=blog_index, title="Pacing my energy")


@pytest.fixture
def story_data():
    """A story's writing form, valid and for everyone; tests replace the body."""
    return {
        "title": "How I learned to pace",
        "summary": "Energy is a budget.",
        "body": "## The start\n\nI was **tired** all the time.",
        "tags": "fatigue",
        "condition": "",
        "treatments": "",
        "year_of_diagnosis": "2019",
        "byline": "name",
        "audience": "everyone",
    }
