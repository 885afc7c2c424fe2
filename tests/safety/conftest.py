"""Fixtures for the safety tests that go through the site: a consenting writer, a trusted
commenter, a story's form data and a post to comment on."""

import pytest

# The discussion tests' people and post, under the names the safety tests use.
from tests.discussion.conftest import commenter, post_page, trusted  # noqa: F401


@pytest.fixture
def writer(commenter):  # noqa: F811 (the imported fixture, requested by name)
    """A member who accepted the guidelines and the health-data consent (not yet trusted)."""
    return commenter


@pytest.fixture
def trusted_writer(trusted):  # noqa: F811
    """A member whose comments would appear at once (months old, comments approved)."""
    return trusted


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
