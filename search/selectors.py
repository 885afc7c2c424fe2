"""Site search: one selector builds every search, whatever the backend.

Two phases, so that the index never decides what a reader sees:

1. The backend (Wagtail's database backend, or Elasticsearch/OpenSearch when
   ``SEARCH_URL`` says so) matches and ranks live content pages and gives back
   at most ``MAX_HITS`` ordered ids. Spelling mistakes are forgiven with a
   ``Fuzzy`` query where the backend supports it (the engines).
2. The database keeps only the hits ``portal.selectors.readable_content``
   allows this reader, and computes everything shown from that set: the
   filters, facet counts, order, page, cards and excerpts. A stale index (a
   page unpublished while the engine was down) can therefore never leak.

The views never look at the backend; an unreachable engine surfaces as
``SearchUnavailable``.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When

from modelsearch.query import Fuzzy, PlainText
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.backends import get_search_backend

from experience_stories.models import ExperienceStoryPage
from portal.models import Condition, ContentPage
from portal.selectors import NEWEST_ORDER, TOP_RATED_ORDER, readable_content

from .errors import ENGINE_ERRORS, SearchUnavailable
from .excerpts import excerpt
from .params import (
    CONTENT_TYPES,
    MAX_HITS,
    RESULTS_PER_PAGE,
    SORT_NEWEST,
    SORT_RATING,
    SearchParams,
    clean_query,
    search_terms,
)

AUTOCOMPLETE_HITS = 30
AUTOCOMPLETE_LIMIT = 8
TAG_FACET_LIMIT = 15


def _backend_query(backend, query):
    """The query object for ``backend``: typo-tolerant where the backend can be.

    The engines implement ``Fuzzy`` (edit distance per term); Wagtail's
    database backends do not (PostgreSQL's needs the pg_trgm extension), so
    they get a plain "any of the words" query.
    """
    if getattr(backend, "catch_indexing_errors", False):
        # The external engines, the only backends that set this flag.
        return Fuzzy(query, operator="or")
    return PlainText(query, operator="or")


def _engine_hit_ids(results, limit):
    """The ids of the first ``limit`` hits of ``results``, best first.

    On the engines this asks for the ids only, in one request (modelsearch's
    own iteration pages through a scroll, 100 hits a request, and then loads
    every hit from the database). On the database backends the search is a
    single SQL query that yields the pages themselves.
    """
    if hasattr(results, "_get_es_body"):
        # modelsearch's engine results: same body, one request, ids only.
        response = results.backend.es.search(
            index=results.backend.get_index_for_model(results.query_compiler.queryset.model).name,
            _source=False,
            size=limit,
            **{results.fields_param_name: ["pk"]},
            **results._get_es_body(),
        )
        return [int(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]]
    return [page.pk for page in results[:limit]]


def _matching_ids(query, *, autocomplete=False, limit=MAX_HITS):
    """Phase 1: ids of live content pages matching ``query``, best first.

    Only ``live()`` is asked of the index (a cheap filter every backend has);
    readability is decided again by the database in phase 2.
    """
    query = search_terms(query)
    if not query:
        return []
    backend = get_search_backend()
    # Only what the index needs to match: the pages are loaded again in phase 2.
    candidates = ContentPage.objects.live().only("pk")
    try:
        if autocomplete:
            results = backend.autocomplete(query, candidates, operator="and")
        else:
            results = backend.search(_backend_query(backend, query), candidates)
        return _engine_hit_ids(results, limit)
    except ENGINE_ERRORS as error:
        raise SearchUnavailable(str(error)) from error


def _ordered_by(ids):
    """An order expression that keeps ``ids``' order (the engine's ranking)."""
    if not ids:
        return Value(0)
    return Case(
        *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)),
        output_field=IntegerField(),
    )


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
    promotions: list = field(default_factory=list)
    type_facet: list = field(default_factory=list)
    tag_facet: list = field(default_factory=list)
    condition_facet: list = field(default_factory=list)


def _facet_filters(params, *, tag_ids, condition_ids):
    """The active filters as Q objects, by facet name."""
    filters = {}
    if params.type:
        filters["type"] = Q(content_type__in=_content_type_ids([params.type]))
    if params.tag:
        filters["tag"] = Q(pk__in=tag_ids)
    if params.condition:
        filters["condition"] = Q(pk__in=condition_ids)
    return filters


def _content_type_ids(keys):
    from django.contrib.contenttypes.models import ContentType

    models = [CONTENT_TYPES[key] for key in keys]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def _combined(filters, *, leave_out=None):
    combined = Q()
    for name, condition in filters.items():
        if name != leave_out:
            combined &= condition
    return combined


def search_content(*, user, params):
    """The results page for ``params`` as ``user`` may see it (see the module docstring).

    Facets are disjunctive: each facet's counts apply every other active
    filter but not its own, so a reader who picked "Blog post" still sees how
    many expert articles match and can switch. Counts cover only readable
    items. Sorts: relevance (the backend's ranking), newest or top rated
    (``portal.selectors`` orders). Raises ``SearchUnavailable`` when the engine
    cannot be reached.
    """
    from discussion.selectors import with_comment_counts
    from portal.selectors import paginate

    result = SearchResults(params=params)
    if not params.query:
        return result
    hit_ids = _matching_ids(params.query)
    readable = readable_content(user=user).filter(pk__in=hit_ids)

    # The filters as subqueries on the readable hits: by tag slug and by the
    # story's condition slug (other types have no condition).
    tag_ids = ContentPage.objects.filter(tags__slug=params.tag).values("pk")
    condition_ids = ExperienceStoryPage.objects.filter(condition__slug=params.condition).values(
        "pk"
    )
    filters = _facet_filters(params, tag_ids=tag_ids, condition_ids=condition_ids)

    result.type_facet = _type_facet(readable.filter(_combined(filters, leave_out="type")), params)
    result.tag_facet = _tag_facet(readable.filter(_combined(filters, leave_out="tag")), params)
    result.condition_facet = _condition_facet(
        readable.filter(_combined(filters, leave_out="condition")), params
    )

    matching = readable.filter(_combined(filters))
    if params.sort == SORT_NEWEST:
        ids = list(matching.order_by(*NEWEST_ORDER).values_list("pk", flat=True))
    elif params.sort == SORT_RATING:
        ids = list(matching.order_by(*TOP_RATED_ORDER).values_list("pk", flat=True))
    else:
        # The backend's ranking, kept in Python (at most MAX_HITS ids).
        allowed = set(matching.values_list("pk", flat=True))
        ids = [pk for pk in hit_ids if pk in allowed]
    result.items = paginate(ids, params.page, per_page=RESULTS_PER_PAGE)
    result.total = len(ids)
    page_ids = list(result.items.object_list)
    cards = {
        item.pk: item
        for item in with_comment_counts(ContentPage.objects.filter(pk__in=page_ids))
        .select_related("author__profile", "rating_summary")
        .prefetch_related("tags")
    }
    result.items.object_list = [cards[pk] for pk in page_ids if pk in cards]
    for item in result.items.object_list:
        item.excerpt = excerpt(item, params.query)
    result.promotions = promoted_results(user=user, query=params.query)
    return result


def _type_facet(queryset, params):
    from django.contrib.contenttypes.models import ContentType

    counts = dict(
        queryset.order_by().values_list("content_type").annotate(total=Count("pk", distinct=True))
    )
    by_model = ContentType.objects.get_for_models(*CONTENT_TYPES.values())
    return [
        FacetOption(
            value=key,
            label=model._meta.verbose_name.capitalize(),
            count=counts.get(by_model[model].pk, 0),
            active=params.type == key,
        )
        for key, model in CONTENT_TYPES.items()
        if counts.get(by_model[model].pk) or params.type == key
    ]


def _tag_facet(queryset, params):
    tags = (
        Tag.objects.filter(portal_contentpagetag_items__content_object__in=queryset.values("pk"))
        .annotate(total=Count("portal_contentpagetag_items", distinct=True))
        .order_by("-total", "name")[:TAG_FACET_LIMIT]
    )
    options = [
        FacetOption(value=tag.slug, label=tag.name, count=tag.total, active=params.tag == tag.slug)
        for tag in tags
    ]
    if params.tag and not any(option.active for option in options):
        # The active tag stays visible (with its count) so it can be removed.
        options.append(FacetOption(value=params.tag, label=params.tag, count=0, active=True))
    return options


def _condition_facet(queryset, params):
    conditions = (
        Condition.objects.filter(stories__in=queryset.values("pk"))
        .annotate(total=Count("stories", distinct=True))
        .order_by("-total", "name")
    )
    options = [
        FacetOption(
            value=condition.slug,
            label=condition.name,
            count=condition.total,
            active=params.condition == condition.slug,
        )
        for condition in conditions
    ]
    if params.condition and not any(option.active for option in options):
        options.append(
            FacetOption(value=params.condition, label=params.condition, count=0, active=True)
        )
    return options


def promoted_results(*, user, query):
    """Editor's picks for ``query`` that this reader may read, in the editors' order.

    A pick that points at a page the reader may not read (unpublished since,
    or private) is left out; external links are always shown.
    """
    from wagtail.search.utils import normalise_query_string

    normalised = normalise_query_string(query)
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
        from wagtail.models import Page

        readable_pages = {
            page.pk: page for page in Page.objects.filter(pk__in=page_ids).live().public()
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


def autocomplete_titles(*, user, query, request=None):
    """Up to ``AUTOCOMPLETE_LIMIT`` readable titles starting with ``query``'s words, best first.

    Each as ``{"title", "url", "type"}``. Raises ``SearchUnavailable`` when
    the engine cannot be reached.
    """
    query = clean_query(query)
    if len(query) < 2:
        return []
    hit_ids = _matching_ids(query, autocomplete=True, limit=AUTOCOMPLETE_HITS)
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
