"""Site search: one selector builds every search, whatever the backend.

Two phases, so that the index never decides what a reader sees:

1. The backend (Wagtail's database backend, or Elasticsearch/OpenSearch when
   ``SEARCH_URL`` says so) matches and ranks live content pages and gives back
   at most ``MAX_HITS`` ordered ids. Spelling mistakes are forgiven with a
   ``Fuzzy`` query where the backend supports it (the engines).
2. The database keeps only the hits ``core.selectors.readable_content``
   allows this reader, and computes everything shown from that set: the
   filters, facet counts, order, page, cards and excerpts. A stale index (a
   page unpublished while the engine was down) can therefore never leak.

The views never look at the backend; an unreachable engine surfaces as
``SearchUnavailable``.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from core.languages import content_languages
from core.models import ContentPage
from core.models.content import ContentPageTag
from core.selectors import (
    Reader,
    listing_orders,
    paginate,
    readable_content,
)

from . import params as params_module
from .excerpts import excerpt
from .hits import visitor_matching_ids
from .params import (
    CONTENT_TYPES,
    RESULTS_PER_PAGE,
    SearchParams,
    clean_query,
    listing_sort_for,
    search_terms,
)
from .spelling import Vocabulary, did_you_mean

AUTOCOMPLETE_HITS = 30
AUTOCOMPLETE_LIMIT = 8
TAG_FACET_LIMIT = 15
# "Did you mean" learns its words from this many readable items, the newest
# (as popular topics count the newest 2,000). 10,000 cost 76 ms of CPU at
# 100,000 items, on every search that found nothing, and on the engine it
# was the slowest search (the p95): benchmarks/README.md.
SPELLING_ITEMS = 2_000


def _ordered_by(ids):
    """An order expression that keeps ``ids``' order (the engine's ranking)."""
    if not ids:
        return Value(0)
    return Case(
        *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)),
        output_field=IntegerField(),
    )


def _id_list(ids: list[int]) -> RawSQL | list[int]:
    """``ids`` for a ``pk__in`` filter as one parameter, where the database can unpack it.

    Django compiles a list of ids into one placeholder and one prepared value
    per id: for the 300 hits a common word reaches, about half of the readable
    filter's time (benchmarks/README.md, "Search at 100,000 items"). SQLite
    unpacks a JSON array (``json_each``), PostgreSQL an array; other databases
    get the list.
    """
    vendor = connections[router.db_for_read(ContentPage)].vendor
    ids = [int(pk) for pk in ids]
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
    if vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::integer[])", (ids,))
    return ids


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    active: bool = False


@dataclass
class SearchResults:
    """Everything the results page shows; no further queries are needed to render it."""

    params: SearchParams
    items: object = None  # a paginator Page of content pages with ``excerpt``
    total: int = 0
    capped: bool = False
    promotions: list = field(default_factory=list)
    type_facet: list = field(default_factory=list)
    tag_facet: list = field(default_factory=list)
    condition_facet: list = field(default_factory=list)
    language_facet: list = field(default_factory=list)
    # "Did you mean …?": the query respelled, when it found nothing readable.
    suggestion: str | None = None


@dataclass
class _Hit:
    """What the filters and facets need to know about one readable hit."""

    pk: int
    content_type_id: int
    condition: tuple | None  # (slug, name) for stories with a condition
    language: str = ""  # the item's locale's code
    tags: dict = field(default_factory=dict)  # slug -> name


def _readable_hits(*, user, hit_ids):
    """The readable hits, in the backend's order, with type, condition and tags: two queries."""
    rows = (
        readable_content(user=user)
        .filter(pk__in=_id_list(hit_ids))
        .values_list(
            "pk",
            "content_type_id",
            "experiencestorypage__condition__slug",
            "experiencestorypage__condition__name",
            "locale__language_code",
        )
    )
    hits = {
        pk: _Hit(pk, content_type_id, (slug, name) if slug else None, language)
        for pk, content_type_id, slug, name, language in rows
    }
    tagged = ContentPageTag.objects.filter(content_object_id__in=_id_list(list(hits))).values_list(
        "content_object_id", "tag__slug", "tag__name"
    )
    for pk, slug, name in tagged:
        hits[pk].tags[slug] = name
    return [hits[pk] for pk in hit_ids if pk in hits]


def _passes(hit, params, type_id, *, leave_out=None):
    """Whether ``hit`` passes the active filters, except the facet ``leave_out``."""
    if leave_out != "type" and params.type and hit.content_type_id != type_id:
        return False
    if leave_out != "tag" and params.tag and params.tag not in hit.tags:
        return False
    if leave_out != "language" and params.language and hit.language != params.language:
        return False
    return not (
        leave_out != "condition"
        and params.condition
        and (hit.condition is None or hit.condition[0] != params.condition)
    )


def search_content(*, user: Reader, params: SearchParams) -> SearchResults:
    """The results page for ``params`` as ``user`` may see it (see the module docstring).

    Facets are disjunctive: each facet's counts apply every other active
    filter but not its own, so a reader who picked "Blog post" still sees how
    many expert articles match and can switch. Counts cover only readable
    items. Sorts: relevance (the backend's ranking), newest or top rated
    (``core.selectors`` orders). Raises ``SearchUnavailable`` when the engine
    cannot be reached.

    At most ``MAX_HITS`` hits are considered; their types, conditions and tags
    are read in two queries and filtered and counted in Python (cheaper than
    one aggregate query per facet over the same list of ids).
    """
    result = SearchResults(params=params)
    if not params.query:
        return result
    # Phase 1 ranks every language (each item stemmed in its own, search.hits), not
    # only ``params.language``: the language facet counts the others, so a reader
    # who picked one can see what the rest would add and switch. The filter is
    # applied below, like type, tag and condition.
    hits = _readable_hits(user=user, hit_ids=visitor_matching_ids(params.query, user=user))
    if not hits:
        # Nothing for these words at all (not merely for the filters): a typo?
        result.suggestion = spelling_suggestion(user=user, query=params.query)
    content_types = ContentType.objects.get_for_models(*CONTENT_TYPES.values())
    type_id = content_types[CONTENT_TYPES[params.type]].pk if params.type else None

    result.type_facet = _type_facet(
        [hit for hit in hits if _passes(hit, params, type_id, leave_out="type")],
        params,
        content_types,
    )
    result.tag_facet = _tag_facet(
        [hit for hit in hits if _passes(hit, params, type_id, leave_out="tag")], params
    )
    result.condition_facet = _condition_facet(
        [hit for hit in hits if _passes(hit, params, type_id, leave_out="condition")], params
    )
    result.language_facet = _language_facet(
        [hit for hit in hits if _passes(hit, params, type_id, leave_out="language")], params
    )

    # Relevance is the backend's order, which ``hits`` keeps; the others are
    # the listings' orders (newest, and those features register: top rated).
    ids = [hit.pk for hit in hits if _passes(hit, params, type_id)]
    order = listing_orders().get(listing_sort_for(params.sort))
    if ids and order is not None:
        ids = list(
            ContentPage.objects.filter(pk__in=_id_list(ids))
            .order_by(*order.order_by)
            .values_list("pk", flat=True)
        )
    result.items = paginate(ids, params.page, per_page=RESULTS_PER_PAGE)
    result.total = len(ids)
    # Only the best MAX_HITS matches are considered; say so rather than
    # pretend they are all. Counted on readable hits only (no hint of others).
    result.capped = len(hits) >= params_module.MAX_HITS
    page_ids = list(result.items.object_list)
    # A result shows its byline (author and profile), rating and language, joined here.
    cards = {
        item.pk: item
        for item in ContentPage.objects.filter(pk__in=page_ids).select_related(
            "author__profile", "rating_summary", "locale"
        )
    }
    result.items.object_list = [cards[pk] for pk in page_ids if pk in cards]
    for item in result.items.object_list:
        item.excerpt = excerpt(item, params.query)
    result.promotions = promoted_results(user=user, query=params.query)
    return result


def _type_facet(hits, params, content_types):
    counts = Counter(hit.content_type_id for hit in hits)
    return [
        FacetOption(
            value=key,
            label=model._meta.verbose_name.capitalize(),
            count=counts[content_types[model].pk],
            active=params.type == key,
        )
        for key, model in CONTENT_TYPES.items()
        if counts[content_types[model].pk] or params.type == key
    ]


def _language_facet(hits, params):
    """The languages of the hits, in the settings' order, each named in itself; offered only
    when the hits are in more than one (or a language is chosen, so it can be removed)."""
    counts = Counter(hit.language for hit in hits)
    options = [
        FacetOption(value=code, label=name, count=counts[code], active=params.language == code)
        for code, name in content_languages().items()
        if counts[code] or params.language == code
    ]
    return options if len(options) > 1 or params.language else []


def _counted_options(counts, names, active, *, limit=None):
    """Facet options by count (then name); the active value stays listed so it can be removed."""
    ranked = sorted(counts, key=lambda value: (-counts[value], names[value].lower()))[:limit]
    options = [
        FacetOption(value=value, label=names[value], count=counts[value], active=value == active)
        for value in ranked
    ]
    if active and not any(option.active for option in options):
        options.append(
            FacetOption(value=active, label=names.get(active, active), count=0, active=True)
        )
    return options


def _tag_facet(hits, params):
    counts, names = Counter(), {}
    for hit in hits:
        counts.update(hit.tags.keys())
        names.update(hit.tags)
    return _counted_options(counts, names, params.tag, limit=TAG_FACET_LIMIT)


def _condition_facet(hits, params):
    counts = Counter(hit.condition for hit in hits if hit.condition)
    slugs = Counter({slug: count for (slug, _), count in counts.items()})
    names = dict(counts.keys())
    return _counted_options(slugs, names, params.condition)


def promoted_results(*, user: Reader, query: str) -> list[dict]:
    """Editor's picks for ``query`` that this reader may read, in the editors' order.

    A pick that points at a page the reader may not read (unpublished since,
    or private) is left out; external links are always shown.
    """
    # Cleaned here as well as in search_params: a caller may pass any text, and
    # PostgreSQL refuses a NUL byte outright.
    normalised = normalise_query_string(clean_query(query))
    if not normalised:
        return []
    promotions = list(
        SearchPromotion.objects.filter(query__query_string=normalised)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    page_ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    readable_pages = {}
    if page_ids:
        # Any page editors picked (an item, a section, a site page), through
        # the one gate every reader of content passes, so access rules added
        # there (communities, audiences) reach the picks too.
        readable_pages = {
            page.pk: page
            for page in readable_content(user=user, queryset=Page.objects.filter(pk__in=page_ids))
        }
    picks = []
    for promotion in promotions:
        if promotion.page_id:
            page = readable_pages.get(promotion.page_id)
            if page is None:
                continue
            picks.append(
                {"title": page.title, "url": page.url, "description": promotion.description}
            )
        elif promotion.external_link_url:
            picks.append(
                {
                    "title": promotion.external_link_text or promotion.external_link_url,
                    "url": promotion.external_link_url,
                    "description": promotion.description,
                }
            )
    return picks


def spelling_suggestion(*, user: Reader, query: str) -> str | None:
    """``query`` respelled with words from what ``user`` may read ("fatige" -> "fatigue"), or None.

    The words are those of the titles and tags of readable items only
    (``readable_content``), so no draft, item in review, private or
    restricted item can be named or hinted at: the newest
    ``SPELLING_ITEMS`` of them, so the cost stops growing with the site
    (every readable title took 0.6-0.9 s at 100,000 items, the newest
    10,000 76 ms). Three queries
    (the view restrictions, titles, tag names); the comparison is bounded
    (see ``search.spelling``).
    """
    terms = search_terms(query).split()
    if not terms:
        return None
    # Newest first by id: the primary key, walked backwards, stops at the bound.
    newest = readable_content(user=user).order_by("-pk")[:SPELLING_ITEMS]
    titles = newest.values_list("title", flat=True)
    tags = (
        ContentPageTag.objects.filter(content_object_id__in=newest.values("pk"))
        .values_list("tag__name", flat=True)
        .distinct()
    )
    return did_you_mean(terms, Vocabulary([*titles, *tags]))


def autocomplete_titles(
    *, user: Reader, query: object, request: HttpRequest | None = None
) -> list[dict]:
    """Up to ``AUTOCOMPLETE_LIMIT`` readable titles starting with ``query``'s words, best first.

    Each as ``{"title", "url", "type"}``. Raises ``SearchUnavailable`` when
    the engine cannot be reached.
    """
    query = clean_query(query)
    if len(query) < 2:
        return []
    hit_ids = visitor_matching_ids(query, user=user, autocomplete=True, limit=AUTOCOMPLETE_HITS)
    pages = (
        readable_content(user=user)
        .filter(pk__in=hit_ids)
        .order_by(_ordered_by(hit_ids), "pk")
        .only("pk", "title", "url_path", "content_type")[:AUTOCOMPLETE_LIMIT]
    )
    return [
        {
            "title": page.title,
            "url": page.get_url(request=request),
            "type": page.specific_class._meta.verbose_name.capitalize(),
        }
        for page in pages
    ]
