"""Django's RedisCache, with less Python around each call (issue 17).

A visitor's cached page on Redis is one ``MGET`` (``pagecache.middleware``), and most of
its server CPU was Django's and redis-py's Python around that one command
(``benchmarks/README.md``, "Redis: one client per pool"):

- Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every call,
  and redis-py's constructor fills a table of ~160 reply callbacks each time. One client
  per pool is kept instead, and it keeps one connection of its own
  (``single_connection_client``) rather than taking one from the pool and giving it back
  around every command (half of redis-py's own time on a ``MGET``). Django's cache
  objects are per thread (``caches`` is thread-local), so the connection is too; a cache
  object shared by threads still works, one command at a time (redis-py's lock). The
  client is made again in a forked process (a gunicorn worker forked from the master
  that loaded the app): a connection opened before the fork is never used by two
  processes. Pipelines (``set_many``) take their connection from the pool as before.
- Django's serializer tries ``int()`` on every value and catches the ``ValueError`` for
  each pickled one; pickles of protocol 2 and later start with ``\\x80`` and are loaded
  straight away (the stored bytes are the same).
- ``get_list`` reads keys this code made in one ``MGET`` without Django's per-character
  key checks (warnings for keys memcached would refuse), for the page cache's hit, sent
  on the client's connection without redis-py's command layer, and sent again once on a
  new connection when Redis had closed the old one.

``settings.CACHES`` names this class for both aliases when ``REDIS_URL`` is set
(``portal.settings.base.redis_cache``); keys, values and options are Django's.
"""

import os
import pickle
from collections.abc import Sequence

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.core.cache.backends.redis import RedisSerializer as DjangoRedisSerializer

import redis

PICKLED = b"\x80"  # pickle's PROTO opcode, first in every pickle of protocol 2 or later


class RedisSerializer(DjangoRedisSerializer):
    """Django's serializer; a pickle is loaded without trying ``int()`` on it first."""

    def loads(self, data):
        if data[:1] == PICKLED:
            return pickle.loads(data)  # noqa: S301 - Django's own format, written by us
        return super().loads(data)


class RedisCacheClient(DjangoRedisCacheClient):
    """Django's client, with one ``redis.Redis`` (and its connection) per connection pool and
    process instead of one client per call."""

    def __init__(self, servers, serializer=None, **options):
        super().__init__(servers, serializer=serializer, **options)
        if serializer is None:
            self._serializer = RedisSerializer()
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        made = self._clients.get(id(pool))
        pid = os.getpid()
        if made is None or made[0] != pid:
            client = self._client(connection_pool=pool, single_connection_client=True)
            self._clients[id(pool)] = (pid, client)
            return client
        return made[1]

    def get_list(self, keys: Sequence[str]) -> list:
        loads = self._serializer.loads
        return [None if value is None else loads(value) for value in self._mget(keys)]

    def _mget(self, keys: Sequence[str]) -> list:
        """``MGET`` on the client's own connection, under the client's lock, without the rest
        of ``redis.Redis.execute_command``'s Python (the reply-callback lookup in a
        case-insensitive table, option handling: ~4 of a ~19 µs ``mget``; MGET has no
        reply callback).

        A connection Redis has closed (a restart, an idle timeout, ``CLIENT KILL``) is
        reopened and the read sent again, once: redis-py's pool made by Django retries
        nothing, so the first hit after a restart was a failed read (a render, "bypass").
        A timeout is not retried: a Redis that stopped answering costs one wait, not two.
        """
        client = self.get_client()
        connection = client.connection

        def send_and_read():
            connection.send_command("MGET", *keys)
            return connection.read_response()

        with client.single_connection_lock:
            try:
                return send_and_read()
            except redis.ConnectionError:
                # redis-py disconnected it on the error; sending connects again.
                return send_and_read()


class RedisCache(DjangoRedisCache):
    """Django's ``RedisCache`` on the client above (same name, options and key layout)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def get_list(self, keys: Sequence[str]) -> list:
        """The values of ``keys``, in order, None where missing: one ``MGET``.

        Only for keys this code makes (constants, hex digests): they skip Django's
        per-character check, which exists to warn about keys memcached would refuse.
        """
        make_key = self.make_key
        return self._cache.get_list([make_key(key) for key in keys])
