"""Telling people about their place in a community: invitations and decisions.

Stored and emailed through social's one pipeline
(``social.notifications.services.notify_about_page``, the recipient's email
preference per kind), about the community's page. Like every notification it
stores ids only; ``community_entries`` words it when it is read (the
``kindred_notification_kinds`` hook, registered in ``membership_hooks``), from
the community and the person's membership as they are then: the reason a
request was refused or a member removed is read from the membership row, so
it is never copied into a notification, and is gone once the row moves on.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext as _

from core.models import CommunityMembership, CommunityPage
from social.models import NotificationKind
from social.notifications.selectors import NotificationEntry, fill_actor
from social.notifications.services import notify_about_page

State = CommunityMembership.State
INVITATION = NotificationKind.COMMUNITY_INVITATION
DECISION = NotificationKind.COMMUNITY_DECISION
# The decisions a person is told about, as the notification's verb.
DECISION_VERBS = (State.ACTIVE, State.REFUSED, State.REMOVED)


def notify_invited(*, membership: CommunityMembership, moderator: AbstractBaseUser) -> None:
    """Tell the person ``membership`` invites (email after the transaction commits)."""
    notify_about_page(
        recipient_ids=[membership.user_id],
        kind=INVITATION,
        page=membership.community,
        actor=moderator,
    )


def notify_decision(*, membership: CommunityMembership, verb: str) -> None:
    """Tell the person what the moderators decided: ``verb`` is the state their
    request or membership moved to (active: approved; refused; removed).

    The moderator is not named: a decision is the community's, and naming
    one moderator to a person they refused or removed invites retaliation.
    """
    if verb not in DECISION_VERBS:
        raise ValueError(f"Not a decision a person is told about: {verb!r}")
    notify_about_page(
        recipient_ids=[membership.user_id],
        kind=DECISION,
        page=membership.community,
        verb=verb,
    )


def _said(reason: str) -> str:
    return " " + _("The moderators wrote: “%(reason)s”") % {"reason": reason} if reason else ""


def _invitation_sentence(entry, community, membership):
    if membership is None or membership.state not in (State.INVITED, State.ACTIVE):
        return None  # declined, withdrawn or decided otherwise since: nothing to open
    if entry.actor_name:
        return _("%(name)s invited you to join “%(community)s”.") % {
            "name": entry.actor_name,
            "community": community.title,
        }
    return _("A moderator invited you to join “%(community)s”.") % {"community": community.title}


def _decision_sentence(entry, community, membership):
    verb = entry.notification.verb
    now = membership.state if membership is not None else None
    # The reason as the row holds it now, only while it still says this.
    reason = membership.reason if now == verb else ""
    if verb == State.ACTIVE:
        return _("Your request to join “%(community)s” was approved. Welcome!") % {
            "community": community.title
        }
    if verb == State.REFUSED:
        refused = _("Your request to join “%(community)s” was refused.")
        return refused % {"community": community.title} + _said(reason)
    if verb == State.REMOVED:
        removed = _("You were removed from “%(community)s”.")
        return removed % {"community": community.title} + _said(reason)
    return None


SENTENCES = {INVITATION: _invitation_sentence, DECISION: _decision_sentence}


def community_entries(*, user: AbstractUser, entries: list[NotificationEntry], readable) -> None:
    """Resolve community notifications for ``user`` (the ``kindred_notification_kinds``
    hook): two queries whatever their number (the live communities, the person's rows).

    The community's name is said to the person it concerns even when it is
    unlisted (they were invited, asked or belonged); its address only while
    they may see its page.
    """
    community_ids = {entry.notification.page_id for entry in entries} - {None}
    communities = CommunityPage.objects.live().in_bulk(community_ids)
    memberships = {
        row.community_id: row
        for row in CommunityMembership.objects.filter(user=user, community_id__in=community_ids)
    }
    for entry in entries:
        community = communities.get(entry.notification.page_id)
        membership = memberships.get(entry.notification.page_id)
        words = SENTENCES[entry.kind]
        sentence = words(entry, community, membership) if community is not None else None
        if entry.kind == INVITATION and sentence is not None:
            fill_actor(entry, user=user, actor=entry.notification.actor)
            sentence = words(entry, community, membership)
        if sentence is None:
            entry.available = False
            continue
        entry.sentence = sentence
        entry.title = community.title
        sees_it = community.is_listed or (
            membership is not None and membership.state in (State.ACTIVE, State.INVITED)
        )
        entry.url = entry.target_url = (community.url or "") if sees_it else ""
