"""The visitor rater's browser token: a random id in a signed, HttpOnly cookie.

A visitor who rates without an account is known by this token only: one
rating per token per item. The cookie holds 256 random bits and Django's
signature, so it reveals nothing about the visitor and cannot be forged or
edited into another browser's id. The database stores only a hash of the id
(``ratings.services.anonymous_key_for``).

A request's token is in one of three states: absent (a first-time visitor,
who is given a token along with their first vote), valid, or invalid
(present but tampered, expired, signed for something else or malformed),
which the rating endpoint refuses with a 400 and removes.
"""

import re
import secrets

from django.http import HttpRequest, HttpResponseBase

BROWSER_COOKIE = "kindred_rater"
BROWSER_COOKIE_SALT = "ratings.browser"
BROWSER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# What ``secrets.token_urlsafe(32)`` produces; anything else is refused even
# if signed, so a future change of format cannot smuggle odd keys in.
BROWSER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_browser_id() -> str:
    """A fresh random browser id (256 bits)."""
    return secrets.token_urlsafe(32)


def browser_id(request: HttpRequest) -> str | None:
    """The id in the request's signed rater cookie, or None if absent, tampered or malformed."""
    value = request.get_signed_cookie(
        BROWSER_COOKIE, default=None, salt=BROWSER_COOKIE_SALT, max_age=BROWSER_COOKIE_MAX_AGE
    )
    if value is None or not BROWSER_ID_PATTERN.fullmatch(value):
        return None
    return value


def browser_token_is_invalid(request: HttpRequest) -> bool:
    """True when the request carries a rater cookie that does not verify.

    An empty cookie counts as none: it is what a removed cookie looks like to
    a client that keeps the name after the removal.
    """
    return bool(request.COOKIES.get(BROWSER_COOKIE)) and browser_id(request) is None


def set_browser_cookie(response: HttpResponseBase, raw_id: str, *, secure: bool) -> None:
    """Give the browser its signed, long-lived, HttpOnly, SameSite=Lax rater cookie."""
    response.set_signed_cookie(
        BROWSER_COOKIE,
        raw_id,
        salt=BROWSER_COOKIE_SALT,
        max_age=BROWSER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def delete_browser_cookie(response: HttpResponseBase) -> None:
    """Remove an invalid rater cookie, so the browser's next vote starts afresh."""
    response.delete_cookie(BROWSER_COOKIE, samesite="Lax")
