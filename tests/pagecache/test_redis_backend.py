"""Kindred's RedisCache (pagecache.backends): Django's, with less Python around each call.

On a real Redis (KINDRED_TEST_REDIS_URL or REDIS_URL; the test fails instead of skipping
when KINDRED_REQUIRE_REDIS=1, as in CI), under a key prefix of the test's own.
"""

import os
import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

import pytest
import redis

from pagecache.backends import RedisCache
from portal.settings.base import redis_cache
from tests.deploy.conftest import redis_prefix, redis_url  # noqa: F401 (fixtures)
from tests.pagecache.conftest import commands_sent
from tests.spies import calls_of

VALUES = {
    "an-int": 7,
    "a-negative-int": -3,
    "a-bool": True,
    "a-string": "épuisement",
    "bytes": b"\x80\x05not a pickle",
    "a-float": 2.5,
    "a-page-entry": {"status": 200, "headers": [("Content-Type", "text/html")], "content": b"<p>"},
}


def cache_on(url, prefix, *, backend=None):
    config = redis_cache(url, key_prefix=prefix)
    cls = backend or RedisCache
    return cls(config["LOCATION"], {**config, "TIMEOUT": 60})


@pytest.fixture
def on_redis(settings, redis_url, redis_prefix):  # noqa: F811 (fixtures)
    settings.CACHES = {
        "default": redis_cache(redis_url, key_prefix=redis_prefix),
        "pages": redis_cache(redis_url, key_prefix=redis_prefix),
    }
    return redis_url, redis_prefix


@pytest.fixture
def clients_made(monkeypatch):
    """How many ``redis.Redis`` clients are built (the real class, counted)."""
    return calls_of(monkeypatch, redis.Redis, "__init__")


def test_the_settings_name_kindreds_backend(on_redis):
    assert isinstance(caches["pages"], RedisCache)
    assert isinstance(caches["default"], RedisCache)


def test_a_cache_keeps_one_client_for_its_calls(on_redis, clients_made):
    pages = caches["pages"]
    pages.set("warm", 1)
    clients_made.clear()

    for number in range(20):
        pages.set(f"key-{number}", number)
        assert pages.get(f"key-{number}") == number
    assert pages.get_many(["key-1", "key-2"]) == {"key-1": 1, "key-2": 2}
    assert pages.incr("key-3") == 4

    assert clients_made == []


@pytest.fixture
def connections_taken(monkeypatch):
    """How many times a connection is taken from a pool (the real pool, counted)."""
    return calls_of(monkeypatch, redis.ConnectionPool, "get_connection")


def test_a_cache_keeps_its_connection_between_calls(on_redis, connections_taken):
    pages = caches["pages"]
    pages.set("warm", 1)
    connections_taken.clear()

    for number in range(20):
        pages.set(f"key-{number}", number)
        assert pages.get_list([f"key-{number}"]) == [number]

    assert connections_taken == []


def test_a_forked_process_never_shares_the_parents_connection(redis_url, redis_prefix):  # noqa: F811
    ours = cache_on(redis_url, redis_prefix)
    ours.set("opened-before-the-fork", "yes")  # the parent's connection is open now
    assert ours.get("opened-before-the-fork") == "yes"
    read_end, write_end = os.pipe()

    def converse(name):
        wrong = 0
        for number in range(300):
            ours.set(f"{name}-{number}", f"{name}:{number}")
            if ours.get_list([f"{name}-{number}"]) != [f"{name}:{number}"]:
                wrong += 1
        return wrong

    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.write(write_end, str(converse("child")).encode())
        except BaseException as error:  # noqa: BLE001 - anything is a failure to report
            os.write(write_end, repr(error).encode()[:500])
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        parent_wrong = converse("parent")
    finally:
        os.waitpid(child, 0)
        with os.fdopen(read_end, "rb") as pipe:
            child_said = pipe.read().decode()

    assert (parent_wrong, child_said) == (0, "0")


def test_values_read_back_as_written_and_as_djangos_backend_reads_them(redis_url, redis_prefix):  # noqa: F811
    ours = cache_on(redis_url, redis_prefix)
    djangos = cache_on(redis_url, redis_prefix, backend=DjangoRedisCache)

    for name, value in VALUES.items():
        ours.set(name, value)
        assert ours.get(name) == value, name
        assert djangos.get(name) == value, name
        djangos.set(name, value)
        assert ours.get(name) == value, name
        assert type(ours.get(name)) is type(value), name
    assert ours.get_many(list(VALUES)) == VALUES
    # Integers stay plain numbers in Redis, so INCR still works on them.
    ours.set("counter", 41)
    assert ours.incr("counter") == 42


def test_get_list_reads_keys_in_order_in_one_command(redis_url, redis_prefix, monkeypatch):  # noqa: F811
    ours = cache_on(redis_url, redis_prefix)
    ours.set_many({"first": "a", "third": {"c": 3}})
    commands = commands_sent(monkeypatch)

    assert ours.get_list(["third", "second", "first"]) == [{"c": 3}, None, "a"]
    assert commands == ["MGET"]


def test_threads_share_the_client_without_mixing_replies(redis_url, redis_prefix):  # noqa: F811
    ours = cache_on(redis_url, redis_prefix)
    wrong = []

    def work(number):
        for round_ in range(50):
            key = f"thread-{number}-{round_}"
            ours.set(key, {"thread": number, "round": round_})
            if ours.get_list([key]) != [{"thread": number, "round": round_}]:
                wrong.append(key)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wrong == []


def test_get_list_talks_to_its_connection_without_redis_pys_command_layer(
    redis_url,  # noqa: F811
    redis_prefix,  # noqa: F811
    monkeypatch,
):
    ours = cache_on(redis_url, redis_prefix)
    ours.set("page", {"status": 200})
    through_the_client = calls_of(monkeypatch, redis.Redis, "execute_command")

    assert ours.get_list(["page", "missing"]) == [{"status": 200}, None]

    assert through_the_client == []


def test_get_list_reconnects_when_redis_closed_its_connection(redis_url, redis_prefix):  # noqa: F811
    ours = cache_on(redis_url, redis_prefix)
    ours.set("page", "stored")
    assert ours.get_list(["page"]) == ["stored"]
    ours_id = ours._cache.get_client().client_id()
    admin = redis.Redis.from_url(redis_url)
    try:
        assert admin.client_kill_filter(_id=ours_id) == 1  # as a Redis restart or timeout does
    finally:
        admin.close()

    assert ours.get_list(["page"]) == ["stored"]
    assert ours._cache.get_client().client_id() != ours_id
