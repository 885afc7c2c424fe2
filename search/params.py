"""What a reader asked the search for, validated: the query, filters, order and page.

Anything malformed (wrong types, unknown values, control characters, huge
input) falls back to a default here, before any backend or database sees it.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from blogs.models import BlogPage, ExpertArticlePage
from core.languages import content_language
from core.selectors import TAG_SLUG_PATTERN, listing_sorts
from experience_stories.models import ExperienceStoryPage
from questions.models import QuestionPage

MAX_QUERY_LENGTH = 200
# Enough for every filter and page a reader will use; the rest is noise.
MAX_HITS = 300
RESULTS_PER_PAGE = 12
MAX_PAGE = MAX_HITS // RESULTS_PER_PAGE + 1

# Relevance (the backend's ranking) is search's own order; the others are the
# listing orders (``core.selectors.listing_sorts``: newest, and what features
# register, such as ratings' "Top rated").
SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_RATING = "rating"
# Search's ``?sort=`` names for listing orders whose key differs: search
# called "Top rated" "rating" before listings had orders, and links people
# shared keep working.
SEARCH_NAMES = {"top": SORT_RATING}

# ``?type=`` values and the concrete page types they name, in facet order.
CONTENT_TYPES = {
    "blog": BlogPage,
    "expert": ExpertArticlePage,
    "story": ExperienceStoryPage,
    "question": QuestionPage,
}

# Control and format characters (NUL, bidi overrides, zero-width joiners...)
# have no business in a query; some databases refuse NUL outright.
_UNWANTED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_TERM = re.compile(r"\w+")
# More words than this add nothing to a search but cost on every backend.
MAX_TERMS = 16
_SPACE = re.compile(r"\s+")


def clean_query(value: object) -> str:
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


def _choice(value: object, choices: dict) -> str:
    return value if isinstance(value, str) and value in choices else ""


def search_sorts() -> dict[str, str]:
    """Search's orders, ``?sort=`` name -> label: relevance first, then the listing orders."""
    return {
        SORT_RELEVANCE: _("Relevance"),
        **{SEARCH_NAMES.get(key, key): label for key, label in listing_sorts().items()},
    }


def listing_sort_for(sort: str) -> str | None:
    """The listing order (``core.selectors.listing_orders`` key) a search sort names.

    None for relevance, which only the backend knows.
    """
    if sort == SORT_RELEVANCE:
        return None
    listing_keys = {name: key for key, name in SEARCH_NAMES.items()}
    return listing_keys.get(sort, sort)


@dataclass(frozen=True)
class SearchParams:
    """What the reader asked for, already validated (see ``search_params``)."""

    query: str = ""
    type: str = ""
    tag: str = ""
    condition: str = ""
    # The items' language (``?lang=``, core.languages.content_language): "" for all.
    language: str = ""
    sort: str = SORT_RELEVANCE
    page: int = 1

    @property
    def filter_count(self) -> int:
        """How many filters (type, tag, condition, language) are on."""
        return sum(1 for value in (self.type, self.tag, self.condition, self.language) if value)

    def url_params(self, **changes: object) -> dict:
        """The query string parameters for this search with ``changes``; defaults left out."""
        values = {
            "q": self.query,
            "type": self.type,
            "tag": self.tag,
            "condition": self.condition,
            "lang": self.language,
            "sort": "" if self.sort == SORT_RELEVANCE else self.sort,
            "page": "" if self.page == 1 else self.page,
        }
        # ``language`` is the field, ``lang`` its name in the address.
        if "language" in changes:
            changes["lang"] = changes.pop("language")
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None, 1)}


def search_params(data: Mapping) -> SearchParams:
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
        language=content_language(single("lang")),
        sort=_choice(single("sort"), search_sorts()) or SORT_RELEVANCE,
        page=min(max(page, 1), MAX_PAGE),
    )


def search_terms(query: str) -> str:
    """The words of ``query`` the backends see: letters and digits only, at most ``MAX_TERMS``.

    Quotes, brackets, ``*``, ``-``, ``:`` and the like are dropped, so no
    backend's query syntax (SQLite FTS5's, notably, where a lone quote is an
    error) can be reached from the search box. Single letters ("a", "I")
    match nearly everything with "any of the words", so they are dropped
    unless nothing else is left.
    """
    terms = _TERM.findall(query)
    words = [term for term in terms if len(term) > 1 or term.isdigit()] or terms
    return " ".join(words[:MAX_TERMS])
