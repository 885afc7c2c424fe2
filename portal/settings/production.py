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
