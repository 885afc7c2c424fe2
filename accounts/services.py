"""Writes about accounts: joining, giving and withdrawing consent."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from taggit.models import Tag
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log

from accounts.models import Consent, ConsentEvent, User
from accounts.selectors import consent_withdrawal_impact
from core import consent, roles
from core.models import Condition
from social.services import profile_get_or_create, topic_follow_create, topic_follow_delete

if TYPE_CHECKING:
    # For hints only: the welcome steps return social's Profile, a model accounts
    # does not import at run time.
    from social.models import Profile

MEMBER_USERNAME_PREFIX = "member-"

Channel = ConsentEvent.Channel
# The actions of the ledger's entries in Wagtail's audit log (accounts.wagtail_hooks).
LOG_GRANT = "kindred.consent.grant"
LOG_WITHDRAW = "kindred.consent.withdraw"
# The version of the words an author agrees to when an item "may be shared outside
# Kindred" (the writing form's label and help, authoring.forms.SHARING_HELP). Bump
# it when those words change, as core.consent's texts are bumped.
SHARING_TEXT_VERSION = "1"


def member_username_generate() -> str:
    """A fresh random username such as ``member-3f9c0a1b2d4e``, unused so far.

    Usernames are never shown, but they must not carry anything about the
    person either (an address, a name), so they are random. 48 bits make a
    clash vanishingly rare; the loop makes it impossible.
    """
    User = get_user_model()
    while True:
        username = f"{MEMBER_USERNAME_PREFIX}{secrets.token_hex(6)}"
        if not User.objects.filter(username=username).exists():
            return username


def consent_event_record(
    *,
    user: User,
    kind: str,
    action: str,
    version: str,
    channel: str,
    scope: str = "",
) -> ConsentEvent:
    """Append one grant or withdrawal to the consent ledger and to Wagtail's audit log.

    Every service that changes a consent calls this inside its own
    transaction, so the state (``Consent``, a membership's rules version, an
    item's sharing choice) and its history commit or fail together. The
    audit-log entry names the member as the one who acted and carries ids
    only (its label is the event's ``__str__``: no name, no title).
    """
    event = ConsentEvent.objects.create(
        user=user, kind=kind, action=action, version=version, channel=channel, scope=scope
    )
    log(
        instance=event,
        action=LOG_GRANT if action == ConsentEvent.Action.GRANT else LOG_WITHDRAW,
        user=user,
        data={"kind": kind, "version": version, "scope": scope, "channel": channel},
    )
    return event


@transaction.atomic
def member_register(*, user: User) -> list[Consent]:
    """Finish a sign-up: Members group, an empty profile, and both consents recorded.

    The sign-up form requires both checkboxes and checks that the member saw
    the current version of each text, so the records name today's versions.
    The ledger records both grants with the channel "sign-up".
    """
    user.groups.add(Group.objects.get(name=roles.MEMBERS))
    # A profile from the start (visible to signed-in members by default) so
    # bylines can link to it; the member fills it in when they like.
    profile_get_or_create(user=user)
    return [consent_give(user=user, kind=kind, channel=Channel.SIGN_UP) for kind in consent.KINDS]


@transaction.atomic
def consent_give(*, user: User, kind: str, channel: str = Channel.ACCOUNT_PAGE) -> Consent:
    """Record that ``user`` agrees to the current version of ``kind``; return the record.

    Giving consent that already stands for the current version changes
    nothing and returns the standing record (a double click makes one row,
    and one ledger entry). Records for older versions stay as history.
    Nothing that was unpublished when consent was withdrawn is republished:
    the member submits again. ``channel`` (``ConsentEvent.Channel``) says
    where the member gave it, for the ledger: callers name it; the default is
    the account page, the one place a member gives consent after signing up.
    """
    if kind not in consent.CURRENT:
        raise ValueError(f"Unknown consent kind: {kind!r}")
    if channel not in Channel.values:
        raise ValueError(f"Unknown consent channel: {channel!r}")
    record, created = Consent.objects.get_or_create(
        user=user,
        kind=kind,
        version=consent.CURRENT[kind].version,
        withdrawn_at=None,
    )
    if created:
        consent_event_record(
            user=user,
            kind=kind,
            action=ConsentEvent.Action.GRANT,
            version=record.version,
            channel=channel,
        )
    return record


@dataclass
class WithdrawalSummary:
    """What ``consent_withdraw`` changed, for telling the member."""

    withdrawn: bool = False
    # Titles of the items concerned.
    withdrawn_from_review: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def consent_withdraw(
    *, user: User, kind: str, channel: str = Channel.ACCOUNT_PAGE
) -> WithdrawalSummary:
    """Withdraw ``user``'s standing consent to ``kind`` and apply what it means.

    For health-data consent, every item of theirs in review has its workflow
    cancelled (reviewers stop seeing it) and every published item is
    unpublished; drafts and items with changes requested stay private and
    untouched. Both actions are logged in Wagtail's history as done by the
    member. Without standing consent nothing changes. Only kinds marked
    withdrawable may be withdrawn (accepting the guidelines is a condition of
    membership, not a consent to processing). The ledger gets one withdrawal
    per version that stood (an older and the current one may both stand).
    """
    if kind not in consent.WITHDRAWABLE:
        raise ValueError(f"Consent of kind {kind!r} cannot be withdrawn")
    now = timezone.now()
    # The standing rows, locked: a second, concurrent withdrawal waits, then
    # finds nothing left standing and changes nothing, so items are never
    # processed twice and the ledger records each withdrawal once. (SQLite
    # ignores the lock but runs one writing transaction at a time.)
    standing = dict(
        Consent.objects.select_for_update()
        .filter(user=user, kind=kind, withdrawn_at__isnull=True)
        .values_list("pk", "version")
    )
    if not Consent.objects.filter(pk__in=standing, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    ):
        return WithdrawalSummary()
    for version in sorted(set(standing.values())):
        consent_event_record(
            user=user,
            kind=kind,
            action=ConsentEvent.Action.WITHDRAW,
            version=version,
            channel=channel,
        )

    summary = WithdrawalSummary(withdrawn=True)
    if kind != consent.HEALTH_DATA:
        return summary
    impact = consent_withdrawal_impact(user)
    for page in impact.in_review:
        impact.review_states[page.pk].cancel(user=user)
        summary.withdrawn_from_review.append(page.title)
    for page in impact.published:
        # Members hold no page permissions, so Wagtail's permission check
        # would refuse; withdrawing consent is itself the authority here.
        UnpublishPageAction(page.specific, user=user).execute(skip_permission_checks=True)
        summary.unpublished.append(page.title)
    summary.unchanged = [page.title for page in impact.unchanged]
    return summary


# --- The welcome page (/welcome/) ----------------------------------------------
# Each step changes only what it shows, so a profile edited meanwhile in another
# tab (name, bio, picture) is never overwritten with what this page read earlier.
# social.services.profile_update saves the whole profile form at once, hence
# these narrower writes (the visibility one is social.services.profile_visibility_set).


@transaction.atomic
def member_interests_save(
    *,
    user: User,
    conditions: Iterable[Condition],
    topics: Iterable[Tag],
    shown_topics: Iterable[Tag],
) -> "Profile":
    """Set ``user``'s conditions of interest and topic follows from the welcome page.

    ``conditions`` replaces the profile's conditions (the page shows them all).
    Every tag in ``topics`` is followed; every tag in ``shown_topics`` (the
    followed topics the page showed ticked) that is not in ``topics`` is
    unfollowed. Follows of topics the page did not show are left alone.
    Callers pass only readable tags (``core.selectors.readable_tags``).
    Returns the profile, created if the member had none.
    """
    profile = profile_get_or_create(user=user)
    profile.conditions.set(conditions)
    chosen = {tag.pk for tag in topics}
    for tag in topics:
        topic_follow_create(follower=user, tag=tag)
    for tag in shown_topics:
        if tag.pk not in chosen:
            topic_follow_delete(follower=user, tag=tag)
    return profile


def member_language_set(*, user: User, language: str) -> None:
    """Save ``user``'s interface and email language ("" follows the browser; issue 18).

    One column of one row, written with ``update_fields`` so a concurrent save of
    the profile's other fields is not overwritten with stale values. The caller
    checks ``language`` against ``settings.LANGUAGES``.
    """
    if user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])
