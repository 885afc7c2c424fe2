"""Notification emails: what they say, and their signed one-click unsubscribe links.

Every email names one kind (or, for the digest, "digest": every kind the
member gets in it) in a signed, timestamped token (``core.emails.LinkToken``,
the one unsubscribe mechanism). The same URL is the body link and the
``List-Unsubscribe`` target that mail clients POST to (RFC 8058): GET asks,
POST switches that kind's email off. Emails are built by
``core.emails.email_build`` on the one base template, use public display
names only and absolute links from ``settings.KINDRED_BASE_URL``.
"""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.mail import EmailMessage
from django.urls import reverse

from wagtail.models import Page, TaskState

from core.emails import TOKEN_MAX_AGE, LinkToken, absolute, email_build, page_link, site_url
from core.i18n import language_for
from core.mail import primary_email
from social.models import NotificationKind, kind_label

from .selectors import NotificationEntry
from .services import DIGEST

UNSUBSCRIBE_SALT = "social.notifications.unsubscribe"
# Old emails stop working as unsubscribe links after this; the next brings a fresh one.
UNSUBSCRIBE_MAX_AGE = TOKEN_MAX_AGE
UNSUBSCRIBE = LinkToken(salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
TOKEN_KINDS = (*NotificationKind.values, DIGEST)

# The outcomes of a review decision, as the email template names them.
APPROVED = "approved"
PUBLISHED = "published"
CHANGES_REQUESTED = "changes requested"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed, timestamped token naming one member and one kind (or ``DIGEST``)."""
    return UNSUBSCRIBE.make({"u": user_id, "k": kind})


def read_unsubscribe_token(token: object) -> tuple[int, str] | None:
    """``(user_id, kind)`` from a token made here within ``UNSUBSCRIBE_MAX_AGE``, else None."""
    data = UNSUBSCRIBE.read(token)
    if data is None:
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in TOKEN_KINDS:
        return None
    return user_id, kind


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute one-click unsubscribe link for one member and one kind."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return site_url(reverse("notifications:unsubscribe", args=[token]))


def notification_email(*, recipient: AbstractUser, entry: NotificationEntry) -> EmailMessage:
    """The email for one notification ``entry`` (a ``selectors.NotificationEntry``)."""
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=entry.kind)
    context = {
        "recipient": recipient,
        "entry": entry,
        "link": absolute(entry.target_url or entry.url),
        "kind_label": kind_label(entry.kind),
        "unsubscribe_url": unsubscribe,
        "settings_url": site_url(reverse("notifications:settings")),
    }
    return email_build(
        template="social/notifications/emails/notification",
        context=context,
        to=primary_email(recipient),
        language=language_for(recipient),
        unsubscribe_url=unsubscribe,
    )


def digest_email(*, recipient: AbstractUser, entries: list[NotificationEntry]) -> EmailMessage:
    """One email listing ``entries``, grouped by kind, with an unsubscribe link per kind."""
    groups = []
    for kind in NotificationKind.values:
        items = [
            {"text": entry.text, "link": absolute(entry.target_url or entry.url)}
            for entry in entries
            if entry.kind == kind
        ]
        if items:
            groups.append(
                {
                    "label": kind_label(kind),
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
    return email_build(
        template="social/notifications/emails/digest",
        context=context,
        to=primary_email(recipient),
        language=language_for(recipient),
        unsubscribe_url=unsubscribe,
    )


def review_decision_email(
    *, author: AbstractUser, page: Page, task_state: TaskState, outcome: str, comment: str
) -> EmailMessage:
    """The email telling ``author`` what was decided at ``task_state`` about ``page``.

    ``comment`` is what the reviewer wrote for the author ("" when the step's
    note is meant for the next reviewer: ``ReviewTask.comment_reaches_author``).
    """
    unsubscribe = unsubscribe_url(user_id=author.pk, kind=NotificationKind.REVIEW_DECISION)
    context: dict[str, Any] = {
        "recipient": author,
        "title": page.draft_title or page.title,
        "outcome": outcome,
        "step": task_state.task.name,
        "comment": comment,
        "page_url": page_link(page) if page.live else "",
        "contributions_url": site_url(reverse("authoring:contributions")),
        "admin_url": (
            site_url(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
            if author.has_perm("wagtailadmin.access_admin")
            else ""
        ),
        "unsubscribe_url": unsubscribe,
    }
    # Addressed as before: the account's address, which allauth keeps equal
    # to the primary one.
    return email_build(
        template="emails/review_decision",
        context=context,
        to=author.email,
        language=language_for(author),
        unsubscribe_url=unsubscribe,
    )
