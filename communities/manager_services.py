"""What Community managers decide about memberships in the Wagtail admin.

Managers appoint and stand down moderators and remove members of any
community (``communities.admin_viewsets``). Each decision takes the one
membership lock first (``core.selectors.active_membership_for_update``), so it
is ordered with leaving, removal by a moderator, submitting and publishing:
a decision about someone who left or was removed a moment ago finds no active
membership and is refused in words, instead of writing a stale row back (the
edit form loaded the membership before the manager pressed "Save"; saving
that copy whole would make a removed person a member again) or breaking the
database's "moderators are active members" constraint.

A removal here has the same consequences as a moderator's
(both go through ``communities.services.removal_apply``): managers
may also remove moderators, which moderators may not.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.services import reason_clean, removal_apply
from core.models import CommunityMembership
from core.refusals import Refused
from core.selectors import active_membership_for_update

NOT_A_MEMBER = gettext_lazy(
    "%(name)s is not a member of %(community)s now (%(state)s). Only members can be "
    "moderators or be removed; requests and invitations are the community's "
    "moderators' to decide."
)


def _not_a_member(membership: CommunityMembership) -> Refused:
    current = CommunityMembership.objects.filter(pk=membership.pk).first()
    state = current.get_state_display().lower() if current else _("they left")
    return Refused(
        str(NOT_A_MEMBER)
        % {
            "name": membership.user.public_name,
            "community": membership.community.title,
            "state": state,
        },
        status=409,
    )


@transaction.atomic
def membership_role_set(
    *, membership: CommunityMembership, role: str, actor: AbstractBaseUser
) -> CommunityMembership:
    """Make an active member a moderator, or a moderator a member again; returns the row.

    Refused (409) when the person is not an active member any more (they left,
    were removed, or only asked or were invited): only members moderate. Only
    ``role`` and who decided are written, never the rest of a possibly stale copy.
    """
    if role not in CommunityMembership.Role.values:
        raise Refused(_("Choose member or moderator."), status=400)
    locked = active_membership_for_update(
        user=membership.user, community_id=membership.community_id
    )
    if locked is None:
        raise _not_a_member(membership)
    if locked.role != role:
        locked.role = role
        locked.decided_by = actor
        locked.save(update_fields=["role", "decided_by", "updated_at"])
    return locked


@transaction.atomic
def membership_remove_by_manager(
    *, membership: CommunityMembership, reason: str, actor: AbstractBaseUser
) -> CommunityMembership:
    """Remove an active member (a moderator too) from their community, with a reason they see.

    The row stays, as ``removed`` with the reason, so an open community
    cannot be rejoined at once (``core.models.CommunityMembership``). Refused
    (409) when the person is not an active member; (400) without a reason or
    with one longer than the reason field holds.
    """
    reason = reason_clean(reason, required=_("Say why: the person is shown this reason."))
    locked = active_membership_for_update(
        user=membership.user, community_id=membership.community_id
    )
    if locked is None:
        raise _not_a_member(membership)
    # As a moderator's removal (communities.services.member_remove), which may
    # not remove moderators: a manager may.
    return removal_apply(membership=locked, reason=reason, by=actor)
