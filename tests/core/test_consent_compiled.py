"""Whether a member may contribute: the consent query compiled once, the same answers.

Issue 17: ``accounts.selectors.may_contribute`` runs on every page a member's discussion
shows; building and compiling its query was ~0.3 ms of a member's item page. It is now
compiled once per database and thread (``core.prepared``) and run again with the member's
id; its answers are held equal to the rule (both current texts agreed, neither withdrawn)
for every case below, on SQLite and PostgreSQL.
"""

from django.utils import timezone

import pytest

from accounts.models import Consent
from accounts.selectors import may_contribute
from accounts.services import consent_give
from core import consent
from tests.factories import UserFactory
from tests.spies import compiled_sql_containing

pytestmark = pytest.mark.django_db


def _rule(user):
    """The rule, read afresh: a standing record of each current text's current version."""
    return all(
        Consent.objects.filter(
            user=user, kind=kind, version=text.version, withdrawn_at__isnull=True
        ).exists()
        for kind, text in consent.CURRENT.items()
    )


@pytest.fixture
def members(portal):
    def member(name):
        return UserFactory(group="Members", display_name=name)

    nobody = member("No Consent")
    half = member("Guidelines Only")
    consent_give(user=half, kind=consent.GUIDELINES)
    both = member("Both Texts")
    for kind in consent.CURRENT:
        consent_give(user=both, kind=kind)
    old = member("Old Version")
    consent_give(user=old, kind=consent.GUIDELINES)
    Consent.objects.create(user=old, kind=consent.HEALTH_DATA, version="2020-01")
    withdrawn = member("Withdrawn")
    for kind in consent.CURRENT:
        consent_give(user=withdrawn, kind=kind)
    Consent.objects.filter(user=withdrawn, kind=consent.HEALTH_DATA).update(
        withdrawn_at=timezone.now()
    )
    again = member("Withdrawn Then Again")
    for kind in consent.CURRENT:
        consent_give(user=again, kind=kind)
    Consent.objects.filter(user=again, kind=consent.HEALTH_DATA).update(withdrawn_at=timezone.now())
    consent_give(user=again, kind=consent.HEALTH_DATA)
    return {
        "nobody": nobody,
        "half": half,
        "both": both,
        "old": old,
        "withdrawn": withdrawn,
        "again": again,
    }


def test_the_answers_are_the_rule_for_every_member(members):
    answers = {name: may_contribute(user) for name, user in members.items()}

    assert answers == {name: _rule(user) for name, user in members.items()}
    assert answers == {
        "nobody": False,
        "half": False,
        "both": True,
        "old": False,
        "withdrawn": False,
        "again": True,
    }


def test_another_members_agreements_never_count(members):
    # Asked for "both" first (compiled with the stand-in), then for the others: each
    # member's own rows only.
    assert may_contribute(members["both"])
    assert not may_contribute(members["nobody"])
    assert not may_contribute(members["half"])


def test_a_withdrawal_is_seen_at_once(members):
    member = members["both"]
    assert may_contribute(member)

    Consent.objects.filter(user=member, kind=consent.GUIDELINES).update(withdrawn_at=timezone.now())

    assert not may_contribute(member)


def test_the_query_is_compiled_once_not_per_call(members, monkeypatch):
    may_contribute(members["both"])  # compiled here, once per thread and database
    compiled = compiled_sql_containing(monkeypatch, "accounts_consent")

    for user in members.values():
        may_contribute(user)

    assert compiled == []


def test_a_visitor_may_not_contribute(portal):
    from django.contrib.auth.models import AnonymousUser

    assert may_contribute(AnonymousUser()) is False
    assert may_contribute(None) is False
