"""Existing profiles: every handle is recorded, and a handle that carries a name the
member has since changed is replaced (the old one kept, leading nowhere)."""

import pytest

from social.models import Profile, ProfileHandle
from tests.factories import UserFactory
from tests.migrations import latest, migrate

BEFORE = [("social", "0004_notification_one_unread_per_item")]
AFTER = [("social", "0006_profile_handles_backfill_and_renew")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_restored")
def test_handles_are_recorded_and_renamed_members_get_a_new_one(portal):
    renamed = UserFactory(display_name="Quiet Heron")
    kept = UserFactory(display_name="Alex Doe")
    unnamed = UserFactory(display_name="山田")
    old_apps = migrate(BEFORE)
    OldProfile = old_apps.get_model("social", "Profile")
    # As the old code left them: a handle made from the name at the time.
    OldProfile.objects.create(user_id=renamed.pk, handle="sam-kowalski-abc234")
    OldProfile.objects.create(user_id=kept.pk, handle="alex-doe-xyz789")
    OldProfile.objects.create(user_id=unnamed.pk, handle="member-qqq222")

    migrate(AFTER)
    # Read with today's model, so the schema must be today's: later migrations
    # (0007 adds a column) run too; they do not touch handles.
    migrate(latest())

    handles = {p.user_id: p.handle for p in Profile.objects.all()}
    assert handles[kept.pk] == "alex-doe-xyz789"
    assert handles[unnamed.pk] == "member-qqq222"
    assert handles[renamed.pk].startswith("quiet-heron-")
    recorded = set(ProfileHandle.objects.values_list("handle", flat=True))
    assert recorded == {"sam-kowalski-abc234", *handles.values()}
    assert not Profile.objects.get(user=renamed).redirect_former_handles
