"""Production: refuse to start without the secrets, and insist on HTTPS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *


def require_env(name):
    """Read a required environment variable or stop with a clear message."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in require_env("ALLOWED_HOSTS").split(",") if host.strip()]
DATABASES = {
    "default": with_sqlite_concurrency(
        dj_database_url.parse(
            require_env("DATABASE_URL"),
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
}

# --- HTTPS (issue 10: `make lint` runs check --deploy on these settings) ---
# On by default; each can be turned off by the environment for a deployment
# whose proxy does the job (redirects to https, sends HSTS itself).
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
# A load balancer's health check speaks plain http to each app server (portal.health).
SECURE_REDIRECT_EXEMPT = [r"^_health/$"]
# X-Forwarded-Proto says "https" only when a proxy we trust set it: with no
# trusted proxy (TRUSTED_PROXY_COUNT=0) any client could send the header.
if ALLAUTH_TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = (
    os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true").lower() != "false"
)
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# --- A plain-http try on this machine (`make serve` without ALLOWED_HOSTS; issue 17) ---
# KINDRED_LOCAL_HTTP=1 lets the production settings run over http on a loopback address:
# no redirect to https, cookies without the Secure flag (a browser or client would
# otherwise never send them back over http). Refused unless every allowed host is this
# machine, so it cannot weaken a site that others reach; `check --deploy` reports it.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
if os.environ.get("KINDRED_LOCAL_HTTP", "").strip() == "1":
    if not set(ALLOWED_HOSTS) <= LOCAL_HOSTS:
        raise ImproperlyConfigured(
            "KINDRED_LOCAL_HTTP=1 serves over plain http, for this machine only: "
            f"ALLOWED_HOSTS may then name only {', '.join(sorted(LOCAL_HOSTS))}."
        )
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    LANGUAGE_COOKIE_SECURE = False

# --- Static files (issue 17): served by the app servers themselves through whitenoise ---
# Right after SecurityMiddleware (so its redirects and headers still apply), before
# sessions and everything else: a stylesheet costs no session read. Files come from
# STATIC_ROOT (`manage.py collectstatic`, which `make serve` runs), each under a name
# carrying its content's hash, compressed once at collectstatic, and cached by browsers
# and proxies for a year; a new release changes the names. Whatever stands in front of
# SecurityMiddleware (the public page cache) stays in front.
_SECURITY_MIDDLEWARE = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[: _SECURITY_MIDDLEWARE + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_SECURITY_MIDDLEWARE + 1 :],
]
STORAGES = {
    **STORAGES,
    # whitenoise's CompressedManifestStaticFilesStorage, lenient about a name it lacks.
    "staticfiles": {"BACKEND": "portal.staticfiles.StaticFilesStorage"},
}
