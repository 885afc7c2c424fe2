"""The consent ledger: every grant and withdrawal is recorded once, and nothing can change it.

Each path that gives or withdraws a consent (sign-up, the account page,
joining a community, accepting its rules or an invitation, the writing form's
"may be shared") is driven the way a member drives it, and the ledger is read
back in full: exactly the expected entries, no more. The append-only promise
is tried at every level: the model, its queryset and raw SQL. Deleting an
account leaves its entries behind, under its id.
"""

from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

import pytest

from accounts.models import Consent, ConsentEvent, LedgerIsAppendOnly
from accounts.services import (
    LOG_GRANT,
    LOG_WITHDRAW,
    SHARING_TEXT_VERSION,
    consent_give,
    consent_withdraw,
    member_register,
)
from communities import services as communities
from core import consent
from core.models import CommunityMembership, CommunityPage
from core.refusals import Refused
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

GUIDELINES_VERSION = consent.CURRENT[consent.GUIDELINES].version
HEALTH_VERSION = consent.CURRENT[consent.HEALTH_DATA].version
BLOG = {
    "title": "Pacing through the winter",
    "summary": "Energy is a budget.",
    "body": "I was tired all the time.",
    "tags": "fatigue",
    "audience": "everyone",
}


def entries(user):
    """The member's ledger as comparable tuples, oldest first (time left out: it is now)."""
    return [
        (e.kind, e.action, e.version, e.scope, e.channel)
        for e in ConsentEvent.objects.filter(user_id=user.pk).order_by("at", "pk")
    ]


@pytest.fixture
def newcomer(portal):
    """Someone who has just made an account, before ``member_register`` finishes it."""
    return UserFactory(display_name="Quiet Heron")


@pytest.fixture
def joined(newcomer):
    member_register(user=newcomer)
    return newcomer


def community(community_index, **fields):
    return CommunityPageFactory(parent=community_index, **fields)


# --- Site texts: sign-up, the account page --------------------------------------


def test_signing_up_records_both_grants_with_the_sign_up_channel(newcomer):
    member_register(user=newcomer)

    assert entries(newcomer) == [
        ("guidelines", "grant", GUIDELINES_VERSION, "", "sign_up"),
        ("health_data", "grant", HEALTH_VERSION, "", "sign_up"),
    ]


def test_each_entry_is_in_wagtails_audit_log_without_personal_data(newcomer):
    newcomer.username = "member-0a1b2c3d4e5f"
    newcomer.email = "heron@example.org"
    newcomer.save()

    member_register(user=newcomer)

    logged = ModelLogEntry.objects.filter(user=newcomer).order_by("pk")
    assert [entry.action for entry in logged] == [LOG_GRANT, LOG_GRANT]
    events = ConsentEvent.objects.filter(user_id=newcomer.pk)
    assert {int(entry.object_id) for entry in logged} == {event.pk for event in events}
    for entry in logged:
        for personal in ("Quiet Heron", "member-0a1b2c3d4e5f", "heron@example.org"):
            assert personal not in entry.label
            assert personal not in str(entry.data)


def test_the_log_actions_are_registered_with_words():
    assert log_registry.get_action_label(LOG_GRANT) == "Give consent"
    assert log_registry.get_action_label(LOG_WITHDRAW) == "Withdraw consent"


def test_giving_consent_again_on_the_account_page_is_one_entry(joined):
    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)
    client = Client()
    client.force_login(joined)

    for _click in range(2):  # a double click
        response = client.post(reverse("accounts:consent_give", args=(consent.HEALTH_DATA,)))
        assert response.status_code == 302

    assert entries(joined)[2:] == [
        ("health_data", "withdraw", HEALTH_VERSION, "", "account_page"),
        ("health_data", "grant", HEALTH_VERSION, "", "account_page"),
    ]


def test_consent_standing_already_records_nothing(joined):
    consent_give(user=joined, kind=consent.GUIDELINES)

    assert len(entries(joined)) == 2


def test_withdrawing_on_the_account_page_records_one_withdrawal(joined):
    client = Client()
    client.force_login(joined)

    response = client.post(reverse("accounts:health_data_withdraw"))
    client.post(reverse("accounts:health_data_withdraw"))  # again: nothing stands

    assert response.status_code == 302
    assert entries(joined)[2:] == [("health_data", "withdraw", HEALTH_VERSION, "", "account_page")]


def test_withdrawing_two_standing_versions_records_each(joined):
    Consent.objects.create(user=joined, kind=consent.HEALTH_DATA, version="2025-01")

    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    withdrawals = [e for e in entries(joined) if e[1] == "withdraw"]
    assert sorted(withdrawals) == [
        ("health_data", "withdraw", "2025-01", "", "account_page"),
        ("health_data", "withdraw", HEALTH_VERSION, "", "account_page"),
    ]


def test_an_unknown_channel_is_refused_and_nothing_is_written(joined):
    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    with pytest.raises(ValueError):
        consent_give(user=joined, kind=consent.HEALTH_DATA, channel="carrier-pigeon")

    assert len(entries(joined)) == 3
    assert not Consent.objects.filter(user=joined, withdrawn_at__isnull=True, kind="health_data")


def test_the_state_and_the_ledger_fail_together(joined, monkeypatch):
    """A ledger that cannot be written leaves the consent as it was (one transaction)."""

    def broken(**kwargs):
        raise RuntimeError("the ledger is unavailable")

    monkeypatch.setattr("accounts.services.consent_event_record", broken)

    with pytest.raises(RuntimeError):
        consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    assert Consent.objects.filter(user=joined, kind="health_data", withdrawn_at__isnull=True)


# --- Communities' rules --------------------------------------------------------


def rules_entry(place, version=None, channel="community_page"):
    return (
        "community_rules",
        "grant",
        str(version or place.rules_version),
        f"community:{place.pk}",
        channel,
    )


def join(user, place):
    return communities.membership_join(
        user=user, community=place, accept_rules=True, rules_version=place.rules_version
    )


def test_joining_an_open_community_records_its_rules_once(community_index, member):
    place = community(community_index)

    join(member, place)
    join(member, place)  # a second tab

    assert entries(member) == [rules_entry(place)]


def test_asking_to_join_records_the_rules_too(community_index, member):
    place = community(community_index, join_policy=CommunityPage.JoinPolicy.REQUEST)

    change = join(member, place)

    assert change.membership.state == CommunityMembership.State.REQUESTED
    assert entries(member) == [rules_entry(place)]


def test_refused_joins_record_nothing(community_index, member):
    place = community(community_index, join_policy=CommunityPage.JoinPolicy.INVITATION)

    with pytest.raises(Refused):
        join(member, place)
    with pytest.raises(Refused):
        communities.membership_join(
            user=member, community=place, accept_rules=False, rules_version=place.rules_version
        )

    assert entries(member) == []


def test_accepting_new_rules_records_the_new_version(community_index, member):
    place = community(community_index)
    join(member, place)
    CommunityPage.objects.filter(pk=place.pk).update(rules_version=2)
    place.refresh_from_db()

    communities.rules_accept(user=member, community=place, accept_rules=True, rules_version=2)
    communities.rules_accept(user=member, community=place, accept_rules=True, rules_version=2)

    assert entries(member) == [rules_entry(place, 1), rules_entry(place, 2)]


def test_accepting_an_invitation_records_the_invitation_channel(community_index, member):
    place = community(community_index, join_policy=CommunityPage.JoinPolicy.INVITATION)
    CommunityMembershipFactory(
        community=place,
        user=member,
        state=CommunityMembership.State.INVITED,
        rules_version=None,
        rules_accepted_at=None,
    )

    communities.invitation_accept(
        user=member, community=place, accept_rules=True, rules_version=place.rules_version
    )

    assert entries(member) == [rules_entry(place, channel="invitation")]


def test_leaving_and_removal_are_not_withdrawals_and_coming_back_is_a_new_grant(
    community_index, member
):
    place = community(community_index)
    moderator = UserFactory()
    CommunityMembershipFactory(
        community=place, user=moderator, role=CommunityMembership.Role.MODERATOR
    )
    join(member, place)

    communities.membership_leave(user=member, community=place)
    assert entries(member) == [rules_entry(place)]
    join(member, place)
    membership = CommunityMembership.objects.get(community=place, user=member)
    communities.member_remove(
        moderator=moderator, community=place, membership_id=membership.pk, reason="Spam"
    )

    assert entries(member) == [rules_entry(place), rules_entry(place)]
    assert entries(moderator) == []


# --- Sharing an item -------------------------------------------------------------


@pytest.fixture
def writer(joined):
    return joined


def write(client, data, page=None):
    url = (
        reverse("authoring:edit", args=(page.pk,))
        if page
        else reverse("authoring:write_new", args=("blog",))
    )
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_sharing_choice_records_grants_and_withdrawals_per_item(writer, sections):
    from core.models import ContentPage

    client = Client()
    client.force_login(writer)

    write(client, {**BLOG, "may_be_shared": "on"})
    page = ContentPage.objects.get(author=writer)
    write(client, {**BLOG, "may_be_shared": "on"}, page)  # the same choice again
    write(client, BLOG, page)  # unticked
    write(client, BLOG, page)

    scope = f"page:{page.pk}"
    assert entries(writer)[2:] == [
        ("sharing", "grant", SHARING_TEXT_VERSION, scope, "writing_form"),
        ("sharing", "withdraw", SHARING_TEXT_VERSION, scope, "writing_form"),
    ]


def test_an_item_written_unshared_records_nothing(writer, sections):
    client = Client()
    client.force_login(writer)

    write(client, BLOG)

    assert [e for e in entries(writer) if e[0] == "sharing"] == []


# --- Append-only ------------------------------------------------------------------


@pytest.fixture
def event(joined):
    return ConsentEvent.objects.filter(user_id=joined.pk).first()


def test_an_entry_cannot_be_saved_again(event):
    event.version = "forged"

    with pytest.raises(LedgerIsAppendOnly):
        event.save()

    event.refresh_from_db()
    assert event.version == GUIDELINES_VERSION or event.version == HEALTH_VERSION


def test_an_entry_with_a_chosen_pk_is_inserted_never_updated(event):
    forged = ConsentEvent(
        pk=event.pk,
        user_id=event.user_id,
        kind="health_data",
        action="withdraw",
        version="x",
        channel="system",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()

    event.refresh_from_db()
    assert event.action == "grant"


def test_an_entry_cannot_be_deleted(event):
    with pytest.raises(LedgerIsAppendOnly):
        event.delete()

    assert ConsentEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda qs: qs.update(version="forged"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["version"]),
        lambda qs: qs.update_or_create(pk=qs[0].pk, defaults={"version": "forged"}),
        lambda qs: qs._raw_delete(qs.db),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create", "raw_delete"],
)
def test_the_queryset_refuses_to_change_or_delete(joined, attempt):
    before = entries(joined)

    with pytest.raises(LedgerIsAppendOnly):
        attempt(ConsentEvent.objects.filter(user_id=joined.pk))

    assert entries(joined) == before


def test_the_manager_refuses_too(joined):
    with pytest.raises(LedgerIsAppendOnly):
        ConsentEvent.objects.update(version="forged")
    with pytest.raises(LedgerIsAppendOnly):
        ConsentEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_consentevent SET version = 'forged'",
        "UPDATE accounts_consentevent SET user_id = 0 WHERE id = %s",
        "DELETE FROM accounts_consentevent",
        "DELETE FROM accounts_consentevent WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql(event, sql):
    params = [event.pk] if "%s" in sql else []

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)

    after = ConsentEvent.objects.get(pk=event.pk)
    assert (after.user_id, after.version) == (event.user_id, event.version)


def test_the_database_refuses_an_unknown_kind_channel_or_scope(joined):
    good = {
        "user_id": joined.pk,
        "kind": "guidelines",
        "action": "grant",
        "version": "1",
        "channel": "system",
    }
    for wrong in (
        {"kind": "everything"},
        {"action": "maybe"},
        {"channel": "telepathy"},
        {"version": ""},
        {"scope": "community:1"},  # a site text names no community
        {"kind": "community_rules", "scope": ""},
        {"kind": "sharing", "scope": "community:3"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ConsentEvent.objects.create(**{**good, **wrong})
    ConsentEvent.objects.create(**good)  # the control


# --- Deleting an account ----------------------------------------------------------


def test_deleting_an_account_keeps_its_entries_under_its_id(joined):
    user_id = joined.pk
    before = entries(joined)

    joined.delete()

    assert before
    assert [
        (e.kind, e.action, e.version, e.scope, e.channel)
        for e in ConsentEvent.objects.filter(user_id=user_id).order_by("at", "pk")
    ] == before
    assert not Consent.objects.filter(user_id=user_id).exists()


def test_deleting_an_account_in_the_wagtail_admin_keeps_the_ledger(joined, superuser):
    user_id = joined.pk
    count = ConsentEvent.objects.filter(user_id=user_id).count()
    client = Client()
    client.force_login(superuser)

    response = client.post(reverse("wagtailusers_users:delete", args=(user_id,)))

    assert response.status_code == 302
    assert not type(joined).objects.filter(pk=user_id).exists()
    assert ConsentEvent.objects.filter(user_id=user_id).count() == count == 2


# --- Emptying a whole database (the test runner's flush) -----------------------


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_empties_the_ledger_and_keeps_it_append_only(portal):
    from django.core.management import call_command

    user = UserFactory()
    member_register(user=user)

    call_command("flush", interactive=False, verbosity=0)

    assert not ConsentEvent.objects.exists()
    kept = ConsentEvent.objects.create(
        user_id=1, kind="guidelines", action="grant", version="1", channel="system"
    )
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_consentevent")
    assert ConsentEvent.objects.filter(pk=kept.pk).exists()
