"""Why someone is on the sign-in page: the members-only page they were sent from.

Django's ``login_required`` sends people to the sign-in page with ``?next=``
and nothing else. A new member who has not confirmed their address cannot sign
in yet, so without a word they would not know why /write/ keeps bouncing. The
sign-in page names the page they wanted, from a fixed list of texts: nothing
from ``next`` itself is ever shown, and only paths that resolve to one of our
own members-only views get a specific text (anything else local gets a generic
one, and a ``next`` leading off the site gets none).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop

GENERIC_REASON = gettext_noop("Sign in to continue to the page you asked for.")
JUST_JOINED = gettext_noop("Just joined? Confirm your address first: we sent you a link.")
# Longer than any address of ours; anything beyond is not worth resolving.
NEXT_MAX_LENGTH = 2000

_WRITE = gettext_noop("Sign in to write.")
_CONTRIBUTIONS = gettext_noop("Sign in to see your contributions.")
_NOTIFICATIONS = gettext_noop("Sign in to see your notifications.")
_ACCOUNT = gettext_noop("Sign in to see your account.")
# Reached from the confirmation link in another browser: the address is
# confirmed already, so no hint about confirming.
_WELCOME = gettext_noop("Sign in to finish setting up your account.")

# Resolved view name -> what the page is for, in words.
REASONS = {
    "authoring:write": _WRITE,
    "authoring:write_new": _WRITE,
    "authoring:contributions": _CONTRIBUTIONS,
    "authoring:edit": _CONTRIBUTIONS,
    "authoring:preview": _CONTRIBUTIONS,
    "authoring:submit": _CONTRIBUTIONS,
    "authoring:withdraw": _CONTRIBUTIONS,
    "social:feed": gettext_noop("Sign in to see your feed."),
    "social:people": gettext_noop("Sign in to see people like you."),
    "social:profile_edit": gettext_noop("Sign in to edit your profile."),
    "social:blocked_and_muted": gettext_noop("Sign in to manage whom you block and mute."),
    "notifications:list": _NOTIFICATIONS,
    "notifications:open": _NOTIFICATIONS,
    "notifications:mark_all_read": _NOTIFICATIONS,
    "notifications:settings": _NOTIFICATIONS,
    "accounts:account": _ACCOUNT,
    "accounts:consent_give": _ACCOUNT,
    "accounts:health_data_withdraw": _ACCOUNT,
}
WELCOME_VIEWS = {"accounts:welcome", "accounts:welcome_visibility", "accounts:welcome_start"}


@dataclass(frozen=True)
class SignInReason:
    """What the sign-in page says above the form: the page wanted, then a hint."""

    headline: str
    hint: str = JUST_JOINED


def local_next(next_url):
    """``next_url`` if it is an address on this site (a path), else ``None``.

    Refused: anything that is not a string, empty or longer than
    ``NEXT_MAX_LENGTH``; another host, a scheme, and the ``//`` or ``/\\``
    tricks browsers read as another host. No database query.
    """
    if not isinstance(next_url, str) or not next_url or len(next_url) > NEXT_MAX_LENGTH:
        return None
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return None
    if not urlsplit(next_url).path.startswith("/"):
        return None
    return next_url


def sign_in_reason(next_url):
    """The ``SignInReason`` for a sign-in page reached with ``next_url``, or ``None``.

    ``None`` when there is no ``next`` or it leads off the site (another
    host, a scheme, ``//`` or ``/\\`` tricks): such a ``next`` is not followed
    anyway. A local path gets the text for the view it resolves to, or the
    generic text. No database query.
    """
    if local_next(next_url) is None:
        return None
    path = urlsplit(next_url).path
    try:
        match = resolve(path)
    except Resolver404:
        return SignInReason(gettext(GENERIC_REASON), gettext(JUST_JOINED))
    if match.view_name in WELCOME_VIEWS:
        return SignInReason(gettext(_WELCOME), hint="")
    return SignInReason(gettext(REASONS.get(match.view_name, GENERIC_REASON)), gettext(JUST_JOINED))
