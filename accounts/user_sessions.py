"""A member's own sessions: the list they see, ending one, ending all the others.

The sessions themselves are allauth's (``allauth.usersessions``: one
``UserSession`` row per signed-in browser, made at sign-in; ``accounts.idle``
keeps its "last seen" and address current). Kindred reads them here rather
than through allauth's list view, which checks each row against the session
store one by one (three queries a session): this list costs two queries
whatever the number of sessions.
"""

import re
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from allauth.usersessions.adapter import get_adapter
from allauth.usersessions.models import UserSession

from accounts import idle

# (pattern, name), first match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Version/[\d.]+.*Safari/"), "Safari"),
)
SYSTEMS = (
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Macintosh|Mac OS X"), "macOS"),
    (re.compile(r"Linux"), "Linux"),
)


def device_name(user_agent: str) -> str:
    """A browser's own description, shortened to what people recognise: "Firefox on Windows"."""
    browser = next((name for pattern, name in BROWSERS if pattern.search(user_agent)), None)
    system = next((name for pattern, name in SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("An unknown browser")


@dataclass(frozen=True)
class SessionRow:
    """One signed-in browser as the sessions page shows it."""

    id: int
    device: str
    user_agent: str
    ip: str
    signed_in_at: datetime
    last_seen_at: datetime
    is_current: bool


def _session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _still_signed_in(data: dict, *, user, session_key: str, now: float) -> bool:
    """Whether a stored session's ``data`` would still let ``user`` in.

    As ``django.contrib.auth.get_user`` decides, plus Kindred's session limits.
    """
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    session_hash = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not any(constant_time_compare(session_hash, known) for known in hashes):
        return False  # the password changed since: Django signs this session out
    stamp = data.get(idle.SESSION_STAMP)
    if idle.is_stamp_of(stamp, session_key):
        return idle.expired(stamp, now=now) is None
    return True


def _live_keys(*, user, keys: list[str]) -> set[str]:
    """Which of ``keys`` are sessions ``user`` is still signed in with: one query."""
    store_class = _session_store_class()
    if not keys:
        return set()
    now = time.time()
    if not hasattr(store_class, "get_model_class"):
        # Cache sessions: no table to read at once, so load them one by one.
        return {
            key
            for key in keys
            if _still_signed_in(store_class(key).load(), user=user, session_key=key, now=now)
        }
    store = store_class()
    rows = (
        store_class.get_model_class()
        .objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
    )
    return {
        key
        for key, data in rows
        if _still_signed_in(store.decode(data), user=user, session_key=key, now=now)
    }


def user_sessions_list(*, user, current_key: str | None) -> list[SessionRow]:
    """``user``'s signed-in sessions, the current one first, then the most recently seen.

    Rows whose session has ended (signed out, expired, password changed) are
    deleted on the way. Two queries whatever the number of sessions, three
    when some had ended.
    """
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    live = _live_keys(user=user, keys=[session.session_key for session in sessions])
    ended = [session.pk for session in sessions if session.session_key not in live]
    if ended:
        UserSession.objects.filter(pk__in=ended).delete()
    rows = [
        SessionRow(
            id=session.pk,
            device=device_name(session.user_agent),
            user_agent=session.user_agent,
            ip=session.ip,
            signed_in_at=session.created_at,
            last_seen_at=session.last_seen_at,
            is_current=session.session_key == current_key,
        )
        for session in sessions
        if session.session_key in live
    ]
    rows.sort(key=lambda row: (not row.is_current, -row.last_seen_at.timestamp()))
    return rows


def user_session_end(*, user, session_id: int, current_key: str | None) -> bool:
    """End ``user``'s session ``session_id``: that browser is signed out at its next request.

    False when ``user`` has no such session, whoever else's it may be, and for
    the current session (signing out is the way to end that one).
    """
    session = (
        UserSession.objects.filter(pk=session_id, user_id=user.pk)
        .exclude(session_key=current_key or "")
        .first()
    )
    if session is None:
        return False
    get_adapter().end_sessions([session])
    return True


def user_sessions_end_others(*, user, current_key: str | None) -> int:
    """End every session of ``user`` but the current one; how many were ended."""
    sessions = list(
        UserSession.objects.filter(user_id=user.pk).exclude(session_key=current_key or "")
    )
    get_adapter().end_sessions(sessions)
    return len(sessions)
