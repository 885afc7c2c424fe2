"""Writes for notifications: one row per recipient and event, then email by preference.

Every event goes through ``_deliver``: it stores a ``Notification`` per
recipient (ids only; see ``social.models.Notification``) and, for recipients
whose preference for that kind is "immediate", queues the email task once the
transaction commits. "Daily" rows wait for ``tasks.send_daily_digests``;
"off" rows are only shown on the site.
"""

from functools import partial

from django.db import transaction
from django.utils import timezone

from social.models import (
    EmailDelivery,
    MemberBlock,
    Notification,
    NotificationKind,
    NotificationPreference,
)

# What a member gets by email for a kind before they choose (no preference row).
# Review decisions and replies answer something the member did and wait for,
# so they go at once; followers and followed items can come in bursts, so they
# wait for the daily digest.
DEFAULT_EMAIL = {
    NotificationKind.NEW_FOLLOWER: EmailDelivery.DAILY,
    NotificationKind.FOLLOWED_ITEM: EmailDelivery.DAILY,
    NotificationKind.COMMENT_REPLY: EmailDelivery.IMMEDIATE,
    NotificationKind.REVIEW_DECISION: EmailDelivery.IMMEDIATE,
}


def email_preferences_for(*, user_ids, kind):
    """``{user_id: EmailDelivery}`` for ``kind``, defaults filled in; one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = DEFAULT_EMAIL[kind]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def _deliver(*, recipient_ids, kind, actor=None, page=None, comment_id=None, verb="", email=True):
    """Store one notification per recipient and queue the immediate emails.

    With ``email=False`` the caller sends the immediate emails itself (it
    already runs in a background task and has its own email); the returned
    list then tells it who wants one: ``[(notification, delivery), ...]``.
    """
    recipient_ids = list(dict.fromkeys(recipient_ids))
    if not recipient_ids:
        return []
    preferences = email_preferences_for(user_ids=recipient_ids, kind=kind)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                actor=actor,
                page=page,
                comment_id=comment_id,
                verb=verb,
            )
            for recipient_id in recipient_ids
        ]
    )
    if email:
        from .tasks import send_notification_email

        for notification in created:
            if preferences[notification.recipient_id] == EmailDelivery.IMMEDIATE:
                # After commit: the worker must find the row, and a rolled-back
                # event must not send anything.
                transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return [(notification, preferences[notification.recipient_id]) for notification in created]


def notify_new_follower(*, follower, followee):
    """Tell ``followee`` that ``follower`` now follows them; returns the notification or None.

    Nothing is stored for a follower the followee blocked (the follow itself is
    refused elsewhere; this is the second lock), for a self-follow, or when an
    unread notice about the same follower is still waiting (follow, unfollow,
    follow again must not pile up notices).
    """
    if follower.pk == followee.pk or not followee.is_active:
        return None
    if MemberBlock.objects.filter(blocker=followee, blocked=follower).exists():
        return None
    if Notification.objects.filter(
        recipient=followee,
        kind=NotificationKind.NEW_FOLLOWER,
        actor=follower,
        read_at__isnull=True,
    ).exists():
        return None
    delivered = _deliver(
        recipient_ids=[followee.pk], kind=NotificationKind.NEW_FOLLOWER, actor=follower
    )
    return delivered[0][0] if delivered else None


def notification_mark_read(*, user, notification_id):
    """Mark one of ``user``'s notifications read; returns it, or None if it is not theirs."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user):
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
