"""What people do with their place in a community: join, leave, accept its rules, invite, decide.

Every service runs in one transaction and first locks the one membership row
of (community, person) it changes, so that two requests about the same
person (a double click, two tabs, two moderators) happen one after the other
and leave one row: the second sees what the first did and changes nothing.
Leaving and removal take the row through
``core.selectors.active_membership_for_update``, the lock that submitting an
item to the community (authoring) and publishing it (moderation) take too:
an item submitted while its author leaves or is removed is either seen here
and withdrawn from review, or refused there because the membership is gone.

Each service refuses with ``core.refusals.Refused`` in words for the person,
at the status a view answers with, and returns a ``MembershipChange`` whose
message says what happened (or that nothing needed to).
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log
from wagtail.models import Page, WorkflowState

from accounts.models import ConsentEvent
from accounts.services import consent_event_record
from core.models import CommunityMembership, CommunityPage, ContentPage
from core.refusals import Refused
from core.selectors import active_membership_for_update
from social.selectors import visible_profile

from . import notifications

State = CommunityMembership.State
Role = CommunityMembership.Role

REASON_MAX_LENGTH = CommunityMembership._meta.get_field("reason").max_length
RULES_CHANGED = gettext_lazy(
    "The rules of this community changed while you were reading them: "
    "read them again, then accept them."
)
RULES_NOT_ACCEPTED = gettext_lazy("To join, tick the box to accept the community's rules.")
ONLY_MODERATORS = gettext_lazy("Only this community's moderators can do that.")
# Wagtail's audit log (registered in communities.membership_hooks).
LOG_INVITE = "kindred.community.invite"
LOG_APPROVE = "kindred.community.request_approve"
LOG_REFUSE = "kindred.community.request_refuse"
LOG_REMOVE = "kindred.community.remove"
# Where a person accepts a community's rules, for the consent ledger.
COMMUNITY_PAGE = ConsentEvent.Channel.COMMUNITY_PAGE
# Two requests inserting the same person's first row: the loser retries and
# finds the winner's row. More than a few rounds would mean something else.
INSERT_ATTEMPTS = 3


@dataclass(frozen=True)
class MembershipChange:
    """What a service did: the person's row as it is now (None once deleted),
    whether anything changed, and the sentence to tell the person who acted."""

    membership: CommunityMembership | None
    changed: bool
    message: str


# --- Locks and checks --------------------------------------------------------


def _lock_row(*, community: CommunityPage, user_id: int) -> CommunityMembership | None:
    """The person's row in this community, whatever its state, locked until the end
    of the transaction (FOR UPDATE); None when there is none. SQLite ignores the
    lock, but runs one writing transaction at a time anyway."""
    return (
        CommunityMembership.objects.select_for_update()
        .filter(community=community, user_id=user_id)
        .first()
    )


def _lock_or_create(
    *, community: CommunityPage, user_id: int, **fields: object
) -> tuple[CommunityMembership, bool]:
    """The person's locked row, or a new one with ``fields``; ``(row, created)``.

    Two first requests racing both find no row and insert: the unique
    constraint makes the second wait for the first and fail; it then locks
    the first's row (inside a savepoint, so the caller's work survives).
    """
    for _attempt in range(INSERT_ATTEMPTS):
        membership = _lock_row(community=community, user_id=user_id)
        if membership is not None:
            return membership, False
        try:
            with transaction.atomic():
                return (
                    CommunityMembership.objects.create(
                        community=community, user_id=user_id, **fields
                    ),
                    True,
                )
        except IntegrityError:
            continue  # inserted by another request since we looked: lock that one
    raise Refused(_("Too many requests at once: please try again."), status=409)


def _check_rules(*, community: CommunityPage, accept_rules: bool, rules_version: int) -> None:
    if not accept_rules:
        raise Refused(str(RULES_NOT_ACCEPTED), status=400)
    if rules_version != community.rules_version:
        # The person read another version than the one in force now.
        raise Refused(str(RULES_CHANGED), status=409)


def _accept_rules(
    membership: CommunityMembership,
    community: CommunityPage,
    *,
    user: AbstractBaseUser,
    channel: str,
) -> None:
    membership.rules_version = community.rules_version
    membership.rules_accepted_at = timezone.now()
    _rules_granted(user=user, community=community, channel=channel)


def _rules_granted(*, user: AbstractBaseUser, community: CommunityPage, channel: str) -> None:
    """The consent ledger's entry for ``user`` accepting ``community``'s current rules.

    Only the person's own acceptance is a grant. Leaving a community, and a
    moderator's removal, are not withdrawals of it: neither is the person
    taking back their word (the rules were a condition of taking part, not a
    consent to processing), the row that held the acceptance is deleted or
    closed, and coming back means accepting the rules again, a new grant.
    Those membership changes are in the community's history instead.
    """
    consent_event_record(
        user=user,
        kind=ConsentEvent.Kind.COMMUNITY_RULES,
        action=ConsentEvent.Action.GRANT,
        version=str(community.rules_version),
        scope=f"{ConsentEvent.COMMUNITY_SCOPE}{community.pk}",
        channel=channel,
    )


def _check_moderator(*, user: AbstractBaseUser, community: CommunityPage) -> None:
    """Refuse (403) anyone but an active moderator of ``community``."""
    if not CommunityMembership.objects.filter(
        community=community, user=user, state=State.ACTIVE, role=Role.MODERATOR
    ).exists():
        raise Refused(str(ONLY_MODERATORS), status=403)


def reason_clean(reason: str, *, required: str) -> str:
    """``reason`` trimmed; refused (400) when empty or longer than the row holds."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(required, status=400)
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(
            _("Keep the reason under %(limit)s characters (it has %(count)s).")
            % {"limit": REASON_MAX_LENGTH, "count": len(reason)},
            status=400,
        )
    return reason


def _log(action: str, membership: CommunityMembership, *, user: AbstractBaseUser) -> None:
    """Record a decision in Wagtail's audit log, on the community's page (its history)."""
    log(
        instance=membership.community,
        action=action,
        user=user,
        data={"membership": membership.pk, "person": membership.user_id, "state": membership.state},
    )


def _withdraw_reviews(*, author_id: int, community: CommunityPage, by: AbstractBaseUser) -> int:
    """Cancel the review of every item ``author_id`` has waiting for this community;
    returns how many. Runs under the author's membership lock (see the module).

    The audience under review is the latest revision's, which for a published
    item being edited differs from the live row's: each candidate's latest
    version is read. The items stay drafts their author can see and edit.
    """
    authored = ContentPage.objects.filter(author_id=author_id).values_list("pk", flat=True)
    states = WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in authored],
    )
    withdrawn = 0
    for state in states:
        page = ContentPage.objects.filter(pk=state.object_id).first()
        if page is None:
            continue
        latest = page.get_latest_revision_as_object()
        if latest.community_id == community.pk:
            state.cancel(user=by)
            withdrawn += 1
    return withdrawn


def _where(community: CommunityPage) -> str:
    return _("“%(title)s”") % {"title": community.title}


# --- The person themselves ----------------------------------------------------


@transaction.atomic
def membership_join(
    *, user: AbstractBaseUser, community: CommunityPage, accept_rules: bool, rules_version: int
) -> MembershipChange:
    """``user`` joins ``community`` having accepted the rules version they read.

    Open community: an active membership. On request: a request for its
    moderators. By invitation: refused (403) unless invited, when joining
    accepts the invitation. Someone removed gets a request, never a
    membership, even where anyone may join; someone refused may ask again.
    A stale ``rules_version`` is refused (409): the rules changed meanwhile.
    """
    _check_rules(community=community, accept_rules=accept_rules, rules_version=rules_version)
    policy = community.join_policy
    invitation_only = Refused(
        _("%(community)s is open by invitation only: its moderators invite people.")
        % {"community": _where(community)},
        status=403,
    )
    membership = _lock_row(community=community, user_id=user.pk)
    if membership is None:
        # The usual first join: one insert, already in its final state.
        if policy == CommunityPage.JoinPolicy.INVITATION:
            raise invitation_only
        first_state = State.ACTIVE if policy == CommunityPage.JoinPolicy.OPEN else State.REQUESTED
        membership, created = _lock_or_create(
            community=community,
            user_id=user.pk,
            state=first_state,
            rules_version=community.rules_version,
            rules_accepted_at=timezone.now(),
        )
        if created:
            _rules_granted(user=user, community=community, channel=COMMUNITY_PAGE)
            return _joined(membership, community)
    if membership.state in (State.ACTIVE, State.REQUESTED):
        # Again (a double click, a second tab): only a newer rules version is news.
        if not membership.has_accepted_rules(community):
            _accept_rules(membership, community, user=user, channel=COMMUNITY_PAGE)
            membership.save(update_fields=["rules_version", "rules_accepted_at", "updated_at"])
        if membership.state == State.ACTIVE:
            message = _("You are a member of %(community)s.") % {"community": _where(community)}
        else:
            message = _("Your request to join is with the moderators already.")
        return MembershipChange(membership, False, message)
    if membership.state == State.INVITED:
        state = State.ACTIVE
    elif policy == CommunityPage.JoinPolicy.INVITATION:
        raise invitation_only
    elif policy == CommunityPage.JoinPolicy.OPEN and membership.state != State.REMOVED:
        state = State.ACTIVE
    else:
        # On request, or an open community that removed this person: the
        # moderators decide whether they come back. Someone refused asks again.
        state = State.REQUESTED
    membership.state = state
    membership.role = Role.MEMBER
    membership.reason = ""
    membership.decided_by = None
    _accept_rules(membership, community, user=user, channel=COMMUNITY_PAGE)
    membership.save()
    return _joined(membership, community)


def _joined(membership: CommunityMembership, community: CommunityPage) -> MembershipChange:
    if membership.state == State.ACTIVE:
        return MembershipChange(
            membership, True, _("Welcome to %(community)s.") % {"community": _where(community)}
        )
    return MembershipChange(
        membership,
        True,
        _(
            "Your request to join %(community)s was sent to its moderators. "
            "You will be told when they decide."
        )
        % {"community": _where(community)},
    )


@transaction.atomic
def membership_leave(*, user: AbstractBaseUser, community: CommunityPage) -> MembershipChange:
    """``user`` leaves ``community`` (their row is deleted), withdrawing a request or
    an invitation the same way; moderators may leave too.

    Under the membership lock, their items waiting for review in this community
    are withdrawn (they stay drafts). A removal or a refusal is kept: leaving
    does not erase it, so it cannot open the way back into an open community.
    """
    membership = active_membership_for_update(user=user, community_id=community.pk)
    if membership is not None:
        _withdraw_reviews(author_id=user.pk, community=community, by=user)
        membership.delete()
        return MembershipChange(
            None, True, _("You left %(community)s.") % {"community": _where(community)}
        )
    membership = _lock_row(community=community, user_id=user.pk)
    if membership is not None and membership.state == State.REQUESTED:
        membership.delete()
        return MembershipChange(None, True, _("Your request to join was withdrawn."))
    if membership is not None and membership.state == State.INVITED:
        membership.delete()
        return MembershipChange(None, True, _("You declined the invitation."))
    return MembershipChange(
        membership,
        False,
        _("You are not a member of %(community)s.") % {"community": _where(community)},
    )


@transaction.atomic
def rules_accept(
    *, user: AbstractBaseUser, community: CommunityPage, accept_rules: bool, rules_version: int
) -> MembershipChange:
    """``user``, a member (or asking to be one), accepts the rules version they read.

    Records the version and the time; a stale version is refused (409).
    Anyone else is refused (403): accepting rules is part of joining.
    """
    _check_rules(community=community, accept_rules=accept_rules, rules_version=rules_version)
    membership = _lock_row(community=community, user_id=user.pk)
    if membership is None or membership.state not in (State.ACTIVE, State.REQUESTED):
        raise Refused(
            _("Join %(community)s to accept its rules.") % {"community": _where(community)},
            status=403,
        )
    if membership.has_accepted_rules(community):
        return MembershipChange(membership, False, _("You have accepted the current rules."))
    _accept_rules(membership, community, user=user, channel=COMMUNITY_PAGE)
    membership.save(update_fields=["rules_version", "rules_accepted_at", "updated_at"])
    return MembershipChange(membership, True, _("Thank you: you accepted the current rules."))


@transaction.atomic
def invitation_accept(
    *, user: AbstractBaseUser, community: CommunityPage, accept_rules: bool, rules_version: int
) -> MembershipChange:
    """``user`` accepts their invitation, with the rules: an active membership.

    No open invitation: refused (404), unless they are a member already.
    """
    _check_rules(community=community, accept_rules=accept_rules, rules_version=rules_version)
    membership = _lock_row(community=community, user_id=user.pk)
    if membership is not None and membership.state == State.ACTIVE:
        return MembershipChange(
            membership,
            False,
            _("You are a member of %(community)s.") % {"community": _where(community)},
        )
    if membership is None or membership.state != State.INVITED:
        raise Refused(_("There is no open invitation for you here."), status=404)
    membership.state = State.ACTIVE
    _accept_rules(membership, community, user=user, channel=ConsentEvent.Channel.INVITATION)
    membership.save()
    return MembershipChange(
        membership, True, _("Welcome to %(community)s.") % {"community": _where(community)}
    )


@transaction.atomic
def invitation_decline(*, user: AbstractBaseUser, community: CommunityPage) -> MembershipChange:
    """``user`` declines their invitation (the row is deleted); nothing else changes."""
    membership = _lock_row(community=community, user_id=user.pk)
    if membership is None or membership.state != State.INVITED:
        return MembershipChange(membership, False, _("There is no open invitation to decline."))
    membership.delete()
    return MembershipChange(None, True, _("You declined the invitation."))


@transaction.atomic
def profile_listing(
    *, user: AbstractBaseUser, community: CommunityPage, show: bool
) -> MembershipChange:
    """Whether ``user``'s profile lists ``community``; only a member may choose (403)."""
    membership = active_membership_for_update(user=user, community_id=community.pk)
    if membership is None:
        raise Refused(_("Only members can list a community on their profile."), status=403)
    changed = membership.show_on_profile != show
    if changed:
        membership.show_on_profile = show
        membership.save(update_fields=["show_on_profile", "updated_at"])
    return MembershipChange(
        membership,
        changed,
        (
            _("Your profile shows %(community)s.")
            if show
            else _("Your profile does not show %(community)s.")
        )
        % {"community": _where(community)},
    )


# --- The community's moderators -------------------------------------------------


@transaction.atomic
def invitation_create(
    *, moderator: AbstractBaseUser, community: CommunityPage, handle: str
) -> MembershipChange:
    """``moderator`` invites the member whose profile handle is ``handle``.

    A handle nobody has and one whose profile the moderator may not see are
    refused alike (400). A member or a pending request: refused with what to
    do instead (409). Someone removed or refused may be invited: the row
    re-opens as an invitation. They are told (notification, and email by
    their preference).
    """
    _check_moderator(user=moderator, community=community)
    handle = (handle or "").strip()
    profile = visible_profile(viewer=moderator, handle=handle) if handle else None
    if profile is None or not profile.user.is_active:
        raise Refused(
            _("Nobody on Kindred has that handle. Check it on their profile."), status=400
        )
    invitee = profile.user
    name = invitee.public_name
    membership, created = _lock_or_create(
        community=community, user_id=invitee.pk, state=State.INVITED, invited_by=moderator
    )
    if not created:
        if membership.state == State.ACTIVE:
            raise Refused(_("%(name)s is already a member.") % {"name": name}, status=409)
        if membership.state == State.REQUESTED:
            raise Refused(
                _("%(name)s has asked to join: approve their request instead.") % {"name": name},
                status=409,
            )
        if membership.state == State.INVITED:
            return MembershipChange(
                membership, False, _("%(name)s is invited already.") % {"name": name}
            )
        membership.state = State.INVITED
        membership.role = Role.MEMBER
        membership.invited_by = moderator
        membership.reason = ""
        membership.decided_by = None
        membership.save()
    _log(LOG_INVITE, membership, user=moderator)
    notifications.notify_invited(membership=membership, moderator=moderator)
    return MembershipChange(
        membership, True, _("%(name)s is invited. They will be told.") % {"name": name}
    )


APPROVE, REFUSE = "approve", "refuse"


@transaction.atomic
def request_decide(
    *,
    moderator: AbstractBaseUser,
    community: CommunityPage,
    membership_id: int,
    decision: str,
    reason: str = "",
) -> MembershipChange:
    """``moderator`` approves (an active membership) or refuses (with ``reason``, which
    the person is told) the request ``membership_id`` of ``community``.

    A request of another community, or none, is 404. Deciding the same way
    twice changes nothing; deciding otherwise after a decision is refused (409).
    """
    _check_moderator(user=moderator, community=community)
    if decision not in (APPROVE, REFUSE):
        raise Refused(_("Choose to approve or refuse the request."), status=400)
    if decision == REFUSE:
        reason = reason_clean(reason, required=_("Say why, in a few words: the person is told."))
    membership = (
        CommunityMembership.objects.select_for_update()
        .filter(pk=membership_id, community=community)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Refused(_("There is no such request."), status=404)
    name = membership.user.public_name
    done_state = State.ACTIVE if decision == APPROVE else State.REFUSED
    if membership.state == done_state:
        return MembershipChange(
            membership, False, _("This request was decided already (%(name)s).") % {"name": name}
        )
    if membership.state != State.REQUESTED:
        raise Refused(_("%(name)s's request was already decided.") % {"name": name}, status=409)
    membership.state = done_state
    membership.decided_by = moderator
    membership.reason = "" if decision == APPROVE else reason
    membership.save()
    _log(LOG_APPROVE if decision == APPROVE else LOG_REFUSE, membership, user=moderator)
    notifications.notify_decision(membership=membership, verb=done_state)
    if decision == APPROVE:
        return MembershipChange(membership, True, _("%(name)s is now a member.") % {"name": name})
    return MembershipChange(
        membership,
        True,
        _("%(name)s's request was refused. They will be told why.") % {"name": name},
    )


@transaction.atomic
def member_remove(
    *, moderator: AbstractBaseUser, community: CommunityPage, membership_id: int, reason: str
) -> MembershipChange:
    """``moderator`` removes the member ``membership_id`` of ``community``, with ``reason``.

    The row stays, as removed with the reason (they are told it), so an open
    community cannot be rejoined at once. Under their membership lock, their
    items waiting for review in this community are withdrawn. Moderators are
    not removed here (403): community managers do that in the admin.
    Another community's membership, or none, is 404; removing twice changes
    nothing.
    """
    _check_moderator(user=moderator, community=community)
    reason = reason_clean(reason, required=_("Say why, in a few words: the person is told."))
    target = (
        CommunityMembership.objects.filter(pk=membership_id, community=community)
        .values_list("user_id", flat=True)
        .first()
    )
    if target is None:
        raise Refused(_("There is no such member."), status=404)
    membership = active_membership_for_update(user=target, community_id=community.pk)
    if membership is None:
        # Not (or no longer) active: removed already, a request, an invitation.
        membership = _lock_row(community=community, user_id=target)
        if membership is not None and membership.state == State.REMOVED:
            return MembershipChange(membership, False, _("This member was removed already."))
        raise Refused(_("There is no such member."), status=404)
    if membership.role == Role.MODERATOR:
        raise Refused(
            _("Moderators cannot remove moderators: a community manager can, in the admin."),
            status=403,
        )
    removal_apply(membership=membership, reason=reason, by=moderator)
    return MembershipChange(
        membership,
        True,
        _("%(name)s was removed. They will be told why.") % {"name": membership.user.public_name},
    )


def removal_apply(
    *, membership: CommunityMembership, reason: str, by: AbstractBaseUser
) -> CommunityMembership:
    """Remove the active ``membership`` ``by`` decided on, for the (clean) ``reason``.

    The one way out that is not the person's own, shared by a moderator's
    removal (``member_remove``) and a community manager's
    (``communities.manager_services``): the caller holds the membership lock
    (``core.selectors.active_membership_for_update``) and has checked that
    ``by`` may decide. Under that lock the person's items waiting for review
    in this community are withdrawn; the row stays as removed, a plain
    member, with the reason they are told, off their profile; the decision is
    in the community's history.
    """
    _withdraw_reviews(author_id=membership.user_id, community=membership.community, by=by)
    membership.state = State.REMOVED
    membership.role = Role.MEMBER
    membership.reason = reason
    membership.decided_by = by
    membership.show_on_profile = False
    membership.save(
        update_fields=["state", "role", "reason", "decided_by", "show_on_profile", "updated_at"]
    )
    _log(LOG_REMOVE, membership, user=by)
    notifications.notify_decision(membership=membership, verb=State.REMOVED)
    return membership
