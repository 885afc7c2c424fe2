"""Settings shared by every environment.

Everything here is safe for production: no debug, no default secret. Values a
deployment must choose come from the environment. ``dev.py`` and ``test.py``
relax what they need; ``production.py`` only insists on the secrets.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Kindred's own apps first so their templates win over the libraries'.
    "core",
    "accounts",
    "authoring",
    "social",
    "search",
    "ratings",
    "discussion",
    "blogs",
    "experience_stories",
    "questions",
    "communities",
    "sharing",
    "safety",
    # Issue 16: the access log (low, every app records into it), a member's data
    # rights (export, erasure; at the top) and the review and community analytics.
    "audit",
    "compliance",
    "analytics",
    # Issue 17: the full-page cache for visitors (low: every app may mark or invalidate).
    "pagecache",
    # Issue 18: the sitemap, robots.txt and structured data; the public read API.
    "discovery",
    "api",
    "wagtail.api.v2",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Promoted results ("editor's picks") and the query log (see search/).
    "wagtail.contrib.search_promotions",
    "wagtail.admin",
    "wagtail",
    # After wagtail.admin: its ready() adjusts Wagtail's email handlers.
    "moderation",
    "portal",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.usersessions",  # members see and end their sessions (issue 10, finding 11)
    "django_comments_xtd",
    "django_comments",
    "rest_framework",
    "csp",  # django-csp's system checks (issue 10, finding 10)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",  # required by django-contrib-comments
]

MIDDLEWARE = [
    # Issue 17: first, so a visitor's stored public page is served before anything
    # else runs, with the headers every middleware below added when it was stored.
    "pagecache.middleware.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Issue 10, finding 10: Content-Security-Policy and Permissions-Policy headers.
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.permissions_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Issue 18: the interface language from the footer switcher's cookie, else the
    # browser's Accept-Language (no language prefix in addresses: one address a page).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Issue 17: the request's Wagtail site from the cache, not two queries a page (after
    # CommonMiddleware, which has refused a host ALLOWED_HOSTS does not name).
    "core.routing.SiteFromCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Issue 18: a member's saved language beats the cookie and the browser.
    "accounts.language.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Issue 10, finding 11: idle and absolute session limits (after auth and messages).
    "accounts.idle.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Issue 10, finding 2: staff see in the admin only pages their role needs.
    "moderation.admin_privacy.AdminLeastPrivilegeMiddleware",
    # Issue 16: staff opening a member's draft in the admin's previews and revisions.
    "audit.middleware.AccessLogMiddleware",
    "portal.middleware.private_cache_for_signed_in",
    # Last, so it sees a view's exception first: a busy database answers 503.
    "portal.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site_navigation",
                "moderation.context_processors.review_queue",
                "social.notifications.context_processors.notification_bell",
                "safety.context_processors.safety",
            ],
            # Django's {% url %}, remembering each address it reversed (issue 17:
            # ~25 reverse() calls a page); see the module.
            "builtins": ["core.templatetags.addresses"],
        },
    },
]


# How long a SQLite writer waits for another to finish before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 20


def with_sqlite_concurrency(database):
    """``database`` (a DATABASES entry), made safe for several writing processes if it is SQLite.

    The web server and the background worker (`make run` starts both) write to
    the same file. SQLite's defaults answer overlapping writers with "database
    is locked" at once: a transaction that read first cannot take the write
    lock another holds, and no wait helps. So, for SQLite only (other engines
    get nothing: PostgreSQL refuses unknown options):
    - WAL: readers never block the writer, nor the writer them;
    - synchronous=NORMAL: the setting WAL is designed for (durable, fewer syncs);
    - IMMEDIATE transactions: every transaction takes the write lock when it
      starts, so writers queue instead of failing half-way;
    - a busy timeout: the queue waits up to ``SQLITE_BUSY_TIMEOUT`` seconds.
    """
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return database
    return {
        **database,
        "OPTIONS": {
            **database.get("OPTIONS", {}),
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
        },
    }


# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": with_sqlite_concurrency(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts (django-allauth) -------------------------------------------------
# One sign-in for everyone, members and staff alike, so that one set of
# throttles guards it; the Wagtail admin sends people here too.
# Issue 10, finding 4: one backend (allauth's, with ModelBackend's permissions),
# so a wrong password costs one hash whether or not the account exists.
AUTHENTICATION_BACKENDS = ["accounts.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"
# Issue 10, finding 1: private pages and documents send visitors to allauth's
# sign-in too, not to Wagtail's unthrottled /_util/login/ (which portal.urls
# turns into a redirect).
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming signs the new member in only in the browser that signed up
# (allauth checks the pending sign-up in the session), never from a link alone.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kindred] "
# Kindred's sign-up fields (display name, both consents), random usernames,
# HTTP 429 for throttled logins: see accounts/adapter.py and accounts/forms.py.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# The sign-up form hashes the password for a registered address too (issue 10, finding 4).
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.LoginForm",
    "signup": "accounts.allauth_forms.SignupForm",
}
# Messages and emails name people by their display name, never the username.
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
# Tell the owner when their password or address changes, so a takeover is noticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the address needs the password again (within 5 minutes): a stolen
# session alone must not be enough to take the account over.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Throttles count per client IP. Behind a reverse proxy every request comes
# from the proxy, so say how many proxies to trust in X-Forwarded-For (0: none).
# Issue 10, finding 5: a deployment must say so explicitly; `check --deploy`
# warns when it does not (portal/checks.py).
TRUSTED_PROXY_COUNT_SET = bool(os.environ.get("TRUSTED_PROXY_COUNT", "").strip())
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or "0")
# Throttles: a few attempts a minute per client, a bounded number an hour
# per account, never a permanent lock-out (see ../shared/SECURITY.md).
# Issue 10, finding 5: a browser that has signed in to an account before is
# counted on its own (per account and browser, accounts/devices.py), so others'
# failures never lock the owner out; a password reset lifts the account's limit.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "6/m/ip,30/h/key",
    "login_failed_trusted_device": "6/m/key,30/h/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# Issue 18: the interface languages. The first is the source language of every marked
# string; the others have a catalogue in locale/<code>/LC_MESSAGES (README, "Adding a
# language"). Names in their own language, as the switcher shows them.
LANGUAGES = [
    ("en-gb", "English"),
    ("de", "Deutsch"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The footer switcher's choice, for visitors (members' choice is saved on their account).
LANGUAGE_COOKIE_NAME = "kindred_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Editors choose their admin language among the site's (Wagtail's own catalogues).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The languages content is written in (core.languages): Wagtail's locales, one row each
# (core/migrations/0008, setup_portal). Every item carries one (``Page.locale``) in the
# one page tree; items are written once, not translated, so Wagtail's translated trees
# and per-language addresses stay off (WAGTAIL_I18N_ENABLED).
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# "Download my data" archives (compliance.services.exports): private, outside
# MEDIA_ROOT so no URL serves them; only the signed single-use link streams one.
KINDRED_EXPORT_ROOT = Path(os.environ.get("KINDRED_EXPORT_ROOT", BASE_DIR / "var" / "exports"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor posts many fields for rich pages.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kindred <no-reply@kindred.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# --- Email delivery (issue 10, finding 7: no lost emails) ---
# The mail server, from the environment. Background emails go through the
# outbox (core.mail): stored first, sent by the worker, retried with growing
# delays while the server refuses or cannot be reached, then marked failed.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
# A stalled server must not hold a worker for ever (Django's default: no timeout).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "30"))
# Seconds before delivery attempt 2, 3, ...: about 9 hours in all, then "failed".
EMAIL_RETRY_DELAYS = [
    int(delay)
    for delay in os.environ.get("EMAIL_RETRY_DELAYS", "60,300,900,1800,3600,3600,7200,14400").split(
        ","
    )
    if delay.strip()
]
# `manage.py run_worker` writes a heartbeat this often; a task left running by a
# worker not seen for WORKER_STALE_AFTER seconds is queued again (a task whose
# worker died WORKER_MAX_LOSSES times is marked failed instead: it may kill them).
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_STALE_AFTER = float(os.environ.get("WORKER_STALE_AFTER", "60"))
WORKER_MAX_LOSSES = 3

# --- The cache (issue 17; docs/deploy.md) ---
# Throttle counters (allauth's and django-ratelimit's: both use the "default" cache)
# and the public page cache with its invalidation versions live here, so every process
# that serves or changes pages must see the same cache:
# - REDIS_URL (or CACHE_URL, the same) set: Redis through Django's RedisCache (with one client
#   per connection pool: pagecache.backends), shared by any number of app servers and task
#   workers. Required on more than one machine.
# - not set: a directory on this machine (CACHE_DIR, default var/cache), which the web
#   server's worker processes and the background worker share and which needs nothing
#   installed (`make run`, `make serve`). Not local memory: the background worker
#   changes public pages too (an erasure removes a member's words), and its
#   invalidations must reach the processes serving them; each gunicorn worker with
#   its own memory would also count the throttles apart.
# The test settings use local memory (one process), the Redis tests their own RedisCache.
REDIS_URL = os.environ.get("REDIS_URL", "").strip() or os.environ.get("CACHE_URL", "").strip()


def redis_cache(url, *, key_prefix):
    """The CACHES entry for the Redis server that ``url`` names (redis://, rediss://, unix://).

    Bounded waits: each call to a Redis that stops answering fails after 2 s instead of
    holding a gunicorn worker for ever.
    """
    from django.core.exceptions import ImproperlyConfigured

    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            "REDIS_URL (or CACHE_URL) must look like redis://host:6379/0, rediss://… or unix://…"
        )
    return {
        "BACKEND": "pagecache.backends.RedisCache",
        "LOCATION": url,
        # Several sites (or a test's servers) may share one Redis: keys carry a prefix.
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }


CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "kindred")
# Two aliases, so that what can be recomputed never pushes out what must stay:
# - "default": the throttle counters (allauth, django-ratelimit) and other small
#   state. A counter evicted is a throttle forgotten.
# - "pages": visitors' stored pages, their tag versions, shared fragments and
#   remembered routes (pagecache, core.fragments, core.routing): many entries,
#   any of which may be culled or evicted at no cost but a render.
#   PAGE_CACHE_URL may point it at a Redis of its own (docs/deploy.md).
PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", "").strip() or REDIS_URL


def shared_cache(url, *, directory_variable, directory, max_entries):
    """Redis at ``url`` when given; else a directory every process on this machine shares.

    FileBasedCache culls a third of its files past MAX_ENTRIES (300 by default), so
    each alias says how many entries it may keep before anything is culled.
    """
    if url:
        return redis_cache(url, key_prefix=CACHE_KEY_PREFIX)
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(directory_variable, str(BASE_DIR / "var" / directory)),
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    # Throttle counters are few and must never be culled.
    "default": shared_cache(
        REDIS_URL, directory_variable="CACHE_DIR", directory="cache", max_entries=100_000
    ),
    "pages": shared_cache(
        PAGE_CACHE_URL,
        directory_variable="PAGE_CACHE_DIR",
        directory="page-cache",
        max_entries=20_000,
    ),
}

# Issue 17: how long a visitor's public page stays stored (seconds). Changes
# invalidate it at once (pagecache); this is the backstop for time-relative text
# ("3 days ago"). 0 switches the page cache off.
KINDRED_PAGE_CACHE_SECONDS = int(os.environ.get("KINDRED_PAGE_CACHE_SECONDS", "600"))

# Background work goes through django-tasks, on two backends:
# - "default" runs a task as soon as it is enqueued. Wagtail's own tasks use it
#   (reference index, the database search index), so they stay inside the
#   transaction of the save that caused them.
# - "background" stores tasks in the database for a worker to run
#   (`manage.py run_worker --backend background`, started by `make run`):
#   emails, notifications, digests and search-engine updates, which may be slow
#   or fail and retry without holding up the request that caused them.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kindred"
TAGGIT_CASE_INSENSITIVE = True
# The public address, used for links in emails.
KINDRED_BASE_URL = os.environ.get("KINDRED_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", KINDRED_BASE_URL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Gravatar would hand every reviewer's email hash to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Password resets go through allauth's throttled, enumeration-proof form only.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Issue 10, finding 6: no shared-password view restrictions on pages or
# document collections. Wagtail stores that password in plain text and its
# form has no throttle; communities replace it. Existing ones became
# sign-in restrictions (portal migration 0006) and the password forms'
# addresses answer 404 (portal.urls).
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}

# The review workflow is binding (see moderation):
# - an edit made after an approval needs that approval again;
# - finishing the workflow records the medical review, then publishes.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "moderation.workflow.publish_reviewed"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# Health disclosures: never let the page that links out leak the URL.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Session limits (issue 10, finding 11; accounts/idle.py) ---
# Staff (anyone who can open the admin, or in an admin group) read unpublished
# health disclosures: short sessions. Members: two weeks idle, a month at most.
# Seconds. The stored session itself expires SESSION_COOKIE_AGE after the last
# activity (Django's default, 14 days): the member idle limit, said once more.
KINDRED_SESSION_LIMITS = {
    "staff": {"idle": 30 * 60, "absolute": 12 * 60 * 60},
    "member": {"idle": 14 * 24 * 60 * 60, "absolute": 30 * 24 * 60 * 60},
}
SESSION_COOKIE_AGE = KINDRED_SESSION_LIMITS["member"]["idle"]
# Activity is recorded at most this often (a session write each time).
KINDRED_SESSION_TOUCH_SECONDS = 60

# --- Content-Security-Policy and Permissions-Policy (issue 10, finding 10) ---
# The site's pages run and style only Kindred's own files: no inline script or
# style, no other origin, no plugins, no framing, forms post only to Kindred.
# Violations are reported to portal.security.csp_report, which logs them.
CSP_REPORT_PATH = "/csp-report/"
SHARING_FORM_ACTION_ORIGINS = [
    "https://www.facebook.com",
    "https://x.com",
    "https://www.linkedin.com",
    "https://www.xing.com",
    "https://api.whatsapp.com",
]
_MEDIA_ORIGIN = (
    "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if "://" in MEDIA_URL else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Avatars and images are uploads served by Kindred (or its media host);
        # data: for the small SVG icons in stylesheets.
        "img-src": ["'self'", "data:", *filter(None, [_MEDIA_ORIGIN])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        # A share button posts to Kindred, which redirects to the network's
        # share address; browsers hold a form's redirects to form-action too
        # (sharing.networks: the fixed networks' origins, nothing else).
        "form-action": ["'self'", *SHARING_FORM_ACTION_ORIGINS],
        "report-uri": [CSP_REPORT_PATH],
    }
}
# Wagtail's admin writes inline scripts and styles (inline panels, date
# pickers, the rich text editor) and shows previews of pages in a frame of
# its own, so it gets a looser policy, under its own path only
# (portal.middleware.ContentSecurityPolicyMiddleware).
KINDRED_ADMIN_PATH_PREFIX = "/admin/"
KINDRED_ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *filter(None, [_MEDIA_ORIGIN])],
    "frame-ancestors": ["'self'"],
    # Nothing in the admin is shared to a network.
    "form-action": ["'self'"],
}
# Browser features Kindred never uses, off for its pages and anything they embed.
# Only names Chromium knows: it logs an error for others (interest-cohort, FLoC's
# withdrawn name, and bluetooth, for example).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own console handler would print every line a second time.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Issue 16: Wagtail logs every page created, edited, published and deleted at INFO
        # with its title (a member's own words) and address; log files would keep them
        # after the member's erasure (tests/compliance/test_erasure_canary.py).
        "wagtail": {"level": "WARNING"},
    },
}

# --- Comments (django-comments-xtd models; Kindred's own views, see discussion/) ---
# Comments are discussion.models.PageComment, a subclass of xtd's XtdComment.
# COMMENTS_XTD_MODEL is deliberately left at XtdComment: xtd ties a pre_save
# receiver to that model which hides (or publishes) every reply when a
# comment's flags change, and it must not fire for Kindred's comments.
# No xtd or django_comments URL is mounted (their reply, flag, API and
# redirect views ignore page access rules, see ../shared/SECURITY.md).
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # 0-based: three levels of discussion
COMMENTS_XTD_CONFIRM_EMAIL = False  # only signed-in members comment
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENT_MAX_LENGTH = 3000
# Should any xtd code path run, it is for members only, without flagging or
# background email threads (emails go through django-tasks, see discussion/notifications.py).
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "users",
        "allow_flagging": False,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
COMMENTS_XTD_THREADED_EMAILS = False
SITE_ID = 1

# --- Search (see search/) ---------------------------------------------------------
# Wagtail's database backend by default (SQLite FTS5, PostgreSQL full text).
# SEARCH_URL selects a real engine, its scheme naming Wagtail's backend, e.g.
# elasticsearch9://127.0.0.1:9201 or opensearch3://user:pass@host:9200 (the
# node itself is spoken to over http, or https for schemes ending in "+https").
SEARCH_ENGINE_SCHEMES = {
    "elasticsearch8": "wagtail.search.backends.elasticsearch8",
    "elasticsearch9": "wagtail.search.backends.elasticsearch9",
    "opensearch2": "wagtail.search.backends.opensearch2",
    "opensearch3": "wagtail.search.backends.opensearch3",
}
SEARCH_URL = os.environ.get("SEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "kindred_")


def search_engine_backend(url, *, index_prefix):
    """The WAGTAILSEARCH_BACKENDS entry for the engine that ``url`` names.

    A short timeout and no retries: a search waits at most ~2 s for a node that
    is down before the page says so. AUTO_UPDATE is off so that saving a page
    never talks to the engine inline (modelsearch would block for the timeout
    and swallow the error); search.tasks updates the engine in the background
    and retries, and ``manage.py update_index`` reconciles.
    """
    from urllib.parse import urlsplit, urlunsplit

    from django.core.exceptions import ImproperlyConfigured

    parts = urlsplit(url)
    scheme, _, transport = parts.scheme.partition("+")
    if scheme not in SEARCH_ENGINE_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            f"SEARCH_URL must look like elasticsearch9://host:port; schemes: "
            f"{', '.join(SEARCH_ENGINE_SCHEMES)} (optionally +https)."
        )
    node_url = urlunsplit((transport or "http", parts.netloc, parts.path, "", ""))
    return {
        # Wagtail's backend for the scheme, with German items also analysed in
        # German (search/backends/engine.py).
        "BACKEND": "search.backends.engine",
        "ENGINE": SEARCH_ENGINE_SCHEMES[scheme],
        "URLS": [node_url],
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": 2,
        "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        "AUTO_UPDATE": False,
        "ATOMIC_REBUILD": True,
        # English stemming ("therapies" finds "therapy"), as on the database
        # backends; German items' text is also in fields with the german
        # analyzer (search/backends/engine.py). Autocomplete keeps Wagtail's
        # unstemmed edge n-grams. Takes effect when the index is (re)built:
        # manage.py update_index.
        "INDEX_SETTINGS": {
            "settings": {"analysis": {"analyzer": {"default": {"type": "english"}}}}
        },
    }


# Wagtail's database backend, each item stemmed in its own language
# (search/backends/database.py). PostgreSQL indexes German items with its
# 'german' configuration and the rest with 'english' (autocomplete stays
# 'simple', unstemmed); SQLite's stemming is Kindred's own FTS5 table
# (search/migrations/0002_stemmed_fts.py), English only: German items match
# their words as written there. A database indexed before these were set needs
# `manage.py update_index` once.
DATABASE_SEARCH_BACKEND = {
    "BACKEND": "search.backends.database",
    "SEARCH_CONFIG": "english",
    "LANGUAGE_CONFIGS": {"de": "german"},
}


WAGTAILSEARCH_BACKENDS = {
    "default": (
        search_engine_backend(SEARCH_URL, index_prefix=SEARCH_INDEX_PREFIX)
        if SEARCH_URL
        else DATABASE_SEARCH_BACKEND
    )
}
# The query log (search_promotions' daily hits) is kept this many days.
WAGTAILSEARCH_HITS_MAX_AGE = 90
