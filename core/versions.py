"""Versions of cached values: one mechanism for every value kept in the ``pages`` cache.

A cached value (a fragment, a visitor's stored page) is kept under, or with,
the versions of what it depends on; a change writes new versions (a *bump*), so
every value kept with an old one stops matching and is computed afresh. Nothing
walks or deletes keys, and the cache may be shared by many processes (Redis):
the versions live in it too. ``core.fragments`` and ``pagecache.tags`` both
build on this module.

When a bump happens, relative to the write's transaction (issue 17, item 10):

- **Outside a transaction**: published at once, a fresh random version per key.
- **Inside one**: the new versions are *local* to this thread's transaction (an
  overlay that only this thread reads) and published, as fresh versions again,
  when the outermost transaction commits. Before the commit no other connection
  can read the new rows: publishing then would let another process compute the
  old rows and keep them under the new version. The writer's own thread, which
  already reads its uncommitted rows, reads the local versions, so what it
  computes from them is kept under versions nobody else ever reads, and a
  transaction (or a savepoint) that rolls back leaves nothing anyone reads: its
  local versions are dropped and no publish follows. Each bump gets a new local
  version, so a value computed between two writes of one transaction is not
  read after the second.

Whether a local version still stands is read from the connection itself: it is
tied to an ``on_commit`` callback (the one that will publish it), and Django
drops the callbacks of a savepoint that rolls back and all of them when the
transaction ends. The test suite, whose tests run inside one transaction that
never commits, sees every change through the local versions.

Every publish writes, in one ``set_many`` and in this order, a new ``EPOCH``,
the keys' versions, then a new ``STAMP``. A value being computed while a change
is published can tell (``EPOCH`` read before and after, ``pagecache.middleware``),
and a reader that remembers versions may keep them only while ``STAMP`` stays
the same (it is written after them). ``generation()`` counts this thread's local
bumps: the local counterpart of ``EPOCH``.
"""

import threading
import uuid
from collections.abc import Iterable, Sequence

from django.core.cache import BaseCache, caches
from django.db import DEFAULT_DB_ALIAS, transaction

# Recomputable values: fragments, remembered routes, visitors' stored pages. Kept
# apart from "default", whose throttle counters must never be evicted to make room.
CACHE_ALIAS = "pages"
EPOCH = "kindred:version:epoch"
STAMP = "kindred:version:stamp"
# Local versions carry this prefix; no published version does.
LOCAL = "local-"

_local = threading.local()


def store() -> BaseCache:
    """The cache the versions and what they version live in (``CACHE_ALIAS``)."""
    return caches[CACHE_ALIAS]


def fresh() -> str:
    """A new random version."""
    return uuid.uuid4().hex


class _Publish:
    """An ``on_commit`` callback that publishes fresh versions of the keys bumped under it."""

    __slots__ = ("keys",)

    def __init__(self) -> None:
        self.keys: dict[str, None] = {}

    def __call__(self) -> None:
        publish(self.keys)


def publish(keys: Iterable[str]) -> None:
    """Give each of ``keys`` a fresh version in the shared cache now (one ``set_many``)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    # Dicts keep their order: the epoch first, the stamp last (module docstring).
    # Redis writes them with one MSET; the other caches write them in this order.
    values = {EPOCH: fresh(), **{key: fresh() for key in keys}, STAMP: fresh()}
    store().set_many(values, timeout=None)


def _connection():
    return transaction.get_connection(DEFAULT_DB_ALIAS)


def _live_tokens(connection) -> set[int]:
    return {id(entry[1]) for entry in connection.run_on_commit if type(entry[1]) is _Publish}


def _overlay(connection) -> dict[str, list[tuple[str, _Publish]]]:
    """This thread's local versions that still stand, pruned of rolled-back ones."""
    overlay = getattr(_local, "overlay", None)
    if not overlay:
        return {}
    if not connection.in_atomic_block:
        _local.overlay = {}
        return {}
    live = _live_tokens(connection)
    pruned = {}
    for key, stack in overlay.items():
        kept = [item for item in stack if id(item[1]) in live]
        if kept:
            pruned[key] = kept
    _local.overlay = pruned
    return pruned


def _token(connection) -> _Publish:
    """The callback to publish this bump at commit: the last one, when it shares its fate.

    A callback registered under the same savepoints is dropped by exactly the same
    rollbacks, so a transaction that writes a hundred rows registers one.
    """
    savepoints = set(connection.savepoint_ids) - {None}
    for sids, func, _robust in reversed(connection.run_on_commit):
        if type(func) is _Publish:
            if sids - {None} == savepoints:
                return func
            break
    token = _Publish()
    transaction.on_commit(token, using=DEFAULT_DB_ALIAS)
    return token


def bump(*keys: str) -> None:
    """Give each of ``keys`` a new version: at once outside a transaction; inside one,
    a local one now for this thread and a published one at commit (module docstring)."""
    if not keys:
        return
    connection = _connection()
    if not connection.in_atomic_block:
        publish(keys)
        return
    overlay = _overlay(connection)
    token = _token(connection)
    token.keys.update(dict.fromkeys(keys))
    for key in keys:
        overlay.setdefault(key, []).append((LOCAL + fresh(), token))
    _local.overlay = overlay
    _local.generation = generation() + 1


def generation() -> int:
    """How many local bumps this thread has made (a change means: something was written)."""
    return getattr(_local, "generation", 0)


def local_versions() -> dict[str, str]:
    """This thread's local versions that still stand (empty outside a transaction)."""
    return {key: stack[-1][0] for key, stack in _overlay(_connection()).items()}


def overlaid(shared: dict, keys: Sequence[str], local: dict[str, str] | None = None) -> dict:
    """``keys``' versions as this thread sees them: its own local ones over ``shared``'s."""
    if local is None:
        local = local_versions()
    return {key: local.get(key, shared.get(key)) for key in keys}


# Published versions this process has read, valid while STAMP keeps the value they
# were read under: every publish writes STAMP after the versions, so once a publish
# is complete its new STAMP makes every process read the versions afresh.
MEMO_LIMIT = 10_000
_memo: tuple[str | None, dict[str, str]] = (None, {})


def _shared(keys: Sequence[str], stamp: str | None) -> dict[str, str]:
    """The published versions of ``keys``: from the memo when ``stamp`` (read before,
    by the caller, from the shared cache) is the one it was filled under."""
    global _memo
    memo_stamp, remembered = _memo
    if stamp is not None and memo_stamp == stamp and all(key in remembered for key in keys):
        return {key: remembered[key] for key in keys}
    found = store().get_many(keys) if keys else {}
    if stamp is not None:
        # Read after ``stamp``: at least as new as every version published before it.
        if memo_stamp != stamp or len(remembered) > MEMO_LIMIT:
            _memo = (stamp, dict(found))
        else:
            remembered.update(found)
    return found


def current(keys: Sequence[str], *, stamp: str | None = None) -> dict[str, str | None]:
    """Each of ``keys``' current version for this thread (None: never made, or evicted).

    ``stamp``: ``STAMP``'s value just read from the shared cache, which lets the
    published versions come from this process's memo, with no round trip.
    """
    local = local_versions()
    wanted = [key for key in keys if key not in local]
    return overlaid(_shared(wanted, stamp), keys, local)


def ensure(keys: Sequence[str]) -> dict[str, str | None]:
    """Like ``current``, making a first version for any key that has none yet.

    A first version cannot hide a change: a value kept with an older version of
    the key went with it. A key made here changes ``STAMP`` too, so a reader that
    remembered the older version (evicted) reads it again.
    """
    found = current(keys)
    missing = [key for key, value in found.items() if value is None]
    if missing:
        pages = store()
        added = [pages.add(key, fresh(), timeout=None) for key in missing]
        if any(added):
            pages.set(STAMP, fresh(), timeout=None)
        found.update(pages.get_many(missing))
    return found
