"""Gunicorn's settings for Kindred's production server (`make serve`, docs/deploy.md).

    gunicorn -c portal/gunicorn.conf.py portal.wsgi

Everything can be set from the environment, so the same file serves a laptop, the
benchmarks (benchmarks/) and each of several app servers behind a proxy:

- HOST / PORT: where to listen (127.0.0.1:8000 unless set). Behind a proxy on another
  machine, HOST=0.0.0.0 and a firewall that lets only the proxy in.
- GUNICORN_WORKERS: the number of worker processes. Default: 2 × cores + 1 (see below).
- GUNICORN_TIMEOUT (30 s), GUNICORN_GRACEFUL_TIMEOUT (30 s), GUNICORN_KEEPALIVE (5 s).
- GUNICORN_ACCESS_LOG: a path, or "-" for stderr; off unless set (the proxy keeps one,
  and a log line per request costs a worker more than a cached page does).
- GUNICORN_MAX_REQUESTS: restart a worker after that many requests (off unless set).
"""

import os


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Sync workers: Kindred's views are ordinary blocking Django code (the ORM, the search
# engine's client, Redis), and one request at a time per process keeps a worker's
# memory and its one database connection simple. The count: gunicorn's own rule of
# thumb, 2 × cores + 1. A request for a cached public page costs well under a
# millisecond of CPU, but a page rendered from scratch or a signed-in page waits on
# PostgreSQL, Redis or the engine for part of its time; with only one worker per core a
# core would sit idle during those waits. More than that only adds memory and database
# connections (each worker keeps one open for DATABASE_CONN_MAX_AGE seconds: N app
# servers × workers must stay below PostgreSQL's max_connections). The issue's
# measurement used 2 workers on 2 cores; benchmarks set GUNICORN_WORKERS to compare.
worker_class = "sync"
workers = _int_env("GUNICORN_WORKERS", 2 * _cores() + 1)

bind = [f"{os.environ.get('HOST', '').strip() or '127.0.0.1'}:{_int_env('PORT', 8000)}"]

# Load Django and Wagtail once in the master and fork: workers start at once and share
# the imported code's memory (copy on write). pre_fork below closes what the master
# opened while loading, so no two processes ever share a database socket.
preload_app = True

# A worker silent for this long is killed and replaced; on SIGTERM (a deploy, Ctrl-C)
# workers finish their current request within graceful_timeout before they are stopped.
timeout = _int_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int_env("GUNICORN_KEEPALIVE", 5)

max_requests = _int_env("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "").strip() or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Workers' heartbeat files in memory, not on a disk that may stall (gunicorn's advice
# for containers, where /tmp may be an overlay). Gunicorn creates them with mkstemp
# (private, unpredictable names), so a shared directory is safe here.
_SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM

# Whether a request came over https is decided by Django alone
# (SECURE_PROXY_SSL_HEADER in portal/settings/production.py, set only when
# TRUSTED_PROXY_COUNT says a proxy is there). Gunicorn's own default would believe an
# X-Forwarded-Proto header from any local client, a second and looser rule.
secure_scheme_headers = {}
forwarded_allow_ips = ""

proc_name = "kindred"


def pre_fork(server, worker):
    """Close the database and cache connections the master opened while loading the app.

    With preload_app, anything connected during start-up would be inherited by every
    worker: two processes writing to one PostgreSQL socket corrupt each other's
    conversations. Each worker opens its own on its first request.
    """
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
