"""The demo shows the data-rights side: a Data protection login, and member1's "Who saw my data"."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from accounts.models import ConsentEvent
from audit.models import AccessRecord
from core import roles
from core.models import CommunityMembership
from portal.demo.seed import demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_data_protection_login_and_accesses_to_show(client):
    demo_seed()
    demo_seed()  # a second run records nothing more
    users = get_user_model().objects
    privacy = users.get(username="privacy")
    assert list(privacy.groups.values_list("name", flat=True)) == [roles.DATA_PROTECTION]

    member = users.get(username="member1")
    records = AccessRecord.objects.filter(subject=member)
    assert sorted(records.values_list("viewer__username", "what")) == [
        ("editor", AccessRecord.What.IN_REVIEW),
        ("safety", AccessRecord.What.SAFETY_CASE),
    ]
    # The demo's own agreements are Kindred's doing, not a member's click.
    assert set(
        ConsentEvent.objects.filter(
            user=member, kind__in=["guidelines", "health_data"]
        ).values_list("channel", flat=True)
    ) == {ConsentEvent.Channel.SYSTEM}

    # Their communities' rules, accepted once, each one ledger entry.
    active = CommunityMembership.objects.filter(
        user=member, state=CommunityMembership.State.ACTIVE
    ).values_list("community_id", flat=True)
    assert sorted(
        ConsentEvent.objects.filter(user=member, kind="community_rules").values_list(
            "scope", flat=True
        )
    ) == sorted(f"community:{pk}" for pk in active)
    assert active

    client.force_login(member)
    page = client.get(reverse("audit:mine")).content.decode()
    assert "Pharmacovigilance" in page and "Editors" in page
    client.force_login(privacy)
    assert client.get(reverse("kindred_audit:access")).status_code == 200
