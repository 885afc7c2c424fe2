import pytest

from accounts.services import consent_give
from tests.factories import UserFactory


def with_consent(user):
    consent_give(user=user, kind="guidelines")
    consent_give(user=user, kind="health_data")
    return user


@pytest.fixture
def writer(portal):
    """A member who has given consent to processing of health information."""
    return with_consent(UserFactory(group="Members", display_name="PacingPat"))


@pytest.fixture
def other_writer(portal):
    return with_consent(UserFactory(group="Members", display_name="Someone Else"))


@pytest.fixture
def expert_writer(expert):
    return with_consent(expert)


@pytest.fixture
def story_data():
    return {
        "title": "How I learned to pace",
        "summary": "Energy is a budget.",
        "body": "## The start\n\nI was **tired** all the time.",
        "tags": "fatigue, Work",
        "condition": "",
        "treatments": "physiotherapy",
        "year_of_diagnosis": "2019",
        "byline": "name",
        # Required since issue 12; "everyone" keeps these tests about writing, not audiences.
        "audience": "everyone",
    }
