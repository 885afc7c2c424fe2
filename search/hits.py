"""Phase 1 of a search: the backend's ranked ids of matching live content pages.

One function, ``matching_ids``, for every backend; how the ids are fetched
depends on what the backend is (the views and the rest of the selector never
know):

- the engines (Elasticsearch/OpenSearch): one request for the ids only,
  typo-tolerant (``Fuzzy``); German items are also analysed in German
  (search/backends/engine.py) and searched there alongside English;
- SQLite FTS5: one ranked query on a full-text table (Wagtail's own SQL ranks
  with a correlated subquery per hit, which took 12-37 s per query at 10,000
  items, see benchmarks/README.md); searches use Kindred's English-stemmed
  table (search/migrations/0002_stemmed_fts.py), autocomplete Wagtail's
  unstemmed one. FTS5 has no German stemmer: German items are also matched
  by the words' Snowball German stems as prefixes ("Therapien" asks
  "therapi"*, which finds "Therapie"), on German items only, after the
  direct matches (``_sqlite_stemmed_ids``);
- PostgreSQL full text: one ranked query on the index table that its GIN
  indexes serve (Wagtail's own matches a computed vector: a full scan). Each
  item's vectors are in its language's configuration (search/backends/:
  'german' for German items, ``SEARCH_CONFIG`` 'english' for the rest), so a
  search asks each configuration (``LANGUAGE_CONFIGS``) with the words, ORed;
  modelsearch autocompletes with 'simple';
- anything else: Wagtail's search as it is.

A search may be limited to one language (``language``, a
``core.languages.content_language`` code; "" for all): every path narrows by
the item's locale in the same step as by readability, so another language's
items never take a place among the best hits.

Every path is narrowed to the live pages in the reader's audiences (issue 12):
the engines by their filter on the indexed ``audience`` and ``community_id``,
the database paths by a subquery in their one query. Phase 2
(``readable_content``) still decides what is shown.
"""

import hashlib
import operator
import threading
from functools import reduce

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import Case, Exists, F, IntegerField, OuterRef, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from modelsearch.backends.base import BaseSearchBackend, BaseSearchQueryCompiler, BaseSearchResults
from modelsearch.conf import get_app_config
from modelsearch.query import Fuzzy, PlainText
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

import Stemmer

from core import versions
from core.languages import content_language, language_condition
from core.models import ContentPage
from core.selectors import Reader, audience_condition, audience_index_condition
from pagecache.tags import ALL, tag_key

from . import params
from .errors import ENGINE_ERRORS, SearchUnavailable
from .params import search_terms


def _is_engine(backend: BaseSearchBackend) -> bool:
    """Whether ``backend`` is an external engine (Elasticsearch/OpenSearch), the only
    backends that set this flag."""
    return getattr(backend, "catch_indexing_errors", False)


def _backend_query(backend: BaseSearchBackend, query: str) -> Fuzzy | PlainText:
    """The query object for ``backend``: typo-tolerant where the backend can be.

    The engines implement ``Fuzzy`` (edit distance per term); Wagtail's
    database backends do not (PostgreSQL's needs the pg_trgm extension), so
    they get a plain "any of the words" query.
    """
    if _is_engine(backend):
        return Fuzzy(query, operator="or")
    return PlainText(query, operator="or")


_backends: dict[str, BaseSearchBackend] = {}


def _default_backend() -> BaseSearchBackend:
    """The default search backend, one instance per configuration.

    ``get_search_backend()`` builds a new backend, and for the engines a new
    client with a new connection pool, on every call: a TCP connection per
    search. Reusing it keeps connections alive (the clients are thread-safe).
    Keyed on the configuration so a changed setting (tests) gets its own.
    """
    config = get_app_config().get_search_backend_config()["default"]
    key = repr(sorted(config.items()))
    backend = _backends.get(key)
    if backend is None:
        backend = _backends[key] = get_search_backend()
    return backend


# Only importable on SQLite (it looks up the FTS model at import time).
SQLITE_BACKEND_MODULE = "modelsearch.backends.database.sqlite.sqlite"
POSTGRES_BACKEND_MODULE = "modelsearch.backends.database.postgres.postgres"


def _hit_ids(
    results: BaseSearchResults,
    limit: int,
    *,
    query: str,
    autocomplete: bool,
    user: Reader,
    language: str,
) -> list[int]:
    """The ids of the first ``limit`` hits of ``results``, best first (see the module docstring).

    ``query`` is the terms ``results`` searched for (``search_terms``). The
    engines and Wagtail's own search filter by ``results``' queryset; the
    database paths below match on the index tables alone, so they are given
    ``user`` and ``language`` to probe each ranked hit by (``_readable_probe``).
    """
    if hasattr(results, "_get_es_body"):
        return _engine_ids(results, limit)
    if type(results).__module__ == SQLITE_BACKEND_MODULE:
        if autocomplete:
            return _sqlite_ids(results.query_compiler, limit, user=user, language=language)
        return _sqlite_stemmed_ids(query, limit, user=user, language=language)
    if type(results).__module__ == POSTGRES_BACKEND_MODULE:
        return _postgres_ids(
            results, limit, user=user, language=language, autocomplete=autocomplete
        )
    return [page.pk for page in results[:limit]]


# Leading characters a typo-tolerant (``Fuzzy``) term keeps as typed. The
# engine expands each term to every indexed word within its edit distance;
# with the first two characters fixed it looks at a small part of the term
# dictionary (a query of three or four words took 2-3x as long without, at
# 100,000 items: benchmarks/README.md). A typo in the first two letters is
# not forgiven; "Did you mean" (search.spelling) still offers the word.
FUZZY_PREFIX_LENGTH = 2


def _with_fuzzy_prefix(node: object) -> object:
    """``node`` (an engine query body) with ``FUZZY_PREFIX_LENGTH`` on every fuzzy match."""
    if isinstance(node, dict):
        node = {key: _with_fuzzy_prefix(value) for key, value in node.items()}
        if "fuzziness" in node and "prefix_length" not in node:
            node["prefix_length"] = FUZZY_PREFIX_LENGTH
        return node
    if isinstance(node, list):
        return [_with_fuzzy_prefix(value) for value in node]
    return node


def _engine_ids(results: BaseSearchResults, limit: int) -> list[int]:
    # modelsearch's own iteration pages through a scroll (100 hits a request)
    # and loads every hit from the database; the same body in one request,
    # ids only, is all phase 1 needs.
    response = results.backend.es.search(
        index=results.backend.get_index_for_model(results.query_compiler.queryset.model).name,
        _source=False,
        size=limit,
        # Only the ranked ids are used: counting every match is wasted work.
        track_total_hits=False,
        # The id from its column (doc values), not from the stored fields,
        # which are kept compressed in blocks with each page's whole source:
        # reading 300 hits' ids there decompressed 300 blocks.
        stored_fields="_none_",
        docvalue_fields=["pk"],
        **_with_fuzzy_prefix(results._get_es_body()),
    )
    return [int(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]]


def _sqlite_ids(
    compiler: BaseSearchQueryCompiler, limit: int, *, user: Reader, language: str
) -> list[int]:
    # The same match and bm25 rank as modelsearch's SQLiteSearchQueryCompiler
    # .search() (autocomplete: prefixes, on Wagtail's unstemmed table), in
    # one query on the FTS table ordered by the rank (``_sqlite_ranked_ids``),
    # instead of re-running the match in a subquery for every hit.
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

    match = MatchExpression(
        compiler.fields or compiler.FTS_TABLE_FIELDS,
        compiler.build_search_query(normalize(compiler.query), config=None),
    )
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), None)
    query = SQLiteFTSIndexEntry.objects.all().query
    sql_compiler = query.get_compiler(using=router.db_for_read(SQLiteFTSIndexEntry))
    # modelsearch compiles both against its table's own name, unaliased.
    _match_sql, (match_string,) = match.as_sql(sql_compiler, sql_compiler.connection)
    rank_sql, rank_params = rank.resolve_expression(query).as_sql(
        sql_compiler, sql_compiler.connection
    )
    return _sqlite_ranked_ids(
        table=SQLiteFTSIndexEntry._meta.db_table,
        match=match_string,
        rank=(rank_sql, tuple(rank_params)),
        limit=limit,
        user=user,
        language=language,
    )


# Made by search/migrations/0002_stemmed_fts.py over Wagtail's index entries.
STEMMED_FTS_TABLE = "kindred_search_stemmed_fts"


def _readable_probe(*, user: Reader, object_id: str, language: str = "") -> tuple[str, tuple]:
    """SQL for ``EXISTS``: may ``user`` be shown the page whose index key is column ``object_id``.

    Live, in ``user``'s audiences and (``language`` not "") written in
    ``language``, checked by primary key for one hit at a time; with its
    parameters, compiled by Django. A list of every page the reader may be
    shown costs a scan of every content page's row, bodies and all, before a
    single hit is ranked.
    """
    # ``object_id`` is a column name the caller writes, never input.
    probe = (
        ContentPage.objects.live()
        .filter(
            audience_condition(user=user),
            language_condition(language),
            pk=RawSQL(f"CAST({object_id} AS integer)", ()),  # noqa: S611
        )
        .order_by()
        .values("pk")
    )
    return probe.query.sql_with_params()


# How many of a search's matches SQLite ranks at most: every match that is no
# older (in the index) than the newest this many the reader may be shown, or
# than the caller's limit when that is larger. See ``_sqlite_stemmed_ids``.
SQLITE_CANDIDATES = 1000


# German on SQLite (issue 18). FTS5 has no German stemmer, so a German item is
# also found by its words' other forms through their Snowball German stem, asked
# as a prefix ("Therapien" -> "therapi"*, which matches Therapie and Therapien;
# "Müdigkeiten" -> "mudig"*; "Kindern" -> "kind"*). Only of German items: the
# same prefixes would widen English matches ("kind"* finds "kindle"). Shorter
# stems than this match too much to be worth it.
GERMAN = "de"
GERMAN_PREFIX_MIN_LENGTH = 4
# How many of the newest matches of the German prefixes are looked at, at most,
# when every language is searched (``_sqlite_stemmed_ids``): past it, a German
# item found only through another form of a word is not among the results.
GERMAN_WALK = 5000
_stemmers = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer:
    # A Stemmer keeps state between calls: one per thread and language.
    stemmer = getattr(_stemmers, language, None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(language)
        setattr(_stemmers, language, stemmer)
    return stemmer


def _german_prefix(word: str) -> str | None:
    """The prefix that finds ``word``'s other German forms on the porter table, or None.

    Its Snowball German stem (umlauts folded, as the table's tokenizer folds
    them), when long enough: "Therapie" asks "therapi"*, which finds
    "Therapien" (the porter table holds "therapien" for it, not "therapi").
    """
    stem = _stemmer("german").stemWord(word.lower())
    return stem if len(stem) >= GERMAN_PREFIX_MIN_LENGTH else None


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite_stemmed_ids(query: str, limit: int, *, user: Reader, language: str) -> list[int]:
    # What _sqlite_ids does for searches (any of the words, in title and body,
    # ranked by bm25 boosted by the title norm as modelsearch does), on the
    # porter-stemmed table: "steroids" finds "steroid". Porter is English;
    # German items are also matched by their German stems as prefixes (above).
    # The terms come from params.search_terms (letters and digits only); each
    # is quoted as an FTS5 string all the same.
    words = [_fts_string(term) for term in query.split()]
    if not words:
        return []

    def ranked(alternatives: list[str], language: str, walk: int | None = None) -> list[int]:
        return _sqlite_ranked_ids(
            table=STEMMED_FTS_TABLE,
            match=f"{{title body}} : ({' OR '.join(alternatives)})",
            rank=(f"bm25({STEMMED_FTS_TABLE}) * (entry.title_norm + 1)", ()),
            limit=limit,
            user=user,
            language=language,
            walk=walk,
        )

    if language not in ("", GERMAN):
        return ranked(words, language)
    prefixes = sorted({prefix for prefix in map(_german_prefix, query.split()) if prefix})
    german = [*words, *(_fts_string(prefix) + "*" for prefix in prefixes)]
    if language == GERMAN:
        return ranked(german, GERMAN)
    direct = ranked(words, "")
    if not prefixes or len(direct) >= limit:
        # Nothing to add, or no place left: the other forms' matches come after these.
        return direct
    # Every language: German items found only through another form of a word come
    # after the direct matches (two matches' bm25 scores are not one order).
    # Their match also finds English items ("therapi"* finds "therapy"), each probed
    # only to be left out: only the newest GERMAN_WALK matches are looked at, so
    # a common word costs a bounded walk, not one probe for each of its matches.
    found = set(direct)
    return [
        *direct,
        *(pk for pk in ranked(german, GERMAN, walk=GERMAN_WALK) if pk not in found),
    ][:limit]


def _sqlite_ranked_ids(
    *,
    table: str,
    match: str,
    rank: tuple[str, tuple],
    limit: int,
    user: Reader,
    language: str,
    walk: int | None = None,
) -> list[int]:
    """The best ``limit`` matches of ``match`` on FTS5 ``table`` that ``user`` may be shown.

    ``walk``, when given, bounds how many of the newest matches are looked at
    at all, readable or not (the German prefixes' match, which may find many
    English items it then probes only to leave out).

    Only items in ``language`` when it is not "": the probe that decides
    readability decides the language too, so the candidates are all in it.

    ``rank`` is SQL (with its parameters) ordering the best first, over
    ``table`` and its index entry ``entry``. Both names are the caller's
    constants, never input; ``match`` is a parameter.
    """
    # Each match is probed for readability by primary key (live, in the
    # reader's audiences), never against a list of every readable page, which
    # read every content page's row (benchmarks/README.md, "Search at 100,000
    # items"; autocomplete did until 5 December: 110-180 ms a keystroke).
    #
    # Bounded for common words: bm25 is computed and sorted for every match
    # ranked (30,000 for "fatigue" at 100,000 items: 80 ms, most of the
    # page). So only the newest ``SQLITE_CANDIDATES`` matches the reader may
    # be shown are ranked: they are found by walking the matches newest first
    # (FTS5 reads its index by rowid, the index entry's id) with the probe,
    # and FTS5 then visits only the rowids from the oldest of them on. bm25
    # keeps its statistics over the whole table, so the candidates keep the
    # scores and order they had among all matches. With fewer readable
    # matches than the bound (every site of demo size) every match is
    # ranked, as before. Past it, the results are the best of the newest
    # matches, as on PostgreSQL (``_postgres_ids``). The walk's probes are
    # the only ones: the ranked matches are kept by membership in its list
    # (until 5 December the best were probed a second time, 300 more probes
    # for a common word).
    content_types = list(get_descendants_content_types_pks(ContentPage))
    in_content_types = ", ".join(["%s"] * len(content_types))
    index_entry = get_app_config().get_model("IndexEntry")
    entries = index_entry._meta.db_table
    probe, probe_params = _readable_probe(
        user=user, object_id="newest.object_id", language=language
    )
    rank_sql, rank_params = rank
    floor_sql, floor_params = "", []
    if walk is not None:
        # Only the newest ``walk`` matches are looked at: the rowid of the last
        # of them (FTS5 reads its matches newest first and stops there).
        floor_sql = (
            f"AND newest_fts.rowid >= COALESCE((SELECT rowid FROM {table} "  # noqa: S608 - constant
            f"WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0) "
        )
        floor_params = [match, walk - 1]
    with connections[router.db_for_read(index_entry)].cursor() as cursor:
        cursor.execute(
            # The candidates: the bound's newest matches the reader may be
            # shown, each probed once (all of them when there are fewer). A
            # common table expression used twice, so SQLite computes it once.
            "WITH readable AS ("  # noqa: S608 - constant names
            f"SELECT newest_fts.rowid AS id FROM {table} AS newest_fts "
            f"JOIN {entries} AS newest ON newest.id = newest_fts.rowid "
            f"WHERE newest_fts.{table} MATCH %s "
            f"AND newest.content_type_id IN ({in_content_types}) "
            f"{floor_sql}"
            f"AND EXISTS ({probe}) "
            "ORDER BY newest_fts.rowid DESC LIMIT %s) "
            # Ranked: FTS5 visits the matches from the oldest candidate on
            # (the rowid bound); each is kept if it is a candidate. The "+"
            # keeps that test out of FTS5's hands, which would look every
            # candidate up with the match again (a rescan each).
            f"SELECT entry.object_id FROM {table} "
            f"JOIN {entries} AS entry ON entry.id = {table}.rowid "
            f"WHERE {table} MATCH %s "
            f"AND {table}.rowid >= COALESCE((SELECT min(id) FROM readable), 0) "
            f"AND +{table}.rowid IN (SELECT id FROM readable) "
            f"ORDER BY {rank_sql}, entry.object_id DESC LIMIT %s",
            [
                match,
                *content_types,
                *floor_params,
                *probe_params,
                max(limit, SQLITE_CANDIDATES),
                match,
                *rank_params,
                limit,
            ],
        )
        return [int(object_id) for (object_id,) in cursor.fetchall()]


def _engine_language_filter(language: str) -> dict | None:
    """The engine's filter for items in ``language`` ("" none), or None when no locale has it.

    The engine indexes Wagtail's ``locale`` FilterField (``Page.search_fields``)
    as the locale's id, so the code is looked up first (one query, only when
    a language is asked for).
    """
    if not language:
        return {}
    locale_id = Locale.objects.filter(language_code=language).values_list("pk", flat=True).first()
    return None if locale_id is None else {"locale_id": locale_id}


def matching_ids(
    query: str,
    *,
    user: Reader = None,
    autocomplete: bool = False,
    limit: int | None = None,
    language: str = "",
) -> list[int]:
    """Phase 1: ids of live content pages matching ``query`` in ``user``'s audiences, best first.

    ``user`` None reads as a visitor. The index is asked for live pages in the
    reader's audiences (``core.selectors.audience_index_condition``: the
    engines filter on the indexed ``audience`` and ``community_id``; the
    database paths narrow their one query by the same rule), so what a reader
    may not read never takes a place among the best ``limit`` hits.
    Readability is decided again by the database in phase 2. ``language``
    ("de", "en-gb"; "" for every language) narrows the same way: items in
    other languages are never candidates. Anything that is not a content
    language's code reads as "" (``core.languages.content_language``).
    """
    query = search_terms(query)
    if not query:
        return []
    language = content_language(language)
    limit = limit or params.MAX_HITS
    backend = _default_backend()
    # Only what the index needs to match: the pages are loaded again in phase 2.
    candidates = ContentPage.objects.live().only("pk")
    if _is_engine(backend):
        # The engine filters on the indexed audience and community (one query
        # for the reader's communities) and locale; the database paths probe
        # their ranked hits instead (``_readable_probe``).
        language_filter = _engine_language_filter(language)
        if language_filter is None:
            return []
        candidates = candidates.filter(audience_index_condition(user=user), **language_filter)
    try:
        if autocomplete:
            results = backend.autocomplete(query, candidates, operator="and")
        else:
            results = backend.search(_backend_query(backend, query), candidates)
        # Each page once, at its best rank (an index may hold a page twice).
        return list(
            dict.fromkeys(
                _hit_ids(
                    results,
                    limit,
                    query=query,
                    autocomplete=autocomplete,
                    user=user,
                    language=language,
                )
            )
        )
    except ENGINE_ERRORS as error:
        raise SearchUnavailable(str(error)) from error


# How long a visitor's phase 1 is kept at most (``visitor_matching_ids``); a
# change reaches it at once, this bounds only writes that send no signal.
VISITOR_HITS_TIMEOUT = 10 * 60
VISITOR_HITS_PREFIX = "kindred:search:hits:"
# Kept only when phase 1 found at least this many (or its whole limit): a rare
# word ranks in about a millisecond, and a flood of made-up words must not push
# visitors' stored pages out of the same cache.
VISITOR_HITS_KEEP_FROM = 100


def visitor_matching_ids(
    query: str,
    *,
    user: Reader = None,
    autocomplete: bool = False,
    limit: int | None = None,
    language: str = "",
) -> list[int]:
    """``matching_ids``, kept for visitors on the database backends until anything public changes.

    Most searches are a visitor's, and a shared link or a newsletter brings many
    visitors with the same words at once. On the database backends phase 1 is
    most of a search's cost once a word is common (at 100,000 items on SQLite,
    7 of the page's ~23 ms; on PostgreSQL most of its ~60 ms), so a visitor's
    ids are kept in core's cache of recomputable values under the version of
    the page cache's ``all`` tag, which every change a visitor could see bumps
    (a publish, unpublish, move or deletion, an audience change: the same
    changes that re-index a page, ``pagecache.signals``); a search after one
    ranks afresh. Nothing is less private for it: the ids are only phase 1's,
    and phase 2 (``readable_content``) decides again what is shown. A member's
    search depends on their communities and is never kept; the engines are
    fast enough and answer for themselves. Only a common word's ids are kept
    (``VISITOR_HITS_KEEP_FROM``), under the words and the ``language`` asked for.
    """
    if getattr(user, "is_authenticated", False) or _is_engine(_default_backend()):
        return matching_ids(
            query, user=user, autocomplete=autocomplete, limit=limit, language=language
        )
    terms = search_terms(query)
    if not terms:
        return []
    language = content_language(language)
    limit = limit or params.MAX_HITS
    version_key = tag_key(ALL)
    # Read before ranking: a change published meanwhile makes a new version, so
    # ids ranked from the rows before it are kept where no one will read them.
    version = versions.ensure([version_key])[version_key]
    words = f"{int(autocomplete)}:{limit}:{language}:{terms}".encode()
    key = f"{VISITOR_HITS_PREFIX}{version}:{hashlib.sha256(words).hexdigest()}"
    store = versions.store()
    ids = store.get(key)
    if ids is None:
        ids = matching_ids(
            terms, user=user, autocomplete=autocomplete, limit=limit, language=language
        )
        if len(ids) >= min(limit, VISITOR_HITS_KEEP_FROM):
            store.set(key, ids, timeout=VISITOR_HITS_TIMEOUT)
    return ids


# How many matches of each indexed column (title, body; autocomplete's one)
# are ranked at most: the newest this many the reader may be shown, or the
# caller's limit when that is larger. See ``_postgres_ids``.
POSTGRES_CANDIDATES = 300


def _page_id(content_types: list[int]) -> Cast:
    """An index entry's ``object_id`` as a page id, for content pages' entries only.

    The ``CASE`` keeps the cast from ever seeing another model's key, whatever
    order PostgreSQL evaluates the conditions in.
    """
    return Cast(
        Case(When(content_type__in=content_types, then=F("object_id")), default=None),
        output_field=IntegerField(),
    )


def _postgres_tsquery(
    results: BaseSearchResults, *, language: str, autocomplete: bool
) -> SearchQuery | None:
    """The words as a tsquery in every configuration an item in ``language`` may be indexed with.

    Each item's vectors are in its own language's configuration
    (search/backends/postgres.py): a German item's "Therapie" is the lexeme
    'therapi' only in 'german'. So the words are asked in each configuration
    in use ("" every language: 'english' || 'german'), ORed into one tsquery
    that the GIN indexes serve as one. Autocomplete is 'simple' for every
    language; a backend without ``search_configs`` (Wagtail's own) has one.
    """
    compiler = results.query_compiler
    backend = results.backend
    if autocomplete or not hasattr(backend, "search_configs"):
        configs = [compiler.get_config(backend)]
    else:
        configs = backend.search_configs(language)
    queries = [compiler.build_tsquery(compiler.query, config=config) for config in configs]
    queries = [query for query in queries if query is not None]
    return reduce(operator.or_, queries) if queries else None


def _postgres_rank(vectors: list[tuple], search_query: SearchQuery, weights: object):
    """modelsearch's weighted rank (as ``_build_rank_expression``), for ``search_query``.

    modelsearch builds its rank's tsquery again in one configuration; this
    ranks with the tsquery that matched (every language's).
    """
    return reduce(
        operator.add,
        (SearchRank(vector, search_query, weights=weights) * boost for vector, boost in vectors),
    )


def _postgres_ids(
    results: BaseSearchResults, limit: int, *, user: Reader, language: str, autocomplete: bool
) -> list[int]:
    # modelsearch matches against the concatenation of each page's title and
    # body vectors, which no index can serve: every search scanned and ranked
    # every entry (170-290 ms at 10,000 items). The same tsquery and the same
    # weighted rank, matched on the index table's own columns, use their GIN
    # indexes.
    #
    # Bounded for common words: ranking reads every candidate's body vector,
    # so a word in a third of 100,000 items cost 1.4 s (benchmarks/README.md,
    # "Search at 100,000 items"). Each column contributes at most
    # ``POSTGRES_CANDIDATES`` matches the reader may be shown, and only those
    # are ranked: the title's best by the title's own rank (short vectors),
    # the body's newest (walking the index table's primary key backwards,
    # stopping when enough are found). A title match outranks a match in the
    # body alone (the title's weight is A, the body's D), so the best results
    # stay best; past the bound, the body-only matches considered are the
    # newest ones. Readability is one primary-key
    # probe per candidate (live, in the reader's audiences, in ``language``
    # when one is asked for), never a list of every readable page.
    #
    # Each item's vectors are in its own language (``_postgres_tsquery``):
    # the words are asked in each configuration, ORed, in the same one query.
    compiler = results.query_compiler
    search_query = _postgres_tsquery(results, language=language, autocomplete=autocomplete)
    if search_query is None:
        return []
    vectors = [
        (
            F(vector.name.removeprefix("index_entries__")),
            F(boost.name.removeprefix("index_entries__")) if isinstance(boost, F) else boost,
        )
        for vector, boost in compiler.get_index_vectors(search_query)
    ]
    index_entry = apps.get_model("wagtailsearch", "IndexEntry")
    content_types = list(get_descendants_content_types_pks(ContentPage))
    readable_entries = (
        index_entry.objects.filter(content_type__in=content_types)
        .annotate(page_id=_page_id(content_types))
        .filter(
            Exists(
                ContentPage.objects.live().filter(
                    audience_condition(user=user),
                    language_condition(language),
                    pk=OuterRef("page_id"),
                )
            )
        )
    )
    bound = max(limit, POSTGRES_CANDIDATES)
    parts = []
    for vector, boost in vectors:
        matches = readable_entries.filter(**{vector.name: search_query})
        if vector.name == "body":
            # Large vectors: the newest matches, never reading a vector to rank it.
            order = ["-pk"]
        else:
            # Short ones (title, autocomplete): the best by their own rank.
            rank = _postgres_rank([(vector, boost)], search_query, compiler.sql_weights)
            order = [rank.desc(), "-pk"]
        parts.append(matches.order_by(*order).values("pk")[:bound])
    candidates = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    object_ids = (
        index_entry.objects.filter(pk__in=candidates)
        .annotate(score=_postgres_rank(vectors, search_query, compiler.sql_weights))
        .order_by("-score", "-object_id")
        .values_list("object_id", flat=True)[:limit]
    )
    return [int(object_id) for object_id in object_ids]
