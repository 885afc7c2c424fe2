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

from datetime import timedelta
from functools import partial

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from django_tasks import task

from accounts.selectors import primary_email
from core.mail import email_queue
from moderation.notifications import site_url

from .models import PageComment
from .selectors import VISIBLE, readable_page, thread_recipients

MUTE_SALT = "discussion.thread-mute"
# Old emails stop working as mute links after this; a later email brings a fresh one.
MUTE_MAX_AGE = timedelta(days=60)


def mute_token(*, user_id, thread_id):
    """A signed, timestamped token naming one member and one thread."""
    return signing.dumps({"u": user_id, "t": thread_id}, salt=MUTE_SALT)


def read_mute_token(token):
    """``(user_id, thread_id)`` from a token made here within ``MUTE_MAX_AGE``, else None."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=MUTE_SALT, max_age=MUTE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user_id, thread_id = data.get("u"), data.get("t")
    if not isinstance(user_id, int) or not isinstance(thread_id, int):
        return None
    return user_id, thread_id


def mute_url(*, user_id, thread_id):
    """The absolute mute link for one member and one thread."""
    token = mute_token(user_id=user_id, thread_id=thread_id)
    return site_url(reverse("discussion:mute", args=[token]))


def reply_notify(comment):
    """Queue the emails about ``comment`` (a visible reply) for after the current transaction."""
    transaction.on_commit(partial(send_reply_notifications.enqueue, comment.pk))


@task(backend="background")
def send_reply_notifications(comment_id):
    """Notify each participant of the reply's thread (see ``thread_recipients``) on the
    site, and email those whose reply preference is "immediate"; returns how many emails.

    Nobody hears anything if the reply is no longer visible; a recipient who
    can no longer read its page, or who blocked the replier, is left out.
    """
    from social.models import EmailDelivery, MemberBlock
    from social.notifications.emails import unsubscribe_url
    from social.notifications.services import notification_mark_emailed, notify_comment_reply

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
        unsubscribe = mute_url(user_id=recipient.pk, thread_id=comment.thread_id)
        context = {
            "recipient": recipient,
            "replier": comment.author_name,
            "title": page.title,
            "text": comment.comment,
            "comment_url": site_url(reverse("discussion:permalink", args=[comment.pk])),
            "mute_url": unsubscribe,
            "unsubscribe_kind_url": unsubscribe_url(user_id=recipient.pk, kind=notification.kind),
        }
        message = EmailMessage(
            # One line whatever the names hold: a newline would break the header.
            subject=" ".join(
                render_to_string("discussion/emails/reply_subject.txt", context).split()
            ),
            body=render_to_string("discussion/emails/reply.txt", context),
            to=[primary_email(recipient)],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
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
