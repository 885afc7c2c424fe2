"""Building Kindred's emails: the one place that knows the site's address and how an email is made.

Every email a feature sends is made here and stored by ``core.mail.email_queue``
(the outbox), whose one background task, ``email_deliver``, sends it:

- ``site_url`` turns a path into a link on the public address
  (``settings.KINDRED_BASE_URL``), never a request's Host or Wagtail's Site row;
- ``email_build`` renders ``<template>_subject.txt`` (on one line) and
  ``<template>.txt`` (which extends ``emails/base.txt``: the greeting and the
  signature) and adds the one-click unsubscribe headers;
- ``LinkToken`` is the one unsubscribe mechanism: a signed, timestamped token
  naming who and what (a kind of notification, a thread), carried in the
  body link and in ``List-Unsubscribe``, which mail clients POST to (RFC 8058).

The core knows no feature: each feature names its own template, its own
token salt and the page its link opens.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from wagtail.models import Page

# A token longer than this was not made here; refused before any cryptography.
TOKEN_MAX_LENGTH = 200
# Old emails stop working as unsubscribe links after this; a later email brings a fresh one.
TOKEN_MAX_AGE = timedelta(days=60)


def site_url(path: str) -> str:
    """``path`` (from ``reverse``) as an absolute link on the public address, for emails.

    ``KINDRED_BASE_URL`` is where the site is served (`make run` sets it from
    HOST and PORT); every email builds its links from it, never from a
    request's Host or a fixed address.
    """
    return settings.KINDRED_BASE_URL.rstrip("/") + path


def absolute(url: str) -> str:
    """``url`` made absolute on the public address (page urls may already be); "" stays ""."""
    if not url:
        return ""
    return site_url(url) if url.startswith("/") else url


def page_link(page: Page) -> str:
    """The absolute link to ``page`` on the public address, or "" if it has no address.

    Built from the page's path, not ``page.full_url``: that comes from
    Wagtail's Site row, which is only as current as the last `setup_portal`.
    """
    url_parts = page.get_url_parts()
    return site_url(url_parts[2]) if url_parts else ""


def one_line(text: str) -> str:
    """``text`` on one line: a newline in a subject would break the header."""
    return " ".join(text.split())


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The one-click unsubscribe headers (RFC 2369 and RFC 8058) for ``url``."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@dataclass(frozen=True)
class LinkToken:
    """A signed, timestamped token for an email's one-click link, under one ``salt``.

    The salt keeps each feature's tokens apart (a thread's mute token cannot
    unsubscribe from a kind). Tokens made before the mail pipeline was one
    (the same salts, the same payloads) are read as before.
    """

    salt: str
    max_age: timedelta = TOKEN_MAX_AGE

    def make(self, payload: dict[str, Any]) -> str:
        """A token for ``payload`` (a small dict of ids and names)."""
        return signing.dumps(payload, salt=self.salt)

    def read(self, token: object) -> dict[str, Any] | None:
        """The payload of a token made here within ``max_age``, else None (never raises)."""
        if not isinstance(token, str) or len(token) > TOKEN_MAX_LENGTH:
            return None
        try:
            data = signing.loads(token, salt=self.salt, max_age=self.max_age)
        except signing.BadSignature:  # includes SignatureExpired
            return None
        return data if isinstance(data, dict) else None


def email_build(
    *,
    template: str,
    context: dict[str, Any],
    to: str,
    unsubscribe_url: str,
    language: str | None = None,
) -> EmailMessage:
    """The email made from ``template`` (``<template>_subject.txt`` and ``<template>.txt``).

    ``unsubscribe_url`` is the one-click link the body also shows; it goes in
    the ``List-Unsubscribe`` headers. ``language`` is the recipient's
    (``core.i18n.language_for(user)``; issue 18): subject, body, dates and
    plurals are rendered in it, whatever language the request or the worker
    that builds the email has active. Store the result with
    ``core.mail.email_queue``.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        headers=unsubscribe_headers(unsubscribe_url),
    )
