"""Membership's entries in Wagtail's registries: notification kinds and audit-log actions."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from social.notifications.kinds import NOTIFICATION_KINDS

from .notifications import DECISION, INVITATION, community_entries
from .services import LOG_APPROVE, LOG_INVITE, LOG_REFUSE, LOG_REMOVE


@hooks.register(NOTIFICATION_KINDS)
def community_notification_kinds():
    return {INVITATION: community_entries, DECISION: community_entries}


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # Written by communities.services on the community's page: its history in
    # the admin shows community managers who invited, admitted and removed whom.
    actions.register_action(
        LOG_INVITE, _("Invite to community"), _("Invited someone to the community")
    )
    actions.register_action(LOG_APPROVE, _("Approve request"), _("Approved a request to join"))
    actions.register_action(LOG_REFUSE, _("Refuse request"), _("Refused a request to join"))
    actions.register_action(LOG_REMOVE, _("Remove member"), _("Removed a member"))
