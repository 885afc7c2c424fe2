"""Writes for notifications: one unread row per recipient and item, then email by preference.

Every event goes through ``_deliver``: it stores a ``Notification`` per
recipient (ids only; see ``social.models.Notification``) and, for recipients
whose preference for that kind is "immediate", queues the email task once the
transaction commits. "Daily" rows wait for ``tasks.send_daily_digests``;
"off" rows are only shown on the site. Defaults when a member has not chosen
are in ``selectors.DEFAULT_EMAIL``.

A newer event about the same item and kind replaces the recipient's unread
notification about it (the database holds one unread per recipient, item and
kind): the row is updated in place, so it keeps its id, moves to the top and
is due for email again.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from wagtail.models import Page

from core.models import ContentPage
from core.selectors import readable_content
from social.models import (
    EmailDelivery,
    MemberBlock,
    Notification,
    NotificationKind,
    NotificationPreference,
)

from .selectors import (
    email_preferences,
    email_preferences_for,
    followed_publication_recipients,
)

# A stored notification and how its recipient wants it by email (an EmailDelivery value).
Delivered = tuple[Notification, str]

# Review decisions are stored with these verbs.
REVIEW_VERBS = ("approved", "published", "changes_requested")
# The kind name an unsubscribe token uses for "every kind I get in the digest".
DIGEST = "digest"
# Two deliveries about one item racing: the loser's insert meets the winner's
# row in the unique constraint and tries again, then finds and replaces it.
DELIVERY_ATTEMPTS = 3


def _unread_about(*, recipient_ids, kind, page_id):
    """The recipients' unread notifications of ``kind`` about ``page_id``, locked, by recipient."""
    rows = (
        Notification.objects.select_for_update()
        .filter(recipient_id__in=recipient_ids, kind=kind, page_id=page_id, read_at__isnull=True)
        .order_by("recipient_id")
    )
    return {row.recipient_id: row for row in rows}


def _store(*, recipient_ids, kind, actor, page_id, comment_id, verb):
    """Replace each recipient's unread notification about the item, or insert one.

    Runs in the caller's transaction. The replaced rows are updated in one
    query: what they said before is gone (it is superseded), ``created_at``
    becomes now and ``emailed_at`` empty, so the new news is emailed (at once
    or in the next digest) even if the old one already was. An email task
    still queued for the row then sends the new news, once: whichever task
    runs first claims the row.
    """
    now = timezone.now()
    fields = {"actor": actor, "comment_id": comment_id, "verb": verb}
    replaced = {}
    if page_id is not None:
        replaced = _unread_about(recipient_ids=recipient_ids, kind=kind, page_id=page_id)
    if replaced:
        Notification.objects.filter(pk__in=[row.pk for row in replaced.values()]).update(
            created_at=now, emailed_at=None, **fields
        )
        for row in replaced.values():
            for name, value in {**fields, "created_at": now, "emailed_at": None}.items():
                setattr(row, name, value)
    # Locks first, then inserts in recipient order: two deliveries with the
    # same recipients wait for each other instead of deadlocking.
    created = Notification.objects.bulk_create(
        [
            Notification(recipient_id=recipient_id, kind=kind, page_id=page_id, **fields)
            for recipient_id in sorted(recipient_ids)
            if recipient_id not in replaced
        ]
    )
    by_recipient = {**replaced, **{row.recipient_id: row for row in created}}
    return [by_recipient[recipient_id] for recipient_id in recipient_ids]


def _deliver(
    *,
    recipient_ids,
    kind,
    actor=None,
    page=None,
    page_id=None,
    comment_id=None,
    verb="",
    email=True,
):
    """Store one unread notification per recipient (replacing an unread one about the
    same item and kind) and queue the immediate emails.

    With ``email=False`` the caller sends the immediate emails itself (it
    already runs in a background task and has its own email). Returns
    ``[(notification, delivery), ...]`` so such a caller knows who wants one.
    """
    recipient_ids = list(dict.fromkeys(recipient_ids))
    if not recipient_ids:
        return []
    page_id = page.pk if page is not None else page_id
    preferences = email_preferences_for(user_ids=recipient_ids, kind=kind)
    for attempt in range(1, DELIVERY_ATTEMPTS + 1):
        try:
            # A savepoint inside the caller's transaction: a lost race undoes
            # only this attempt, never the caller's work.
            with transaction.atomic():
                stored = _store(
                    recipient_ids=recipient_ids,
                    kind=kind,
                    actor=actor,
                    page_id=page_id,
                    comment_id=comment_id,
                    verb=verb,
                )
            break
        except IntegrityError:
            # Another delivery about this item inserted for one of these
            # recipients after we looked: look again, and replace its row.
            if attempt == DELIVERY_ATTEMPTS:
                raise
    if email:
        from .tasks import send_notification_email

        for notification in stored:
            if preferences[notification.recipient_id] == EmailDelivery.IMMEDIATE:
                # After commit: the worker must find the row, and a rolled-back
                # event must not send anything.
                transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return [(notification, preferences[notification.recipient_id]) for notification in stored]


def notify_new_follower(*, follower: AbstractUser, followee: AbstractUser) -> Notification | None:
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


def notify_followed_publication(*, page: ContentPage, published_at: datetime | None = None) -> int:
    """Tell the followers of ``page``'s author and tags that it was published; returns how many.

    Only the first publication counts: Wagtail announces every publish, so
    ``published_at`` (the page's ``last_published_at`` when the publish was
    announced; its current one if not given) must equal ``first_published_at``.
    A republish after an edit or an unpublish tells nobody, and nobody is ever
    told twice about one page (see ``followed_publication_recipients``).
    Recipients are listed there; each must also be able to read the page now.
    The actor is the author, or nobody for an anonymous item.
    """
    page = ContentPage.objects.filter(pk=page.pk).first()
    if page is None or not page.live or page.first_published_at is None:
        return 0
    if (published_at or page.last_published_at) != page.first_published_at:
        return 0
    recipient_ids = [
        recipient.pk
        for recipient in followed_publication_recipients(page=page)
        if readable_content(user=recipient).filter(pk=page.pk).exists()
    ]
    actor = None if page.is_anonymous else page.author
    return len(
        _deliver(
            recipient_ids=recipient_ids,
            kind=NotificationKind.FOLLOWED_ITEM,
            actor=actor,
            page=page,
        )
    )


def notify_comment_reply(*, comment: Model, recipients: Iterable[AbstractUser]) -> list[Delivered]:
    """Tell ``recipients`` (already filtered: thread participants who may read the
    page) about ``comment``, a visible reply; returns ``[(notification, delivery)]``.

    The caller (``discussion.notifications``, itself a background task) sends
    the immediate emails: it has the reply email with its per-thread mute link.
    """
    return _deliver(
        recipient_ids=[recipient.pk for recipient in recipients],
        kind=NotificationKind.COMMENT_REPLY,
        actor=comment.user,
        page_id=comment.page_id,
        comment_id=comment.pk,
        email=False,
    )


def notify_review_decision(*, page: ContentPage, author: AbstractUser, verb: str) -> Delivered:
    """Tell ``author`` what reviewers decided about ``page``; returns ``(notification, delivery)``.

    ``verb`` is one of ``REVIEW_VERBS``. The caller
    (``tasks.send_review_decision_email``, a background task) sends the
    immediate email, which carries the reviewer's comment.
    """
    if verb not in REVIEW_VERBS:
        raise ValueError(f"Unknown review decision {verb!r}")
    (delivered,) = _deliver(
        recipient_ids=[author.pk],
        kind=NotificationKind.REVIEW_DECISION,
        page=page,
        verb=verb,
        email=False,
    )
    return delivered


def notify_about_page(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    page: Page,
    actor: AbstractUser | None = None,
    verb: str = "",
) -> list[Delivered]:
    """Tell ``recipient_ids`` about ``page`` with a kind an app above social resolves
    (``kinds.NOTIFICATION_KINDS``: communities' invitations and decisions); returns
    ``[(notification, delivery)]``. Stored and emailed by preference like every kind;
    the email says what the kind's resolver words.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    return _deliver(recipient_ids=recipient_ids, kind=kind, actor=actor, page=page, verb=verb)


def notification_mark_emailed(
    *, notification_ids: Iterable[int], at: datetime | None = None
) -> int:
    """Record that these notifications go out by email (at ``at``, default now);
    returns how many were still pending.

    Callers claim before sending: of two runs racing, only the one whose update
    changed a row sends it.
    """
    return Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).update(
        emailed_at=at or timezone.now()
    )


def notification_unmark_emailed(*, notification_ids: Iterable[int], at: datetime) -> int:
    """Undo ``notification_mark_emailed(at=at)`` when sending failed, so a later run retries."""
    return Notification.objects.filter(pk__in=notification_ids, emailed_at=at).update(
        emailed_at=None
    )


def notification_mark_read(*, user: AbstractUser, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s notifications read; returns it, or None if it is not theirs."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: AbstractUser) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: AbstractUser, kind: str, email: str) -> NotificationPreference:
    """Set how ``user`` gets ``kind`` by email (an ``EmailDelivery``); returns the preference."""
    if kind not in NotificationKind.values or email not in EmailDelivery.values:
        raise ValueError(f"Unknown notification kind or delivery: {kind!r}, {email!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email}
    )
    return preference


def preferences_unsubscribe(*, user: AbstractUser, kind: str) -> list[str]:
    """Turn email off for ``kind``, or with ``DIGEST`` for every kind now sent in the digest.

    What the one-click unsubscribe link does; returns the kinds switched off.
    """
    if kind == DIGEST:
        kinds = [k for k, _label, email in email_preferences(user=user) if email == "daily"]
    else:
        kinds = [kind]
    for each in kinds:
        preference_set(user=user, kind=each, email=EmailDelivery.OFF)
    return kinds
