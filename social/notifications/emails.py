"""Notification emails: what they say, and their signed one-click unsubscribe links.

Every email names one kind (or, for the digest, "digest": every kind the
member gets in it) in a signed, timestamped token. The same URL is the body
link and the ``List-Unsubscribe`` target that mail clients POST to (RFC 8058):
GET asks, POST switches that kind's email off. Emails use public display
names only and absolute links from ``settings.KINDRED_BASE_URL``.
"""

from datetime import timedelta

from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.selectors import primary_email
from moderation.notifications import site_url
from social.models import NotificationKind

from .services import DIGEST

UNSUBSCRIBE_SALT = "social.notifications.unsubscribe"
# Old emails stop working as unsubscribe links after this; the next brings a fresh one.
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)
TOKEN_KINDS = (*NotificationKind.values, DIGEST)


def unsubscribe_token(*, user_id, kind):
    """A signed, timestamped token naming one member and one kind (or ``DIGEST``)."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """``(user_id, kind)`` from a token made here within ``UNSUBSCRIBE_MAX_AGE``, else None."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in TOKEN_KINDS:
        return None
    return user_id, kind


def unsubscribe_url(*, user_id, kind):
    """The absolute one-click unsubscribe link for one member and one kind."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return site_url(reverse("notifications:unsubscribe", args=[token]))


def absolute(url):
    """``url`` made absolute on the public address (page urls may already be)."""
    if not url:
        return ""
    return site_url(url) if url.startswith("/") else url


def one_line(text):
    # A newline in a subject would break the header.
    return " ".join(text.split())


def unsubscribe_headers(url):
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def notification_email(*, recipient, entry):
    """The email for one notification ``entry`` (a ``selectors.NotificationEntry``)."""
    kind = entry.kind
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=kind)
    context = {
        "recipient": recipient,
        "entry": entry,
        "link": absolute(entry.target_url or entry.url),
        "kind_label": NotificationKind(kind).label,
        "unsubscribe_url": unsubscribe,
        "settings_url": site_url(reverse("notifications:settings")),
    }
    return EmailMessage(
        subject=one_line(f"[Kindred] {entry.text}"),
        body=render_to_string("social/notifications/emails/notification.txt", context),
        to=[primary_email(recipient)],
        headers=unsubscribe_headers(unsubscribe),
    )


def digest_email(*, recipient, entries):
    """One email listing ``entries``, grouped by kind, with an unsubscribe link per kind."""
    groups = []
    for kind, label in NotificationKind.choices:
        items = [
            {"text": entry.text, "link": absolute(entry.target_url or entry.url)}
            for entry in entries
            if entry.kind == kind
        ]
        if items:
            groups.append(
                {
                    "label": label,
                    "items": items,
                    "unsubscribe_url": unsubscribe_url(user_id=recipient.pk, kind=kind),
                }
            )
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=DIGEST)
    context = {
        "recipient": recipient,
        "groups": groups,
        "count": len(entries),
        "unsubscribe_url": unsubscribe,
        "list_url": site_url(reverse("notifications:list")),
        "settings_url": site_url(reverse("notifications:settings")),
    }
    count = len(entries)
    return EmailMessage(
        subject=f"[Kindred] Your daily digest: {count} new notification{'s' if count != 1 else ''}",
        body=render_to_string("social/notifications/emails/digest.txt", context),
        to=[primary_email(recipient)],
        headers=unsubscribe_headers(unsubscribe),
    )
