"""Tag versions: what a cached page depends on, and how a change reaches it.

Every stored page names its tags (``all`` always, ``listings``, ``page:<id>``)
with the version each had when it was stored. A tag's version is a random
string under its own cache key; a change writes a new one (a *bump*), so every
page stored with the old version no longer matches and is rendered afresh on
its next visit. Nothing walks the cached pages: a bump is one ``set_many``.

Each bump also writes a new global ``epoch``. The middleware reads the epoch
before a page is rendered and again before it stores it: a change committed
while the page was rendering makes the two differ, and the page is not stored
(see ``pagecache.middleware``).

When a bump happens, relative to the write's transaction:

- at commit (``transaction.on_commit``), once per tag per transaction: this is
  the bump that other processes rely on. Before the commit they cannot read
  the new rows, so a bump then would let a visitor render the old rows and
  store them under the new version, stale until the next change.
- also at once, for readers on the writer's own connection (the only ones who
  can already read the uncommitted rows: the request itself, a management
  command that renders, and the test suite, whose tests run inside one
  transaction that never commits). It is repeated within a transaction only if
  this thread began rendering a page since the last one (a render that began
  earlier read the epoch before that bump, so it cannot store; one that began
  later may have read the rows before this write), so a transaction that saves
  a hundred rows writes each tag at most twice.
"""

import threading
import uuid
from collections.abc import Iterable

from django.core.cache import BaseCache
from django.db import DEFAULT_DB_ALIAS, transaction

from core import fragments

# Stored pages, tag versions and the epoch live in core's cache for what can be
# recomputed (core.fragments.CACHE_ALIAS), apart from "default", which holds the
# throttle counters: a flood of pages must never push a sign-in counter out
# (FileBasedCache culls a third of its files past MAX_ENTRIES; a full Redis evicts).
KEY_PREFIX = "kindred:pagecache:"
EPOCH_KEY = f"{KEY_PREFIX}epoch"

ALL = "all"
LISTINGS = "listings"

_local = threading.local()


def store() -> BaseCache:
    """The cache the page cache reads and writes (core's ``pages`` alias)."""
    return fragments.store()


def page_tag(page_id: int) -> str:
    """The tag of one item's own page (its body, rating summary, comments)."""
    return f"page:{int(page_id)}"


def tag_key(tag: str) -> str:
    """The cache key holding ``tag``'s current version."""
    return f"{KEY_PREFIX}tag:{tag}"


def new_version() -> str:
    return uuid.uuid4().hex


def bump_now(tags: Iterable[str]) -> None:
    """Give each of ``tags`` (and the epoch) a new version at once, in one cache call."""
    keys = {tag_key(tag) for tag in tags}
    if not keys:
        return
    # The epoch first, then the versions: the middleware reads them the other
    # way round at store time, so it never pairs a new version with the old epoch.
    pages = store()
    pages.set(EPOCH_KEY, new_version(), timeout=None)
    pages.set_many({key: new_version() for key in keys}, timeout=None)


def note_render_start() -> None:
    """Count a render this thread began after reading the epoch (the module docstring)."""
    _local.renders = getattr(_local, "renders", 0) + 1


def _flush_on_commit() -> None:
    """Bump every tag this thread's committed transaction changed, once."""
    pending = getattr(_local, "commit_pending", None)
    if pending:
        _local.commit_pending = set()
        bump_now(pending)


def invalidate(*tags: str) -> None:
    """Make every cached page carrying any of ``tags`` be rendered afresh.

    Call it where a write that shows on public pages sends no model signal
    (``QuerySet.update()``, ``bulk_create``, raw SQL); saves and deletions
    through the ORM reach it by themselves (``pagecache.signals``). Outside a
    transaction the bump is immediate; inside one it is also made when the
    outermost transaction commits (a rolled-back one still bumped: a few pages
    rendered again for nothing, never a stale one).
    """
    wanted = set(tags)
    if not wanted:
        return
    connection = transaction.get_connection(DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        bump_now(wanted)
        return
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    renders = getattr(_local, "renders", 0)
    done = getattr(_local, "immediate", None)
    if done is None or done[0] is not outermost:
        done = (outermost, {})
        _local.immediate = done
    now = {tag for tag in wanted if done[1].get(tag) != renders}
    if now:
        bump_now(now)
        for tag in now:
            done[1][tag] = renders
    # The commit-time bump, one callback per transaction. Whether ours is still
    # waiting is read from the connection's own list: a callback registered in
    # a savepoint that rolled back is gone from it (then it is registered
    # again), and when none is waiting, what is pending came from transactions
    # that rolled back, which changed nothing, so it is dropped.
    waiting = any(
        entry[1] is _flush_on_commit for entry in getattr(connection, "run_on_commit", ())
    )
    if not waiting:
        _local.commit_pending = set()
        transaction.on_commit(_flush_on_commit, using=DEFAULT_DB_ALIAS)
    _local.commit_pending |= wanted
