"""The consent ledger begins with what was recorded before it existed.

Every ``Consent`` row becomes a grant at ``given_at`` and, if withdrawn, a
withdrawal at ``withdrawn_at``; every community membership with rules accepted
becomes a grant of that community's rules version at ``rules_accepted_at``.
All with the channel "backfill": how they were given was not recorded.
Earlier versions of a community's rules and earlier sharing choices were
never recorded (a membership keeps only its latest acceptance, an item only
its current choice), so they cannot be reconstructed and are not invented.
"""

from django.db import migrations

BACKFILL = "backfill"
BATCH = 1000


def backfill(apps, schema_editor):
    ConsentEvent = apps.get_model("accounts", "ConsentEvent")
    Consent = apps.get_model("accounts", "Consent")
    CommunityMembership = apps.get_model("core", "CommunityMembership")
    if ConsentEvent.objects.filter(channel=BACKFILL).exists():
        # Migrated back past this migration and forward again: the entries are
        # there already, and the ledger cannot lose them (append-only).
        return
    events = []
    for record in Consent.objects.order_by("given_at", "pk").iterator():
        common = {"user_id": record.user_id, "kind": record.kind, "version": record.version}
        events.append(
            ConsentEvent(**common, action="grant", at=record.given_at, channel=BACKFILL)
        )
        if record.withdrawn_at is not None:
            events.append(
                ConsentEvent(
                    **common, action="withdraw", at=record.withdrawn_at, channel=BACKFILL
                )
            )
    memberships = CommunityMembership.objects.filter(
        rules_version__isnull=False, rules_accepted_at__isnull=False
    ).order_by("rules_accepted_at", "pk")
    for membership in memberships.iterator():
        events.append(
            ConsentEvent(
                user_id=membership.user_id,
                kind="community_rules",
                action="grant",
                version=str(membership.rules_version),
                scope=f"community:{membership.community_id}",
                at=membership.rules_accepted_at,
                channel=BACKFILL,
            )
        )
    # Oldest first, so that ids follow time as they do for new entries.
    events.sort(key=lambda event: event.at)
    ConsentEvent.objects.bulk_create(events, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_consent_ledger"),
        ("core", "0003_communities_and_audiences"),
    ]

    operations = [
        # Backwards: nothing to undo here (the entries go with the table in 0003).
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
