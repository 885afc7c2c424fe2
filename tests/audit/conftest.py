"""Fixtures for the access log's tests: the roles that read members' data, and helpers."""

import pytest

from audit.models import AccessRecord
from core import roles
from tests.factories import UserFactory


@pytest.fixture
def pv(portal):
    return UserFactory(group=roles.PHARMACOVIGILANCE, display_name="Pat Vigilance")


@pytest.fixture
def dpo(portal):
    return UserFactory(group=roles.DATA_PROTECTION, display_name="Dee Protection")


@pytest.fixture
def writer(portal):
    return UserFactory(group=roles.MEMBERS, display_name="Sarah Connolly")


def rows():
    """Every record as (subject id, viewer id, role, what, purpose, object reference)."""
    return list(
        AccessRecord.objects.order_by("pk").values_list(
            "subject_id", "viewer_id", "viewer_role", "what", "purpose", "object_ref"
        )
    )
