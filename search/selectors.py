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

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from modelsearch.query import Fuzzy, PlainText
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.backends import get_search_backend

from blogs.models import BlogPage, ExpertArticlePage
from experience_stories.models import ExperienceStoryPage
from portal.models import Condition, ContentPage
from portal.selectors import NEWEST_ORDER, TAG_SLUG_PATTERN, TOP_RATED_ORDER, readable_content

from .errors import ENGINE_ERRORS, SearchUnavailable

MAX_QUERY_LENGTH = 200
# Enough for every filter and page a reader will use; the rest is noise.
MAX_HITS = 1000
AUTOCOMPLETE_HITS = 30
AUTOCOMPLETE_LIMIT = 8
RESULTS_PER_PAGE = 12
MAX_PAGE = MAX_HITS // RESULTS_PER_PAGE + 1
TAG_FACET_LIMIT = 15
EXCERPT_LENGTH = 220
# The body is only scanned this far for an excerpt (bounded work per result).
EXCERPT_SCAN_LIMIT = 20_000

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_RATING = "rating"
SEARCH_SORTS = {SORT_RELEVANCE: "Relevance", SORT_NEWEST: "Newest", SORT_RATING: "Top rated"}

# ``?type=`` values and the concrete page types they name, in facet order.
CONTENT_TYPES = {
    "blog": BlogPage,
    "expert": ExpertArticlePage,
    "story": ExperienceStoryPage,
}

# Control and format characters (NUL, bidi overrides, zero-width joiners...)
# have no business in a query; some databases refuse NUL outright.
_UNWANTED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_WORD = re.compile(r"\w{2,}")
_TERM = re.compile(r"\w+")
# More words than this add nothing to a search but cost on every backend.
MAX_TERMS = 16
_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")


def clean_query(value):
    """``value`` as a safe query string: text only, no control characters, trimmed, bounded.

    Anything that is not a string (``?q[]=x`` arrives as a list via getlist,
    never here, but be strict) becomes "". Whitespace is collapsed and the
    result cut to ``MAX_QUERY_LENGTH`` characters before any backend sees it.
    """
    if not isinstance(value, str):
        return ""
    value = value[: MAX_QUERY_LENGTH * 4]
    value = "".join(
        " " if unicodedata.category(char) in _UNWANTED_CATEGORIES else char for char in value
    )
    return _SPACE.sub(" ", value).strip()[:MAX_QUERY_LENGTH].strip()


def _choice(value, choices):
    return value if isinstance(value, str) and value in choices else ""


@dataclass(frozen=True)
class SearchParams:
    """What the reader asked for, already validated (see ``search_params``)."""

    query: str = ""
    type: str = ""
    tag: str = ""
    condition: str = ""
    sort: str = SORT_RELEVANCE
    page: int = 1

    def url_params(self, **changes):
        """The query string parameters for this search with ``changes``; defaults left out."""
        values = {
            "q": self.query,
            "type": self.type,
            "tag": self.tag,
            "condition": self.condition,
            "sort": "" if self.sort == SORT_RELEVANCE else self.sort,
            "page": "" if self.page == 1 else self.page,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None, 1)}


def search_params(data):
    """``SearchParams`` from request input (a QueryDict or dict); wrong input falls back.

    Unknown types, sorts, malformed slugs and page numbers give the default
    rather than an error, so a hand-edited or hostile URL still shows a page.
    """

    def single(name):
        value = data.get(name, "")
        return value if isinstance(value, str) else ""

    tag = single("tag")
    condition = single("condition")
    try:
        page = int(single("page") or 1)
    except ValueError:
        page = 1
    return SearchParams(
        query=clean_query(single("q")),
        type=_choice(single("type"), CONTENT_TYPES),
        tag=tag if TAG_SLUG_PATTERN.fullmatch(tag) else "",
        condition=condition if TAG_SLUG_PATTERN.fullmatch(condition) else "",
        sort=_choice(single("sort"), SEARCH_SORTS) or SORT_RELEVANCE,
        page=min(max(page, 1), MAX_PAGE),
    )


def search_terms(query):
    """The words of ``query`` the backends see: letters and digits only, at most ``MAX_TERMS``.

    Quotes, brackets, ``*``, ``-``, ``:`` and the like are dropped, so no
    backend's query syntax (SQLite FTS5's, notably, where a lone quote is an
    error) can be reached from the search box.
    """
    return " ".join(_TERM.findall(query)[:MAX_TERMS])


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


def excerpt(item, query):
    """A short excerpt of ``item`` around the first query word, words wrapped in ``<mark>``.

    Built from the published summary and body of the page the reader may
    read (never from the index, which may hold another version). Every piece
    of text is escaped before the marks are added; returns a SafeString.
    """
    words = sorted({word.lower() for word in _WORD.findall(query)}, key=len, reverse=True)[:10]
    text = _item_text(item)
    if not words:
        return escape(text[:EXCERPT_LENGTH])
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first is not None and first.start() > EXCERPT_LENGTH // 3:
        start = first.start() - EXCERPT_LENGTH // 3
        # Begin at a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    window = text[start : start + EXCERPT_LENGTH]
    pieces = ["…" if start else ""]
    position = 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(window[position:]))
    if start + EXCERPT_LENGTH < len(text):
        pieces.append("…")
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(pieces))  # noqa: S308


def _item_text(item):
    """The summary then the body's text, tags stripped, bounded in length."""
    parts = [item.summary or ""]
    budget = EXCERPT_SCAN_LIMIT
    for text in _stream_strings(item.body.raw_data if item.body else []):
        if budget <= 0:
            break
        text = _TAG.sub(" ", text[:budget])
        budget -= len(text)
        parts.append(text)
    return _SPACE.sub(" ", " ".join(parts)).strip()


# Keys of body blocks that hold references or settings, not prose.
_NON_TEXT_KEYS = {"id", "type", "image", "link_page", "link_url", "level", "page", "url"}


def _stream_strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in _NON_TEXT_KEYS:
                yield from _stream_strings(value)
    elif isinstance(data, list | tuple) or hasattr(data, "__iter__"):
        for value in data:
            yield from _stream_strings(value)
