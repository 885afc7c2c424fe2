"""Tag versions: what a cached page depends on, and how a change reaches it.

Every stored page names its tags (``all`` always, ``listings``, ``page:<id>``)
with the version each had when it was stored. A tag's version is a random
string under its own cache key; a change writes a new one (a *bump*), so every
page stored with the old version no longer matches and is rendered afresh on
its next visit. Nothing walks the cached pages.

The versions are core's (``core.versions``, shared with ``core.fragments``):
outside a transaction a bump is published at once; inside one it is local to
the writer's thread (which alone can read the uncommitted rows) and published
afresh at commit, so a page stored from rows that then roll back is never
served to anyone else. Each publish also writes a new ``EPOCH`` (first) and
``STAMP`` (last): the middleware does not store a page during whose render the
epoch (or this thread's local ``generation``) changed, and remembers tag
versions only while the stamp stays the same.
"""

from django.core.cache import BaseCache

from core import versions

# Stored pages and tag versions live in core's cache for what can be recomputed
# (core.versions.CACHE_ALIAS), apart from "default", which holds the throttle
# counters: a flood of pages must never push a sign-in counter out
# (FileBasedCache culls a third of its files past MAX_ENTRIES; a full Redis evicts).
KEY_PREFIX = "kindred:pagecache:"
EPOCH_KEY = versions.EPOCH
STAMP_KEY = versions.STAMP

ALL = "all"
LISTINGS = "listings"


def store() -> BaseCache:
    """The cache the page cache reads and writes (core's ``pages`` alias)."""
    return versions.store()


def page_tag(page_id: int) -> str:
    """The tag of one item's own page (its body, rating summary, comments)."""
    return f"page:{int(page_id)}"


def tag_key(tag: str) -> str:
    """The cache key holding ``tag``'s current version."""
    return f"{KEY_PREFIX}tag:{tag}"


def invalidate(*tags: str) -> None:
    """Make every cached page carrying any of ``tags`` be rendered afresh.

    Call it where a write that shows on public pages sends no model signal
    (``QuerySet.update()``, ``bulk_create``, raw SQL); saves and deletions
    through the ORM reach it by themselves (``pagecache.signals``). Outside a
    transaction the bump is published at once; inside one it is the writer's
    own until the outermost transaction commits (``core.versions``).
    """
    versions.bump(*(tag_key(tag) for tag in dict.fromkeys(tags)))
