"""The production server's settings (issue 17): the cache REDIS_URL selects, whitenoise,
the plain-http local try and gunicorn's configuration. No server, Redis or PostgreSQL
needed: settings are read in a fresh interpreter with the environment under test."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

import pytest

from portal.settings.base import redis_cache
from portal.staticfiles import StaticFilesStorage

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "portal" / "gunicorn.conf.py"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x" * 30 + "kindred-production-like-secret-key-0123456789",
    "ALLOWED_HOSTS": "kindred.example",
    "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
    "TRUSTED_PROXY_COUNT": "0",
}
# Anything the caller's shell holds that these tests set themselves.
CONTROLLED = {
    *PRODUCTION,
    "REDIS_URL",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "CACHE_DIR",
    "PAGE_CACHE_URL",
    "PAGE_CACHE_DIR",
    "KINDRED_LOCAL_HTTP",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
READ = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "CACHES": settings.CACHES,
    "MIDDLEWARE": settings.MIDDLEWARE,
    "STORAGES": settings.STORAGES,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_REDIRECT_EXEMPT": settings.SECURE_REDIRECT_EXEMPT,
    "WAGTAILSEARCH_BACKENDS": settings.WAGTAILSEARCH_BACKENDS,
}))
"""


def read_settings(env):
    """The settings a process started with ``env`` (over a clean environment) gets, or its error."""
    clean = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        return result.stderr
    return json.loads(result.stdout)


def test_without_redis_url_production_keeps_a_cache_its_processes_share():
    found = read_settings(
        {**PRODUCTION, "CACHE_DIR": "/srv/kindred/cache", "PAGE_CACHE_DIR": "/srv/kindred/pages"}
    )

    default, pages = found["CACHES"]["default"], found["CACHES"]["pages"]
    assert (
        default["BACKEND"]
        == pages["BACKEND"]
        == ("django.core.cache.backends.filebased.FileBasedCache")
    )
    assert (default["LOCATION"], pages["LOCATION"]) == ("/srv/kindred/cache", "/srv/kindred/pages")
    # Stored pages are culled in their own directory; the throttle counters never are
    # (FileBasedCache culls a third of its files past 300 entries unless told otherwise).
    assert default["OPTIONS"]["MAX_ENTRIES"] >= 100_000


def test_the_pages_may_have_a_redis_of_their_own():
    found = read_settings(
        {
            **PRODUCTION,
            "REDIS_URL": "redis://counters.internal:6379/0",
            "PAGE_CACHE_URL": "redis://pages.internal:6379/0",
        }
    )

    assert found["CACHES"]["default"]["LOCATION"] == "redis://counters.internal:6379/0"
    assert found["CACHES"]["pages"]["LOCATION"] == "redis://pages.internal:6379/0"


@pytest.mark.parametrize("variable", ["REDIS_URL", "CACHE_URL"])
def test_redis_url_or_cache_url_selects_kindreds_redis_cache(variable):
    found = read_settings({**PRODUCTION, variable: "redis://cache.internal:6379/2"})

    cache = found["CACHES"]["default"]
    # Django's RedisCache with one client per connection pool (pagecache.backends).
    assert cache["BACKEND"] == "pagecache.backends.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert found["CACHES"]["pages"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["KEY_PREFIX"] == "kindred"
    # A Redis that stops answering holds a request for seconds, not for ever.
    assert 0 < cache["OPTIONS"]["socket_timeout"] <= 5
    assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 5


def test_the_development_settings_use_redis_too_when_told():
    found = read_settings(
        {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "REDIS_URL": "redis://127.0.0.1:6390/0"}
    )

    assert found["CACHES"]["default"]["BACKEND"] == "pagecache.backends.RedisCache"


def test_the_key_prefix_comes_from_the_environment():
    found = read_settings(
        {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6390/0", "CACHE_KEY_PREFIX": "site-two"}
    )

    assert found["CACHES"]["default"]["KEY_PREFIX"] == "site-two"


@pytest.mark.parametrize(
    "url", ["memcached://127.0.0.1:11211", "http://127.0.0.1:6379", "127.0.0.1:6379", "redis"]
)
def test_a_url_that_is_not_redis_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        redis_cache(url, key_prefix="kindred")


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "rediss://user:secret@cache.internal:6380/1",
        "unix:///run/redis.sock",
    ],
)
def test_redis_urls_of_every_kind_are_taken_as_they_are(url):
    assert redis_cache(url, key_prefix="k")["LOCATION"] == url


def test_whitenoise_serves_static_files_right_after_the_security_middleware():
    found = read_settings(PRODUCTION)

    middleware = found["MIDDLEWARE"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert middleware.count("whitenoise.middleware.WhiteNoiseMiddleware") == 1
    # The public page cache stays in front of everything (pagecache).
    assert middleware[0] == "pagecache.middleware.PublicPageCacheMiddleware"
    assert found["STORAGES"]["staticfiles"]["BACKEND"] == "portal.staticfiles.StaticFilesStorage"


def test_production_insists_on_https_and_secure_cookies_by_default():
    found = read_settings(PRODUCTION)

    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["CSRF_COOKIE_SECURE"] is True
    # Only the health check may be asked over plain http (a load balancer's probe).
    assert found["SECURE_REDIRECT_EXEMPT"] == [r"^_health/$"]


def test_the_local_http_try_relaxes_https_for_this_machine_only():
    found = read_settings(
        {**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1,localhost", "KINDRED_LOCAL_HTTP": "1"}
    )

    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SESSION_COOKIE_SECURE"] is False
    assert found["CSRF_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    "hosts",
    ["kindred.example", "127.0.0.1,kindred.example", "*", "0.0.0.0", ".localhost"],  # noqa: S104
)
def test_the_local_http_try_is_refused_for_any_host_others_reach(hosts):
    found = read_settings({**PRODUCTION, "ALLOWED_HOSTS": hosts, "KINDRED_LOCAL_HTTP": "1"})

    assert isinstance(found, str), f"accepted {hosts!r}: {found}"
    assert "KINDRED_LOCAL_HTTP=1 serves over plain http, for this machine only" in found


@pytest.mark.parametrize("value", ["0", "true", "yes", ""])
def test_only_the_exact_value_1_switches_the_local_try_on(value):
    found = read_settings({**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1", "KINDRED_LOCAL_HTTP": value})

    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["SECURE_SSL_REDIRECT"] is True


def test_the_engine_index_prefix_comes_from_the_environment():
    found = read_settings(
        {
            **PRODUCTION,
            "SEARCH_URL": "elasticsearch9://127.0.0.1:9201",
            "SEARCH_INDEX_PREFIX": "site_two_",
        }
    )

    assert found["WAGTAILSEARCH_BACKENDS"]["default"]["INDEX_PREFIX"] == "site_two_"


# --- gunicorn (portal/gunicorn.conf.py) ---


def gunicorn_config(monkeypatch, **env):
    for name in ("GUNICORN_WORKERS", "HOST", "PORT", "GUNICORN_ACCESS_LOG", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults_to_sync_workers_from_the_cores_with_the_app_preloaded(monkeypatch):
    config = gunicorn_config(monkeypatch)

    cores = len(os.sched_getaffinity(0))
    assert config["workers"] == 2 * cores + 1
    assert config["worker_class"] == "sync"
    assert config["preload_app"] is True
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["accesslog"] is None
    assert config["graceful_timeout"] > 0 and config["timeout"] > 0
    # Whether a request came over https is Django's decision alone.
    assert config["secure_scheme_headers"] == {}


def test_gunicorn_takes_workers_host_port_and_access_log_from_the_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch,
        GUNICORN_WORKERS="2",
        HOST="0.0.0.0",  # noqa: S104 (a value read, nothing bound)
        PORT="18111",
        GUNICORN_ACCESS_LOG="-",
    )

    assert config["workers"] == 2
    assert config["bind"] == ["0.0.0.0:18111"]
    assert config["accesslog"] == "-"


@pytest.mark.django_db(transaction=True)
def test_before_each_fork_the_masters_connections_are_closed(monkeypatch):
    from django.core.cache import caches

    config = gunicorn_config(monkeypatch)
    connection.ensure_connection()
    closed = []
    monkeypatch.setattr(caches, "close_all", lambda: closed.append("caches"))
    # SQLite's in-memory test database is never really closed (Django keeps it, or it would
    # be lost), so there the close itself is recorded; on PostgreSQL the socket is gone.
    in_memory = connection.vendor == "sqlite"
    if in_memory:
        monkeypatch.setattr(connection, "close", lambda: closed.append("database"), raising=False)

    config["pre_fork"](server=None, worker=None)

    if in_memory:
        assert closed == ["database", "caches"]
    else:
        assert connection.connection is None
        assert closed == ["caches"]


# --- static files (portal/staticfiles.py) ---


def test_a_collected_file_is_served_under_its_hashed_name(tmp_path):
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.hashed_files = {"css/site.css": "css/site.0123456789ab.css"}

    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"


def test_a_name_not_collected_keeps_its_plain_name_instead_of_failing_the_page(tmp_path):
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")

    assert storage.url("img/favicon.ico") == "/static/img/favicon.ico"
