"""Browsers that have signed in to an account before ("trusted devices", issue 10, finding 5).

Failed sign-ins are limited per account (30 an hour), whoever makes them, so
that a guesser spread over many addresses gets nowhere. Counted alone, that
limit let anyone lock a member out by failing 30 times with their address.
So each browser that completes a sign-in gets a signed cookie naming the
accounts it signed in to (as keyed digests, never the addresses themselves).
An attempt from such a browser for one of those accounts is counted in a
bucket of its own (per account and browser), not in the account's shared
one: strangers can use up the shared allowance, never the owner's. (This is
OWASP's "device cookie" defence against lock-out.)

The cookie is not a credential: it only decides which counter an attempt uses;
the password is checked as always. It is sent only to /accounts/.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from allauth.account.models import EmailAddress

COOKIE_NAME = "kindred_device"
COOKIE_PATH = "/accounts/"
# Refreshed at every sign-in; a browser unused this long is a stranger again.
MAX_AGE = 180 * 24 * 60 * 60
# A shared family computer signs in to a few accounts; more is not kept.
MAX_ACCOUNTS = 8
# Signed data this long is not a cookie we wrote.
MAX_COOKIE_LENGTH = 2048
_SALT = "accounts.devices"


def login_digest(login):
    """A keyed digest of a login (address or username), as the cookie holds it."""
    return salted_hmac(_SALT, login.strip().lower()).hexdigest()[:16]


def _read(request):
    value = request.COOKIES.get(COOKIE_NAME, "")
    if not value or len(value) > MAX_COOKIE_LENGTH:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    device, logins = data.get("d"), data.get("l")
    if not isinstance(device, str) or not isinstance(logins, list):
        return None
    return device, [digest for digest in logins if isinstance(digest, str)]


def trusted_device(request, login):
    """This browser's id if it has signed in to the account ``login`` names, else ``None``.

    No database query: the cookie holds digests of every login (address or
    username) of the accounts it signed in to.
    """
    if not isinstance(login, str) or not login:
        return None
    cookie = _read(request)
    if cookie is None:
        return None
    device, logins = cookie
    return device if login_digest(login) in logins else None


def device_trust(request, response, user):
    """Remember on ``response`` that this browser signed in to ``user``'s account.

    Every login of the account is recorded (username and each address), so
    the owner may type either next time. One query (the addresses).
    """
    cookie = _read(request)
    device, logins = cookie if cookie else (secrets.token_urlsafe(16), [])
    mine = [login_digest(user.username)] + [
        login_digest(email)
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    ]
    logins = list(dict.fromkeys(mine + [digest for digest in logins if digest not in mine]))
    # Keep the most recent accounts' digests (each account has a few).
    logins = logins[: MAX_ACCOUNTS * 3]
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps({"d": device, "l": logins}, salt=_SALT, compress=True),
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
