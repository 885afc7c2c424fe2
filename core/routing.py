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

The specific page is fetched with its author and profile, the features'
listing columns (rating summary, comment count: ``core.hooks.LISTING_COLUMNS``)
and whether a view restriction or an alias lies on it or above it, so that the
access checks on the way (Wagtail's view restrictions, ``item_access``, the
features' gates) need no query of their own (``restriction_facts``).
"""

import hashlib
import uuid

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.lookups import StartsWith
from django.http import Http404

from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from core.fragments import store
from core.hooks import with_listing_columns

ROUTE_TIMEOUT = 24 * 60 * 60
_VERSION_KEY = "kindred:route:version"
# Set on a page fetched by ``route_below``: (restricted, alias above) from the same query.
FACTS_ATTR = "_kindred_restriction_facts"


def _version() -> str:
    version = store().get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        store().add(_VERSION_KEY, version, timeout=None)
        version = store().get(_VERSION_KEY, version)
    return version


def forget_routes(**kwargs) -> None:
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
    aliases = Page.objects.filter(StartsWith(OuterRef("path"), F("path")), alias_of__isnull=False)
    return queryset.annotate(
        kindred_restricted=Exists(restricted), kindred_alias_above=Exists(aliases)
    )


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


def _specific(model, *, pk: int, url_path: str):
    queryset = model._default_manager.filter(pk=pk, url_path=url_path)
    from core.models import ContentPage

    if issubclass(model, ContentPage):
        # What the item page shows of its author (social.selectors.author_profile reads
        # the joined rows) and the features' columns, in the same query.
        queryset = with_listing_columns(queryset).select_related(
            "author__profile", "community", "medically_reviewed_by"
        )
    page = with_restriction_facts(queryset).first()
    if page is not None:
        page.__dict__[FACTS_ATTR] = (page.kindred_restricted, page.kindred_alias_above)
    return page


def route_below(root: Page, request, path_components: list[str]) -> RouteResult | None:
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
