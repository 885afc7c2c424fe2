"""Notices about replies in threads a member takes part in, and their one-click mute links.

A visible reply is announced to the other authors of visible comments in its
thread (the comment on the page and the replies under it), through a
django-tasks task queued once the posting transaction commits. Each of them
gets a notification on the site (``social.notifications``, kind
"comment_reply") and, by their preference for that kind, this email at once,
a line in the daily digest, or nothing. Each email carries a signed link that
mutes that thread for that member only: the same URL is the
``List-Unsubscribe`` target that mail clients POST to (RFC 8058). It also
links to switching reply emails off altogether. A muted thread gets nothing,
on the site or by email.
"""

from functools import partial

from django.contrib.auth.models import AbstractUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from wagtail.models import Page

from django_tasks import task

from core.emails import TOKEN_MAX_AGE, LinkToken, email_build, site_url
from core.i18n import language_for
from core.mail import email_queue, primary_email
from social.models import EmailDelivery, MemberBlock
from social.notifications.emails import unsubscribe_url
from social.notifications.selectors import NotificationEntry, fill_actor
from social.notifications.services import notification_mark_emailed, notify_comment_reply

from .models import PageComment
from .selectors import VISIBLE, readable_page, thread_recipients

MUTE_SALT = "discussion.thread-mute"
# Old emails stop working as mute links after this; a later email brings a fresh one.
MUTE_MAX_AGE = TOKEN_MAX_AGE
MUTE = LinkToken(salt=MUTE_SALT, max_age=MUTE_MAX_AGE)


def mute_token(*, user_id: int, thread_id: int) -> str:
    """A signed, timestamped token naming one member and one thread."""
    return MUTE.make({"u": user_id, "t": thread_id})


def read_mute_token(token: object) -> tuple[int, int] | None:
    """``(user_id, thread_id)`` from a token made here within ``MUTE_MAX_AGE``, else None."""
    data = MUTE.read(token)
    if data is None:
        return None
    user_id, thread_id = data.get("u"), data.get("t")
    if not isinstance(user_id, int) or not isinstance(thread_id, int):
        return None
    return user_id, thread_id


def mute_url(*, user_id: int, thread_id: int) -> str:
    """The absolute mute link for one member and one thread."""
    token = mute_token(user_id=user_id, thread_id=thread_id)
    return site_url(reverse("discussion:mute", args=[token]))


def _reply_email(
    *, recipient: AbstractUser, comment: PageComment, title: str, kind: str
) -> EmailMessage:
    """The email about ``comment`` to ``recipient``, muting this thread in one click."""
    unsubscribe = mute_url(user_id=recipient.pk, thread_id=comment.thread_id)
    context = {
        "recipient": recipient,
        "replier": comment.author_name,
        "title": title,
        "text": comment.comment,
        "comment_url": site_url(reverse("discussion:permalink", args=[comment.pk])),
        "mute_url": unsubscribe,
        "unsubscribe_kind_url": unsubscribe_url(user_id=recipient.pk, kind=kind),
    }
    return email_build(
        template="discussion/emails/reply",
        context=context,
        to=primary_email(recipient),
        language=language_for(recipient),
        unsubscribe_url=unsubscribe,
    )


def reply_notify(comment: PageComment) -> None:
    """Queue the emails about ``comment`` (a visible reply) for after the current transaction."""
    transaction.on_commit(partial(send_reply_notifications.enqueue, comment.pk))


@task(backend="background")
def send_reply_notifications(comment_id: int) -> int:
    """Notify each participant of the reply's thread (see ``thread_recipients``) on the
    site, and email those whose reply preference is "immediate"; returns how many emails.

    Nobody hears anything if the reply is no longer visible; a recipient who
    can no longer read its page, or who blocked the replier, is left out.
    """
    comment = PageComment.objects.filter(VISIBLE, pk=comment_id).select_related("user").first()
    if comment is None or comment.level == 0 or comment.page_id is None:
        return 0
    blocked_by = MemberBlock.objects.filter(blocked_id=comment.user_id).values("blocker_id")
    readers = {}
    for recipient in thread_recipients(comment=comment).exclude(pk__in=blocked_by):
        page = readable_page(user=recipient, page_id=comment.page_id)
        if page is not None:
            readers[recipient.pk] = (recipient, page)
    delivered = notify_comment_reply(
        comment=comment, recipients=[recipient for recipient, _page in readers.values()]
    )
    sent = 0
    for notification, delivery in delivered:
        if delivery != EmailDelivery.IMMEDIATE:
            continue
        recipient, page = readers[notification.recipient_id]
        message = _reply_email(
            recipient=recipient, comment=comment, title=page.title, kind=notification.kind
        )
        # Into the outbox with its notification marked emailed, in one
        # transaction: the outbox retries while the mail server is down, and
        # this task, run again after its worker died, queues nothing twice
        # (one reply, one recipient, one email).
        with transaction.atomic():
            notification_mark_emailed(notification_ids=[notification.pk])
            if email_queue(message=message, key=f"reply:{comment.pk}:{recipient.pk}"):
                sent += 1
    return sent


def reply_entries(
    *, user: AbstractUser, entries: list[NotificationEntry], readable: dict[int, Page]
) -> None:
    """Resolve "comment_reply" notifications for ``user`` (the ``kindred_notification_kinds``
    hook, registered in ``wagtail_hooks``): available while the page is readable and the
    reply visible; one query for every reply."""
    comment_ids = {entry.notification.comment_id for entry in entries}
    comment_ids.discard(None)
    visible = set()
    if comment_ids:
        visible = set(
            PageComment.objects.filter(VISIBLE, pk__in=comment_ids).values_list("pk", flat=True)
        )
    for entry in entries:
        notification = entry.notification
        page = readable.get(notification.page_id)
        if page is None or notification.comment_id not in visible:
            entry.available = False
            continue
        fill_actor(entry, user=user, actor=notification.actor)
        entry.title, entry.url = page.title, page.url or ""
        entry.target_url = reverse("discussion:permalink", args=[notification.comment_id])
