"""tests/deploy: Kindred on real shared parts (issue 17): Redis, PostgreSQL, the engine.

Locally each test skips when a part it needs is missing (``make redis``,
``scripts/postgres start``, ``make search-engine``). Where a ``KINDRED_REQUIRE_…=1``
says the part must be there (CI sets them all), a missing or silent part fails the
test instead: these paths must be proven, not skipped.

- Redis: ``KINDRED_TEST_REDIS_URL``, else ``REDIS_URL``; required by ``KINDRED_REQUIRE_REDIS=1``.
- PostgreSQL: the suite's own database (DATABASE_URL); required by ``KINDRED_REQUIRE_POSTGRES=1``.
- The engine: SEARCH_URL; required by ``KINDRED_REQUIRE_ENGINE=1`` (or CI, as tests/engine).
"""

import os
import uuid

from django.conf import settings
from django.core.cache.backends.redis import RedisCache

import pytest

from tests.engine.conftest import engine_required


def _required(name):
    return os.environ.get(name) == "1"


def missing(reason, *, required_by):
    """Skip for ``reason``, or fail when the environment variable ``required_by`` says
    the part must be there."""
    if _required(required_by) or (required_by == "KINDRED_REQUIRE_ENGINE" and engine_required()):
        pytest.fail(f"{reason} ({required_by}=1, so this is an error)", pytrace=False)
    pytest.skip(reason)


def redis_url_for_tests():
    return (
        os.environ.get("KINDRED_TEST_REDIS_URL", "").strip()
        or os.environ.get("REDIS_URL", "").strip()
    )


def redis_cache(url, *, prefix):
    """Django's RedisCache on ``url`` with the key prefix ``prefix``, as settings build it."""
    from portal.settings.base import redis_cache as cache_settings

    config = cache_settings(url, key_prefix=prefix)
    return RedisCache(config["LOCATION"], {**config, "TIMEOUT": 300})


def delete_prefixed(url, prefix):
    """Delete every key written under ``prefix`` (Django writes ``<prefix>:<version>:<key>``)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def redis_url():
    """The Redis these tests may use (a test's keys carry a prefix of its own)."""
    url = redis_url_for_tests()
    if not url:
        missing(
            "no Redis: start one (make redis) and export KINDRED_TEST_REDIS_URL or REDIS_URL",
            required_by="KINDRED_REQUIRE_REDIS",
        )
    try:
        probe = redis_cache(url, prefix="kindred-test-probe")
        probe.set("ping", "pong", 5)
        answered = probe.get("ping") == "pong"
    except Exception as error:  # noqa: BLE001 (whatever the client raises: no Redis here)
        answered = False
        reason = f"Redis at {url} does not answer: {error}"
    else:
        reason = f"Redis at {url} does not keep values"
    if not answered:
        missing(reason, required_by="KINDRED_REQUIRE_REDIS")
    return url


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix no other test (or site) uses; its keys are deleted afterwards."""
    prefix = f"kindred-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    delete_prefixed(redis_url, prefix)


@pytest.fixture
def postgresql():
    """The suite runs on PostgreSQL (servers in other processes need a database they reach)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        missing(
            "needs the suite on PostgreSQL: "
            'export DATABASE_URL="$(scripts/postgres start)" (KINDRED_PG_DIR, KINDRED_PG_PORT)',
            required_by="KINDRED_REQUIRE_POSTGRES",
        )


@pytest.fixture
def search_url():
    """The engine SEARCH_URL names, checked to answer."""
    from portal.settings.base import search_engine_backend

    url = os.environ.get("SEARCH_URL", "").strip()
    if not url:
        missing(
            "SEARCH_URL is not set: start a node (make search-engine) and export SEARCH_URL",
            required_by="KINDRED_REQUIRE_ENGINE",
        )
    from elasticsearch import Elasticsearch

    node = search_engine_backend(url, index_prefix="unused_")["URLS"][0]
    client = Elasticsearch(node, request_timeout=5)
    try:
        if not client.ping():
            missing(f"the engine at {url} does not answer", required_by="KINDRED_REQUIRE_ENGINE")
    finally:
        client.close()
    return url
