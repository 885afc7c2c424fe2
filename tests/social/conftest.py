import pytest

from tests.social.helpers import person


@pytest.fixture
def alice(portal):
    """A member with a members-only profile."""
    return person("Alice A")


@pytest.fixture
def bob(portal):
    """Another member with a members-only profile."""
    return person("Bob B")
