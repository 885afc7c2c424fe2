"""The archive's sections about the member among others: follows, blocks and mutes,
communities, notifications and their settings (see ``sections``)."""

from accounts.models import User
from core.models import CommunityMembership
from discussion.models import ThreadMute
from social.models import (
    MemberBlock,
    MemberFollow,
    MemberMute,
    Notification,
    NotificationPreference,
    TopicFollow,
)

from .common import Record, Titles, value


def follows(user: User) -> list[Record]:
    """Whom and which topics the member follows, and who follows them (as the member's
    own profile shows it)."""
    records: list[Record] = [
        {"what": "you follow", "member": row.followee.public_name, "since": value(row.created_at)}
        for row in MemberFollow.objects.filter(follower=user).select_related("followee")
    ]
    records += [
        {"what": "follows you", "member": row.follower.public_name, "since": value(row.created_at)}
        for row in MemberFollow.objects.filter(followee=user).select_related("follower")
    ]
    records += [
        {"what": "topic you follow", "topic": row.tag.name, "since": value(row.created_at)}
        for row in TopicFollow.objects.filter(follower=user).select_related("tag")
    ]
    return records


def blocks_and_mutes(user: User) -> list[Record]:
    """Whom the member blocked and muted, and the comment threads they muted."""
    records: list[Record] = [
        {"what": "blocked", "member": row.blocked.public_name, "since": value(row.created_at)}
        for row in MemberBlock.objects.filter(blocker=user).select_related("blocked")
    ]
    records += [
        {"what": "muted", "member": row.muted.public_name, "since": value(row.created_at)}
        for row in MemberMute.objects.filter(muter=user).select_related("muted")
    ]
    records += [
        {"what": "muted thread", "comment": row.thread_id, "since": value(row.created_at)}
        for row in ThreadMute.objects.filter(user=user)
    ]
    return records


def communities(user: User) -> list[Record]:
    """The member's communities: memberships, requests, invitations, with their state."""
    rows = CommunityMembership.objects.filter(user=user).select_related("community")
    return [
        {
            "community": row.community.title,
            "role": str(row.get_role_display()),
            "state": str(row.get_state_display()),
            "rules_version": row.rules_version,
            "rules_accepted_at": value(row.rules_accepted_at),
            "shown_on_profile": row.show_on_profile,
            "reason_given": row.reason,
            "since": value(row.created_at),
            "updated_at": value(row.updated_at),
        }
        for row in rows.order_by("pk")
    ]


def notifications(user: User) -> list[Record]:
    """The member's notifications (read and unread)."""
    rows = list(Notification.objects.filter(recipient=user).select_related("actor").order_by("pk"))
    titles = Titles(user)
    titles.load(row.page_id for row in rows)
    return [
        {
            "kind": str(row.get_kind_display()),
            "verb": row.verb,
            "item": titles(row.page_id),
            "from": row.actor.public_name if row.actor_id else None,
            "created_at": value(row.created_at),
            "read_at": value(row.read_at),
            "emailed_at": value(row.emailed_at),
        }
        for row in rows
    ]


def notification_settings(user: User) -> list[Record]:
    """The member's email choice per kind of notification (kinds not listed: the default)."""
    return [
        {"kind": str(row.get_kind_display()), "email": str(row.get_email_display())}
        for row in NotificationPreference.objects.filter(user=user).order_by("kind")
    ]
