import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy

from csp.middleware import CSPMiddleware
from csp.utils import default_config

logger = logging.getLogger(__name__)


def private_cache_for_signed_in(get_response):
    """Mark every response to a signed-in person ``Cache-Control: private, no-store``.

    What a member sees can carry their drafts, their account, or content only
    members may read; no shared cache and no browser history may keep it.
    Anonymous responses are left to the view (public pages may be cached).
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


# What the database says when another writer holds the lock for longer than
# we wait (SQLite), or when it gave up a transaction to let another through
# (PostgreSQL's SQLSTATEs: serialization failure, deadlock, lock timeout).
# Trying the same request again a moment later succeeds.
BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
BUSY_SQLSTATES = {"40001", "40P01", "55P03"}
RETRY_AFTER_SECONDS = 5
# For scripts (the rating widget, comment posting); 503.html says it for people.
BUSY_MESSAGE = gettext_lazy(
    "Kindred is very busy for a moment and nothing was saved. Please try again."
)


def is_database_busy(error):
    """Whether ``error`` says the database was busy (retry later), not that something is wrong."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    message = str(error).lower()
    return any(busy in message for busy in BUSY_MESSAGES)


class DatabaseBusyMiddleware:
    """Answer a request that met a busy database with 503 and ``Retry-After``, not a 500.

    SQLite's settings (see ``with_sqlite_concurrency``) make writers queue, so
    this is the rare case of a wait longer than the busy timeout. The request's
    transaction was rolled back as the error left it, so nothing was saved
    half-way, and the member is told exactly that and when to try again. The
    page is rendered without the database (it is the thing that is busy).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
        if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
            response = JsonResponse({"error": str(BUSY_MESSAGE)}, status=503)
        else:
            sent = request.method not in ("GET", "HEAD", "OPTIONS")
            response = HttpResponse(render_to_string("503.html", {"sent": sent}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_store=True)
        return response


# --- Content-Security-Policy and Permissions-Policy (issue 10, finding 10) ---


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own, looser policy under its prefix.

    Every page of the site gets ``CONTENT_SECURITY_POLICY`` (settings/base.py):
    scripts and styles from Kindred's own files only, nothing inline. Wagtail's
    admin still writes inline scripts and styles (inline panels, date pickers,
    its editor), so pages under ``KINDRED_ADMIN_PATH_PREFIX`` get
    ``KINDRED_ADMIN_CONTENT_SECURITY_POLICY``, which allows them there only. A
    view's own ``@csp``/``@csp_replace`` decorator still wins over both.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.KINDRED_ADMIN_PATH_PREFIX)
        ):
            parts.config = default_config(settings.KINDRED_ADMIN_CONTENT_SECURITY_POLICY)
        return parts


def permissions_policy(get_response):
    """Send ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) on every response.

    It switches off browser features Kindred never uses (camera, microphone,
    location, payment...) for its pages and anything they might embed, so an
    injected script could not ask a member for them either.
    """
    header = ", ".join(
        f"{feature}=({' '.join(allowed)})"
        for feature, allowed in settings.PERMISSIONS_POLICY.items()
    )

    def middleware(request):
        response = get_response(request)
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
