"""The full-page cache for visitors: serve a stored page, or store one the view marked public.

First in ``MIDDLEWARE``, so a hit skips everything below it (sessions,
authentication, CSRF, the view) and a stored page's headers already hold what
every inner middleware added (security headers, Content-Security-Policy,
Permissions-Policy, X-Frame-Options). Kindred's policy has no per-request
nonce; a response whose policy carries one is not stored.

A hit costs one cache read (the entry, the epoch and the stamp in one
``get_many``; the tags' versions come from this process's memo while the stamp
is unchanged, ``core.versions``, else from a second ``get_many``) and no
database query. Every response to an eligible request
says which path it took in ``X-Kindred-Cache``: ``hit``, ``stored`` or
``miss``; a request that may not be served from the cache says ``bypass``.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import BaseCache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.cookie import SimpleCookie
from django.http.response import ResponseHeaders
from django.utils import translation
from django.utils.cache import cc_delim_re

from core import versions

from . import tags as tagging
from .marking import public_tags

logger = logging.getLogger(__name__)

HEADER = "X-Kindred-Cache"
# An entry is a tuple (status, headers, content, versions) (``_store``); entries of the
# older format (a dict) lived under "page:" and expire there by themselves.
ENTRY_PREFIX = f"{tagging.KEY_PREFIX}entry:"
# Longer addresses are served but not stored: nobody links to them, and an
# unbounded key space would let anyone fill the cache.
MAX_PATH_LENGTH = 1000
STORED_CONTENT_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
)
# Headers that vary with nothing a cookieless visitor sends differently.
# Accept-Language (issue 18): the key holds the language chosen from it and the cookie.
HARMLESS_VARY = {"cookie", "accept-encoding", "accept-language"}


def page_cache_seconds() -> int:
    return int(getattr(settings, "KINDRED_PAGE_CACHE_SECONDS", 600))


def bypass_cookies() -> frozenset[str]:
    """Cookies that change what a page shows, so a request carrying one is never served a stored
    page: the session (a member, or a visitor's pending sign-up), Django's messages, the
    visitor rater's token (their own star rating, ratings.browser) and any the settings add."""
    return _request_rules()[0]


@functools.cache
def _request_rules() -> tuple[frozenset[str], tuple[str, ...]]:
    """The bypass cookies and the file prefixes, read from the settings once (they were ~5 µs
    of every request's key) and again after a setting changes (``setting_changed``: tests)."""
    cookies = frozenset(
        {
            settings.SESSION_COOKIE_NAME,
            getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
            "kindred_rater",
            *getattr(settings, "KINDRED_PAGE_CACHE_BYPASS_COOKIES", ()),
        }
    )
    prefixes = tuple(
        prefix
        for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
        if prefix and prefix.startswith("/") and prefix != "/"
    )
    return cookies, prefixes


# Hosts request.get_host() accepted, by their (Host, X-Forwarded-Host) headers: its answer
# depends only on them and on settings (ALLOWED_HOSTS, DEBUG, USE_X_FORWARDED_HOST), and
# checking them again was ~3.5 µs of every hit. Only accepted hosts, and only so many:
# a flood of made-up Host headers under a wildcard is checked each time, not remembered.
_hosts: dict[tuple[str, str | None], str] = {}
HOSTS_REMEMBERED = 64


def _host(request: HttpRequest) -> str:
    """``request.get_host()`` (raises ``DisallowedHost`` as it does), remembered for the
    headers it accepted."""
    meta = request.META
    raw = meta.get("HTTP_HOST")
    if raw is None:
        return request.get_host()
    headers = (raw, meta.get("HTTP_X_FORWARDED_HOST"))
    host = _hosts.get(headers)
    if host is None:
        host = request.get_host()
        if len(_hosts) < HOSTS_REMEMBERED:
            _hosts[headers] = host
    return host


@receiver(setting_changed)
def _forget_request_rules(**kwargs) -> None:
    _request_rules.cache_clear()
    _hosts.clear()


def entry_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when it may not be served from the cache.

    The scheme, host, interface language and full path with the query string
    exactly as sent (the same page under two spellings is stored twice, never
    mixed up). HEAD reads the GET entry.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    cookies, file_prefixes = _request_rules()
    # No Cookie header, nothing to parse (Django's COOKIES parses even an empty one).
    if request.META.get("HTTP_COOKIE") and not cookies.isdisjoint(request.COOKIES):
        return None
    if request.path_info.startswith(file_prefixes):
        return None  # static files and uploads: whitenoise or the web server answer them
    path = request.get_full_path()
    if len(path) > MAX_PATH_LENGTH:
        return None
    try:
        host = _host(request)
    except DisallowedHost:
        return None  # the view's stack answers 400 as usual
    # Issue 18: the language LocaleMiddleware will choose (the switcher's cookie, else
    # Accept-Language), so a page stored in German is served only to German readers.
    if not request.META.get("HTTP_COOKIE"):
        request.COOKIES = {}  # what parsing an absent or empty header gives, without the parse
    language = translation.get_language_from_request(request)
    raw = f"{request.scheme}\n{host}\n{language}\n{path}".encode()
    return ENTRY_PREFIX + hashlib.sha256(raw).hexdigest()


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` is the same for every visitor and may be stored (see README)."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # Any cookie (a CSRF token, a session, a message) is meant for this browser only.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in STORED_CONTENT_TYPES:
        return False
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}
    if vary - HARMLESS_VARY:
        return False
    return "nonce-" not in response.get("Content-Security-Policy", "")


def _read(pages: BaseCache, keys: list[str]) -> list:
    """The values of ``keys`` in order (None where missing), in one cache call: on Redis
    one ``MGET`` with as little Python around it as possible (``pagecache.backends``)."""
    get_list = getattr(pages, "get_list", None)
    if get_list is not None:
        return get_list(keys)
    found = pages.get_many(keys)
    return [found.get(key) for key in keys]


def _matches(stored_versions: dict[str, str], stamp) -> bool:
    current = versions.current(list(stored_versions), stamp=stamp)
    # A tag whose version was evicted is missing: that is a mismatch, never a match.
    return all(current.get(key) == version for key, version in stored_versions.items())


class PublicPageCacheMiddleware:
    """Serve visitors' public pages from the cache; store those the view marked public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = page_cache_seconds()
        key = entry_key(request) if seconds > 0 else None
        if key is None:
            response = self.get_response(request)
            if seconds > 0:
                response[HEADER] = "bypass"
            return response
        pages = tagging.store()
        try:
            # One round trip for the entry, the epoch (read now, before the view runs)
            # and the stamp, under which the tags' versions this process read last
            # are still current (core.versions): a hit needs no second one.
            entry, epoch, stamp = _read(pages, [key, tagging.EPOCH_KEY, tagging.STAMP_KEY])
            if entry is not None and _matches(entry[3], stamp):
                return self._from_entry(request, entry)
            # The race: the epoch is read before the view runs. Any change committed
            # while it renders bumps the epoch (pagecache.tags), so if it differs at
            # store time the page may show rows older than the versions we would
            # read now, and it is not stored. A missing epoch (a cold or flushed
            # cache) is created here; one evicted during the render reads as None
            # afterwards, which differs too.
            if epoch is None:
                pages.add(tagging.EPOCH_KEY, versions.fresh(), timeout=None)
                epoch = pages.get(tagging.EPOCH_KEY)
        except Exception:
            # A cache that does not answer (Redis down or full) must not take the
            # site down with it: the page is rendered as if the cache were off, and
            # /_health/ says what is wrong. Nothing is stored for this request.
            logger.warning(
                "Page cache unavailable; serving %s uncached", request.path, exc_info=True
            )
            response = self.get_response(request)
            response[HEADER] = "bypass"
            return response
        # This thread's own bumps (inside a transaction) are the local epoch: a page
        # during whose render this thread wrote is not stored, whether its
        # transaction is still open, committed or rolled back (core.versions).
        generation = versions.generation()
        response = self.get_response(request)
        response[HEADER] = "miss"
        tags = public_tags(request, response)
        if tags is None or not storable(request, response):
            return response
        try:
            if versions.generation() == generation:
                self._store(pages, key, response, tags, epoch)
        except Exception:
            logger.warning("Page cache unavailable; %s not stored", request.path, exc_info=True)
        return response

    def _store(self, pages, key: str, response: HttpResponse, tags: set[str], epoch) -> None:
        tag_keys = [tagging.tag_key(tag) for tag in sorted(tags)]
        # A tag never bumped yet gets its first version now (core.versions.ensure).
        # Versions first, then the epoch: a publish writes the epoch first, then
        # the versions (core.versions.publish), so a version read here that is
        # already the bump's new one means the epoch read after it is new too.
        current = versions.ensure(tag_keys)
        if epoch is None or pages.get(tagging.EPOCH_KEY) != epoch:
            return  # something changed while the page was rendering
        stored = {tag: current.get(tag) for tag in tag_keys}
        if any(version is None for version in stored.values()):
            return
        pages.set(
            key,
            (response.status_code, stored_headers(response), response.content, stored),
            timeout=page_cache_seconds(),
        )
        response[HEADER] = "stored"

    def _from_entry(self, request: HttpRequest, entry: tuple) -> HttpResponse:
        status, headers, content, _versions = entry
        return StoredResponse(status, headers, b"" if request.method == "HEAD" else content)


def stored_headers(response: HttpResponse) -> dict[str, tuple[str, str]]:
    """The response's headers as ``ResponseHeaders`` keeps them (lower-case name to the
    name and the value, already checked and encoded when they were set), with
    ``X-Kindred-Cache: hit`` and the length of the body (a HEAD answers without it)."""
    headers = ResponseHeaders({})
    for name, value in response.items():
        headers[name] = value
    headers[HEADER] = "hit"
    headers["Content-Length"] = str(len(response.content))
    return dict(headers._store)


class StoredResponse(HttpResponse):
    """A stored page served again: an ``HttpResponse`` of the stored status, headers and
    bytes, whose headers are not checked and encoded one by one again (Django's
    ``__setitem__`` for each of ~11 headers was ~20 µs of a ~125 µs hit on Redis).

    ``__init__`` sets what ``HttpResponse.__init__`` sets, nothing else
    (``tests/pagecache/test_stored_response.py`` holds the two to the same attributes, so
    a Django upgrade that adds one fails there, not in production).
    """

    def __init__(self, status: int, headers: dict[str, tuple[str, str]], content: bytes):
        self.headers = ResponseHeaders.__new__(ResponseHeaders)
        self.headers._store = dict(headers)
        self._charset = None
        self._resource_closers = []
        self._handler_class = None
        self.cookies = SimpleCookie()
        self.closed = False
        self.status_code = status
        self._reason_phrase = None
        self._container = [content]
