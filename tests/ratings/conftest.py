"""Fixtures for ratings: a published story to rate, its author, and the site setting."""

from wagtail.models import Site

import pytest

from core.models import CommunitySettings
from tests.factories import ExperienceStoryPageFactory, UserFactory


@pytest.fixture
def author(portal):
    return UserFactory(group="Members", display_name="The Author")


@pytest.fixture
def story(story_index, author):
    """A published experience story written by ``author``."""
    return ExperienceStoryPageFactory(parent=story_index, author=author, title="Learning to pace")


@pytest.fixture
def anonymous_ratings(portal):
    """Turn on the site setting that accepts ratings from visitors who are not signed in."""
    community = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    community.allow_anonymous_ratings = True
    community.save()
    return community


@pytest.fixture
def generous_throttles(settings):
    """Throttles far above what a test sends, for tests about something else."""
    settings.RATINGS_THROTTLE_RATES = {
        "member": "10000/m",
        "client": "10000/m",
        "anonymous_client": "10000/m",
    }
