"""Migration 0004: the ledger begins with the consents and rules acceptances recorded before it."""

from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction

import pytest

from accounts.models import Consent, ConsentEvent
from core.models import CommunityMembership, CommunityPage
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.migrations import latest, migrate

BEFORE = [("accounts", "0002_alter_user_display_name_consent")]
AFTER = [("accounts", "0004_consent_ledger_backfill")]
GIVEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
WITHDRAWN = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
JOINED = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def ledger():
    return sorted(
        (e.user_id, e.kind, e.action, e.version, e.scope, e.at, e.channel)
        for e in ConsentEvent.objects.all()
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_restored")
def test_consents_and_accepted_rules_become_backfilled_entries(community_index):
    kept, withdrew, invited = UserFactory(), UserFactory(), UserFactory()
    # As the code before the ledger left them: rows written without entries.
    Consent.objects.create(user=kept, kind="guidelines", version="2026-11", given_at=GIVEN)
    Consent.objects.create(
        user=withdrew,
        kind="health_data",
        version="2026-10",
        given_at=GIVEN,
        withdrawn_at=WITHDRAWN,
    )
    place = CommunityPageFactory(parent=community_index)
    CommunityPage.objects.filter(pk=place.pk).update(rules_version=3)
    place.refresh_from_db()
    CommunityMembershipFactory(community=place, user=kept, rules_accepted_at=JOINED)
    # An invitation not yet accepted: no rules accepted, no entry.
    CommunityMembershipFactory(
        community=place,
        user=invited,
        state=CommunityMembership.State.INVITED,
        rules_version=None,
        rules_accepted_at=None,
    )
    assert ledger() == []  # written without the services: no entries yet

    migrate(BEFORE)
    migrate(AFTER)

    expected = sorted(
        [
            (kept.pk, "guidelines", "grant", "2026-11", "", GIVEN, "backfill"),
            (withdrew.pk, "health_data", "grant", "2026-10", "", GIVEN, "backfill"),
            (withdrew.pk, "health_data", "withdraw", "2026-10", "", WITHDRAWN, "backfill"),
            (kept.pk, "community_rules", "grant", "3", f"community:{place.pk}", JOINED, "backfill"),
        ]
    )
    assert ledger() == expected

    # Back past the backfill and forward again: nothing is recorded twice.
    migrate([("accounts", "0003_consent_ledger")])
    migrate(AFTER)
    assert ledger() == expected

    # Today's schema: the triggers made by 0003 hold after the round trip.
    migrate(latest())
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_consentevent")
    assert len(ledger()) == 4
