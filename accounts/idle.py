"""Signed-in sessions end when idle, and after a fixed length whatever happens.

Staff (anyone who can open the Wagtail admin) read members' unpublished
health disclosures, so a forgotten admin tab on a shared computer must not
stay open: their sessions end after ``KINDRED_SESSION_LIMITS["staff"]``
(30 minutes idle, 12 hours at most). Members get a longer leash
(``KINDRED_SESSION_LIMITS["member"]``: 14 days idle, 30 days at most).

What the middleware keeps in the session (under ``SESSION_STAMP``):
``signed_in`` and ``seen`` (epoch seconds), whether the person was staff when
last seen, and the session key the stamp belongs to. Signing in cycles the
session key, so a new sign-in always starts a new stamp.

The stamp is rewritten at most once every ``KINDRED_SESSION_TOUCH_SECONDS``
(a minute), not on every request: a modified session is a database write and
a ``Set-Cookie`` on every page view, which would queue writers on SQLite and
make every response uncacheable. The price is that "idle" is measured to the
minute (a 30 minute limit ends a session 30 to 31 minutes after the last
request), which no one can notice. The same touch records "last seen" on the
member's list of sessions (``allauth.usersessions``), instead of allauth's
own middleware that writes on every request.
"""

import time
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.usersessions.models import UserSession

from core import roles

SESSION_STAMP = "kindred_session"

# The reviewers' groups keep the short sessions even should a group lose its
# ``access_admin`` permission. Experts are not among them: they write on the
# site like members (authoring), and an article takes longer than 30
# minutes to write; an expert who can open the admin is staff all the same.
STAFF_GROUPS = (roles.EDITORS, roles.MEDICAL_REVIEWERS)
ADMIN_APP, ADMIN_CODENAME = "wagtailadmin", "access_admin"

IDLE = "idle"
ABSOLUTE = "absolute"


def is_staff(user) -> bool:
    """Whether ``user`` gets the staff limits: Django staff, a superuser, admin
    access (their own or a group's), or a reviewers' group.

    One query, at sign-in and then once a minute at most. Not ``has_perm``: it
    would cache the answer on ``user``, the very object the caller holds.
    """
    if user.is_staff or user.is_superuser:
        return True
    admin_access = Q(permissions__content_type__app_label=ADMIN_APP) & Q(
        permissions__codename=ADMIN_CODENAME
    )
    own_access = Q(user_permissions__content_type__app_label=ADMIN_APP) & Q(
        user_permissions__codename=ADMIN_CODENAME
    )
    in_group = Group.objects.filter(Q(name__in=STAFF_GROUPS) | admin_access, user=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(Exists(in_group)) | own_access)
        .exists()
    )


def staff_limits_apply(request) -> bool:
    """Whether the staff limits apply to ``request``'s session: as its stamp says (no query)."""
    stamp = request.session.get(SESSION_STAMP)
    if is_stamp_of(stamp, request.session.session_key):
        return stamp["staff"]
    return is_staff(request.user)


def limits_for(*, staff: bool) -> dict:
    """``{"idle": seconds, "absolute": seconds}`` for staff or members."""
    return settings.KINDRED_SESSION_LIMITS["staff" if staff else "member"]


def describe(seconds: int) -> str:
    """A duration as people say it: "30 minutes", "12 hours", "14 days"."""
    units = (
        (86400, lambda n: ngettext("%(count)d day", "%(count)d days", n)),
        (3600, lambda n: ngettext("%(count)d hour", "%(count)d hours", n)),
        (60, lambda n: ngettext("%(count)d minute", "%(count)d minutes", n)),
    )
    for length, words in units:
        if seconds >= length and seconds % length == 0:
            count = seconds // length
            return words(count) % {"count": count}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def sign_out_reason(*, reason: str, staff: bool) -> str:
    """What the sign-in page tells someone whose session just ended."""
    limits = limits_for(staff=staff)
    if reason == IDLE:
        return _("You were signed out after %(idle)s without activity. Please sign in again.") % {
            "idle": describe(limits[IDLE])
        }
    if staff:
        sentence = _(
            "You were signed out because sessions for staff accounts last at most "
            "%(absolute)s. Please sign in again."
        )
    else:
        sentence = _(
            "You were signed out because sessions for accounts last at most "
            "%(absolute)s. Please sign in again."
        )
    return sentence % {"absolute": describe(limits[ABSOLUTE])}


def limits_summary(*, staff: bool) -> str:
    """The limits in a sentence, for the sessions page."""
    limits = limits_for(staff=staff)
    if staff:
        sentence = _(
            "As a member of staff, you are signed out after %(idle)s without activity, "
            "and %(absolute)s after signing in."
        )
    else:
        sentence = _(
            "You are signed out after %(idle)s without activity, and %(absolute)s after signing in."
        )
    return sentence % {"idle": describe(limits[IDLE]), "absolute": describe(limits[ABSOLUTE])}


def expired(stamp: dict, *, now: float) -> str | None:
    """``IDLE`` or ``ABSOLUTE`` if the session ``stamp`` describes has run out, else ``None``."""
    limits = limits_for(staff=stamp["staff"])
    if now - stamp["seen"] > limits[IDLE]:
        return IDLE
    if now - stamp["signed_in"] > limits[ABSOLUTE]:
        return ABSOLUTE
    return None


def wants_json(request) -> bool:
    """Whether the client is a script (the site's widgets send ``Accept: application/json``)."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def return_path(request) -> str:
    """Where to come back to after signing in again.

    The page itself for a GET; for a POST (its form data is gone) the page the
    form was on, if it is on this site, else the home page.
    """
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return "/"


def on_signed_in(sender, request, user, **kwargs) -> None:
    """Start a new session's clock as it signs in (Django's ``user_logged_in``).

    Done here rather than on the session's first request so that request costs
    no extra write; ``AccountsConfig.ready`` connects it.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SESSION_STAMP] = {
        "key": session.session_key,
        "signed_in": now,
        "seen": now,
        "staff": is_staff(user),
    }


def is_stamp_of(stamp, session_key) -> bool:
    """Whether ``stamp`` is a well-formed stamp of the session ``session_key``."""
    return (
        isinstance(stamp, dict)
        and stamp.get("key") == session_key
        and all(isinstance(stamp.get(name), int | float) for name in ("signed_in", "seen"))
        and isinstance(stamp.get("staff"), bool)
    )


def is_background(request) -> bool:
    """Whether the request is a page talking to the server by itself, not the person.

    Wagtail's page editor pings ``editing-sessions/`` every few seconds while
    it is open, so a forgotten admin tab would never be idle. A ping counts as
    activity only while the editor holds unsaved changes (its ``is_editing``
    box): someone is working, and signing them out would lose their work.
    """
    prefix = reverse("wagtailadmin_home") + "editing-sessions/"
    return request.path.startswith(prefix) and not request.POST.get("is_editing")


class SessionLimitsMiddleware:
    """End signed-in sessions that were idle, or open, too long (see the module docstring).

    Goes after ``AuthenticationMiddleware`` (it reads ``request.user``) and
    ``MessageMiddleware`` (it tells the person why they were signed out).
    A request that finds its session expired never reaches the view: a page
    redirects to the sign-in page, a script gets 401 with ``login_url`` (what
    the site's widgets already expect), and a form post is not carried out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = time.time()
        stamp = session.get(SESSION_STAMP)
        if not is_stamp_of(stamp, session.session_key):
            # A new sign-in (or a session from before this middleware).
            self.touch(request, {"key": session.session_key, "signed_in": now}, now=now)
        else:
            reason = expired(stamp, now=now)
            if reason:
                return self.sign_out(request, reason=reason, staff=stamp["staff"])
            if now - stamp["seen"] >= settings.KINDRED_SESSION_TOUCH_SECONDS and not is_background(
                request
            ):
                self.touch(request, stamp, now=now)
        return self.get_response(request)

    def touch(self, request, stamp: dict, *, now: float) -> None:
        """Record activity: the session's stamp (one write) and the sessions list's "last seen"."""
        # Re-read on every touch, so a promotion to staff takes effect within a minute.
        stamp = {**stamp, "seen": now, "staff": is_staff(request.user)}
        request.session[SESSION_STAMP] = stamp
        try:
            ip = get_account_adapter().get_client_ip(request)
        except (PermissionDenied, ImproperlyConfigured):
            # No usable address (a forged X-Forwarded-For, or a proxy set-up that
            # TRUSTED_PROXY_COUNT does not describe): the page must not fail for
            # the sessions list's sake.
            ip = None
        seen = {"last_seen_at": datetime.fromtimestamp(now, tz=UTC)}
        found = UserSession.objects.filter(
            session_key=request.session.session_key, user_id=request.user.pk
        ).update(**seen, **({"ip": ip} if ip else {}))
        if not found and ip:
            # Signed in before sessions were listed, or not through allauth's forms.
            UserSession.objects.create_from_request(request)

    def sign_out(self, request, *, reason: str, staff: bool):
        message = sign_out_reason(reason=reason, staff=staff)
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        logout(request)
        # After logout: the flushed session stores nothing, the messages cookie does.
        messages.info(request, message)
        # Encoded as login_required encodes it (slashes kept), so both read alike.
        next_query = urlencode({"next": return_path(request)}, safe="/")
        login_url = f"{reverse('account_login')}?{next_query}"
        if wants_json(request):
            return JsonResponse(
                {"error": message, "login_url": login_url, "signed_out": True}, status=401
            )
        # 303: a browser that posted a form follows with a GET.
        return HttpResponseRedirect(login_url, status=303 if request.method == "POST" else 302)
