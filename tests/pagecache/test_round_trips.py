"""A hit is one cache round trip (issue 17, item 5): the entry, the epoch and the stamp in
one ``get_many``; the tags' versions come from the process's memo while the stamp holds,
and a bump (which writes a new stamp) is seen by the very next request."""

from django.core.cache import caches
from django.test import Client

import pytest

import pagecache
from core import versions
from pagecache import tags as tagging
from tests.deploy.conftest import redis_prefix, redis_url  # noqa: F401 (fixtures)
from tests.pagecache.conftest import cache_state, commands_sent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pagecache.urls")]

CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "delete", "has_key")


@pytest.fixture
def cache_calls(monkeypatch):
    """The calls made on the ``pages`` cache (each is one round trip to Redis); a call the
    cache makes from inside another (local memory's ``get_many`` calls ``get``) is not one."""
    calls = []
    depth = [0]
    pages = caches["pages"]
    for name in CACHE_CALLS:
        real = getattr(pages, name)

        def counted(*args, _name=name, _real=real, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _real(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(pages, name, counted)
    return calls


def visit():
    return Client().get("/t/public/")


def test_a_hit_is_one_cache_call(cache_calls):
    assert [cache_state(visit()) for _ in range(2)] == ["stored", "hit"]
    cache_calls.clear()

    assert cache_state(visit()) == "hit"

    assert cache_calls == ["get_many"]


def test_a_published_bump_reaches_the_very_next_request_past_the_memo():
    assert [cache_state(visit()) for _ in range(2)] == ["stored", "hit"]

    # As another process publishes a change (outside any transaction of this thread).
    versions.publish([tagging.tag_key(pagecache.LISTINGS)])

    assert cache_state(visit()) == "stored"
    assert cache_state(visit()) == "hit"


def test_a_version_made_anew_after_an_eviction_changes_the_stamp():
    visit()
    stamp = caches["pages"].get(versions.STAMP)
    caches["pages"].delete(tagging.tag_key(pagecache.LISTINGS))

    assert cache_state(visit()) == "stored"
    assert caches["pages"].get(versions.STAMP) != stamp


@pytest.fixture
def pages_on_redis(settings, redis_url, redis_prefix):  # noqa: F811 (fixtures)
    from portal.settings.base import redis_cache

    settings.CACHES = {
        **settings.CACHES,
        "pages": redis_cache(redis_url, key_prefix=redis_prefix),
    }
    assert type(caches["pages"]).__name__ == "RedisCache"


def test_a_hit_on_redis_is_one_command(pages_on_redis, monkeypatch):

    assert [cache_state(visit()) for _ in range(2)] == ["stored", "hit"]
    commands = commands_sent(monkeypatch)

    assert cache_state(visit()) == "hit"

    assert commands == ["MGET"]
