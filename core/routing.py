"""Routing an address to its page in one query, and what a served page knows of its access.

Wagtail's ``Page.route`` walks the address one slug at a time: a query for each
child and one for each ``.specific``, five for an item two levels below home.
``route_below`` (``HomePage.route``) finds the page by its ``url_path`` instead:

- the address's ``(page id, content type)`` is remembered in the cache, so a
  warm route is one query, the specific page by id *and* ``url_path``: a page
  moved, renamed or deleted since no longer matches and the address is routed
  afresh (and a deletion or a move forgets every remembered address at once);
- a cold route reads the chain of pages the address names in one query and
  answers only when every page in it routes the plain Wagtail way (no
  ``RoutablePageMixin``, no ``route`` of its own); otherwise Wagtail routes.

The site a page's request is for (Wagtail's ``Site.find_for_request``: a query, and
one more for the home page's specific row to route from) comes from the cache
(``cached_site``, ``SiteFromCacheMiddleware``) while no site and no page but items
and communities changed (the navigation's version).

The specific page is fetched with its author and profile, the features'
listing columns (rating summary, comment count: ``core.hooks.LISTING_COLUMNS``)
and whether a view restriction or an alias lies on it or above it, so that the
access checks on the way (Wagtail's view restrictions, ``item_access``, the
features' gates) need no query of their own (``restriction_facts``).
"""

import hashlib
import threading
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, router
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.lookups import StartsWith
from django.db.models.signals import post_migrate
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port

from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from core import fragments
from core.fragments import store
from core.hooks import with_listing_columns
from core.prepared import prepared

ROUTE_TIMEOUT = 24 * 60 * 60
_VERSION_KEY = "kindred:route:version"
# Set on a page fetched by ``route_below``: (restricted, alias above) from the same query.
FACTS_ATTR = "_kindred_restriction_facts"
# Set on a page fetched by ``route_below`` only (``is_routed``): facts may also be read
# for a draft (``restriction_facts``), this never.
ROUTED_ATTR = "_kindred_routed"


def _version() -> str:
    version = store().get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        store().add(_VERSION_KEY, version, timeout=None)
        version = store().get(_VERSION_KEY, version)
    return version


def forget_routes(**kwargs: object) -> None:
    """Forget every remembered address (a page deleted or moved: signal receiver)."""
    store().set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _route_key(root: Page, url_path: str) -> str:
    # Hashed: the address comes from the request (any length, any characters), and a
    # cache key must stay short and plain (memcached's 250 characters, no spaces).
    digest = hashlib.sha256(url_path.encode("utf-8", "surrogatepass")).hexdigest()
    return f"kindred:route:{_version()}:{root.pk}:{digest}"


def with_restriction_facts(queryset: QuerySet) -> QuerySet:
    """``queryset`` of pages with ``kindred_restricted`` and ``kindred_alias_above``.

    A view restriction covers its page and every page below it (its path is a
    prefix of theirs); an alias on the way makes Wagtail read its source's
    restrictions, so such a page is left to Wagtail.
    """
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    # ``alias_of_id > 0`` rather than ``IS NOT NULL``: the same rows (ids are positive), but
    # SQLite then walks the alias_of index (usually empty) instead of every page row, which
    # at 100,000 items was most of a section page's time (benchmarks/README.md, Scale).
    aliases = Page.objects.filter(StartsWith(OuterRef("path"), F("path")), alias_of_id__gt=0)
    return queryset.annotate(
        kindred_restricted=Exists(restricted), kindred_alias_above=Exists(aliases)
    )


def is_routed(page: Page) -> bool:
    """Whether ``page`` is the live row ``route_below`` fetched (not a revision's draft).

    What is kept in the cache for a served page (its tags, a question's conditions)
    may be computed only from such a page: a draft built from a revision carries its
    unpublished values in memory, and Wagtail's ``serve_preview`` called directly (the
    site's own preview of one's contribution) leaves ``request.is_preview`` unset.
    """
    return page.__dict__.get(ROUTED_ATTR, False)


def restriction_facts(page: Page) -> tuple[bool, bool]:
    """(restricted, alias above) for ``page``: from its routing query, else one query, once.

    Kept on the page instance, which lives for one request: Wagtail's view
    restriction check, ``item_access`` and the features' gates all ask.
    """
    facts = page.__dict__.get(FACTS_ATTR)
    if facts is None:
        row = (
            with_restriction_facts(Page.objects.filter(pk=page.pk))
            .values_list("kindred_restricted", "kindred_alias_above")
            .first()
        )
        facts = (bool(row[0]), bool(row[1])) if row else (True, True)
        page.__dict__[FACTS_ATTR] = facts
    return facts


def _plain_route(model) -> bool:
    return model is not None and model.route is Page.route


def _routing_queryset(model: type[Page], *, pk: int, url_path: str) -> QuerySet:
    queryset = model._default_manager.filter(pk=pk, url_path=url_path)
    from core.models import ContentPage

    if issubclass(model, ContentPage):
        # What the item page shows of its author (social.selectors.author_profile reads
        # the joined rows), its language (core.languages.language_of) and the
        # features' columns, in the same query.
        queryset = with_listing_columns(queryset).select_related(
            "author__profile", "community", "medically_reviewed_by", "locale"
        )
    return with_restriction_facts(queryset)[:1]


# Stand-ins for the two values a routing query takes, found again among the compiled
# query's parameters: no real page has this id, no address this path.
_PK = -770_000_017
_PATH = "\x00kindred:route:url_path\x00"


# Per thread (a compiler holds its thread's connection), per model, database and the
# features' listing columns registered (a test may register one for a while).
_prepared = threading.local()


def forget_prepared(**kwargs: object) -> None:
    """Drop the compiled routing queries (``post_migrate``: a flushed database's content
    types, whose ids the features' columns carry, may come back under new ids)."""
    _prepared.__dict__.clear()


# Connected here, where the compiled queries live: nothing is compiled before this
# module is imported.
post_migrate.connect(forget_prepared, dispatch_uid="kindred_routing_forget_prepared")


def _specific(model: type[Page], *, pk: int, url_path: str) -> Page | None:
    from core.hooks import LISTING_COLUMNS

    alias = router.db_for_read(model)
    # The routing query compiled once (``core.prepared``): compiling it (three tables of
    # page inheritance, the author, profile, community and reviewer joined, the features'
    # columns and two ``Exists``) was the largest single piece of Python work on a
    # member's item page (issue 17); only the id and the path change.
    query = prepared(
        _prepared.__dict__,
        (model, alias, tuple(hooks.get_hooks(LISTING_COLUMNS))),
        lambda: _routing_queryset(model, pk=_PK, url_path=_PATH),
        alias,
        {"pk": _PK, "url_path": _PATH},
    )
    if query is not None:
        page = query.first(pk=pk, url_path=url_path)
    else:
        page = _routing_queryset(model, pk=pk, url_path=url_path).first()
    if page is not None:
        page.__dict__[FACTS_ATTR] = (page.kindred_restricted, page.kindred_alias_above)
        page.__dict__[ROUTED_ATTR] = True
    return page


def route_below(root: Page, request: HttpRequest, path_components: list[str]) -> RouteResult | None:
    """Wagtail's ``RouteResult`` for the page ``path_components`` name below ``root``.

    ``None`` when Wagtail should route (an empty path, a page on the way with a
    ``route`` of its own, an address naming no page or a doubtful one). Raises
    ``Http404`` as Wagtail does for a page that is not live.
    """
    if not path_components:
        return None
    url_path = root.url_path + "/".join(path_components) + "/"
    key = _route_key(root, url_path)
    remembered = store().get(key)
    page = None
    if remembered is not None:
        pk, content_type_id = remembered
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            model = None
        if model is not None:
            page = _specific(model, pk=pk, url_path=url_path)
    if page is None:
        prefixes = [
            root.url_path + "/".join(path_components[: n + 1]) + "/"
            for n in range(len(path_components))
        ]
        chain = list(
            Page.objects.filter(
                url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth
            )
            .order_by("depth")
            .only("id", "path", "depth", "url_path", "content_type_id")
        )
        if len(chain) != len(prefixes):
            return None
        parent = root
        for step in chain:
            if step.depth != parent.depth + 1 or not step.path.startswith(parent.path):
                return None
            if not _plain_route(step.specific_class):
                return None
            parent = step
        last = chain[-1]
        store().set(key, (last.pk, last.content_type_id), timeout=ROUTE_TIMEOUT)
        page = _specific(last.specific_class, pk=last.pk, url_path=url_path)
        if page is None:
            return None
    if not page.live:
        raise Http404
    return RouteResult(page)


def _lookup_site(hostname: str, port: int) -> Site | None:
    """Wagtail's site for ``(hostname, port)``, its root page as the specific home page."""
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    # What Wagtail's ``route_for_request`` asks next (``root_page.localized.specific``):
    # a home page already specific is its own ``specific``, with no query.
    site.root_page = site.root_page.specific
    return site


def cached_site(hostname: str, port: int) -> Site | None:
    """What ``get_site_for_hostname(hostname, port)`` gives (``None`` for no site), from
    the cache (issue 17: two queries, the site and its home page, on every page served).

    Kept under the navigation's version (``core.fragments``), which a site saved or
    deleted and any page but an item or a community saved, published, unpublished,
    moved or deleted bump: the sites and their root pages are read again then. The
    caller keeps the keys few (``SiteFromCacheMiddleware``: a host ``ALLOWED_HOSTS``
    names). Each call unpickles its own copy, so nothing set on one request's site
    reaches another's.
    """
    digest = hashlib.sha256(hostname.encode("utf-8", "surrogatepass")).hexdigest()
    return fragments.cached(
        fragments.NAVIGATION,
        f"site:{digest}:{int(port)}",
        lambda: _lookup_site(hostname, port),
    )


class SiteFromCacheMiddleware:
    """Give a page's request its site from ``cached_site`` before Wagtail looks it up.

    Only for Wagtail's ``serve`` (the pages), where the lookup costs two queries
    (the site, then the home page's specific row to route from) and a miss costs
    the same two: other views that want the site (the navigation) ask Wagtail, one
    query, as before. Wagtail's ``Site.find_for_request`` keeps the site on the
    request (``_wagtail_site``) and reads it from there; the host and port are found
    as it finds them. Only a host that ``ALLOWED_HOSTS`` names itself (not through a
    pattern) is kept, so a request cannot add keys at will.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        if view_func is not wagtail_serve or hasattr(request, "_wagtail_site"):
            return
        hostname = split_domain_port(request._get_raw_host())[0]
        if hostname not in settings.ALLOWED_HOSTS:
            return
        try:
            request._wagtail_site = cached_site(hostname, request.get_port())
        except DatabaseError:
            # A miss reads the database here, before the view, where an error would skip
            # the view's handlers (a busy database's 503: DatabaseBusyMiddleware). Wagtail
            # looks the site up again in the view, and its error is answered there.
            return
