"""The full-page cache for visitors, with exact invalidation (issue 17).

A visitor's page that is the same for everyone is stored whole (bytes and
headers) and served again by ``PublicPageCacheMiddleware``, first in
``MIDDLEWARE``, without a database query. Everything else is rendered as
before. What decides, and why, is in ``pagecache/README.md``; in short:

- **Served from the cache**: GET or HEAD without a session, messages or
  visitor-rater cookie. Key: scheme, host and the full path with its query.
- **Stored**: only pages a view marked with ``mark_public(request, tags=...)``
  and only when the response is a 200 to an anonymous request, sets no cookie,
  used no CSRF token, is not private or streamed, and is HTML, RSS, Atom or XML.
  Wagtail pages are marked by ``pagecache.wagtail_hooks`` (items whose
  audience is everyone, the home, sections, the community directory and listed
  communities, information pages); tag pages and the public feeds by their
  views. Search results, teasers (403), 404s, redirects are never stored.
- **Tags** (decided for issue 17): ``all`` (every stored page), ``listings``
  (every page that lists items or communities: home, sections, tag pages,
  feeds, the community directory and a community's page) and ``page:<id>``
  (an item's own page). A comment or a rating bumps ``page:<id>`` and
  ``listings`` (cards show counts and stars); any other change bumps ``all``.
  Finer tags (per section, per tag) were left out: listings show items of
  many sections and tags, and a missed dependency would serve a stale page,
  while over-invalidation costs one render.
- **Invalidation**: saves, deletions and many-to-many changes of every model
  bump ``all`` unless the model is on ``pagecache.signals.IGNORED`` (never shown
  on a public page); Wagtail's publish, unpublish and move signals too. Writes
  that send no signal call ``invalidate(...)`` themselves.
- **Race-free**: a bump is made at commit; a page that was rendering when one
  was made is not stored (the epoch, ``pagecache.middleware``).
"""

from .marking import mark_private, mark_public
from .tags import ALL, LISTINGS, invalidate, page_tag

__all__ = ["ALL", "LISTINGS", "invalidate", "mark_private", "mark_public", "page_tag"]
