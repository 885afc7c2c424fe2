"""Search excerpts: a short passage around the query's words, words marked.

Computed in Python from the published text of the page the reader may read,
never taken from the index (which may hold another version of the page).

Marks go on whole words only, and on the inflections the backends match
("steroids" for "steroid", "relapsing" for "relapse"): a word is marked when
its English stem equals a query word's (Snowball's English stemmer, the
algorithm of PostgreSQL's 'english' configuration; SQLite's porter tokenizer
and the engine's English analyzer stem the same way or nearly so). Never a
part of a word: "ms" does not mark "systems".
"""

import re
import threading
from collections.abc import Iterator
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

import Stemmer

from core.models import ContentPage

EXCERPT_LENGTH = 220
# The body is only scanned this far for an excerpt (bounded work per result).
EXCERPT_SCAN_LIMIT = 20_000
# Query words that take part in marking (more add cost, not meaning).
MAX_MARKED_WORDS = 10
_WORD = re.compile(r"\w{2,}")
_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")
_local = threading.local()


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The English stem of ``word`` (lower-cased first): "Steroids" -> "steroid"."""
    # A Stemmer keeps state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer.stemWord(word.lower())


class WordMatcher:
    """Finds the words of a text that match a query's words, whole words only.

    A candidate is a whole word that begins like one of the query's stems
    (found by one regular expression, so long texts cost little); it matches
    when it is a query word or its stem is a query word's stem.
    """

    def __init__(self, query: str) -> None:
        words = sorted({word.lower() for word in _WORD.findall(query)}, key=len, reverse=True)
        self.words = set(words[:MAX_MARKED_WORDS])
        self.stems = {stem(word) for word in self.words}
        # A stem may end in a letter the word does not have ("happi" for
        # "happy"), so candidates need only share the stem less its last letter.
        starts = {value[:-1] if len(value) > 2 else value for value in self.stems}
        self.pattern = (
            re.compile(
                r"\b(?:" + "|".join(re.escape(start) for start in sorted(starts)) + r")\w*",
                re.IGNORECASE,
            )
            if starts
            else None
        )

    def __bool__(self) -> bool:
        return self.pattern is not None

    def finditer(self, text: str, start: int = 0) -> Iterator[re.Match[str]]:
        """The matching whole words of ``text`` from ``start``, as ``re.Match`` objects, in order.

        ``start`` may fall inside a word: the word's beginning still counts
        (a word is never matched from its middle).
        """
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text, start):
            word = match.group().lower()
            if word in self.words or stem(word) in self.stems:
                yield match


def excerpt(item: ContentPage, query: str) -> SafeString:
    """A short excerpt of ``item`` around the first query word, words wrapped in ``<mark>``.

    Built from the published summary and body of the page the reader may
    read (never from the index, which may hold another version). Whole words
    whose stem matches a query word's are marked (see the module docstring).
    Every piece of text is escaped before the marks are added; returns a
    SafeString.
    """
    matcher = WordMatcher(query)
    text = _item_text(item)
    if not matcher:
        return escape(text[:EXCERPT_LENGTH])
    first = next(matcher.finditer(text), None)
    start = 0
    if first is not None and first.start() > EXCERPT_LENGTH // 3:
        start = first.start() - EXCERPT_LENGTH // 3
        # Begin at a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = start + EXCERPT_LENGTH
    if end < len(text):
        # End at a word boundary too, so no word is cut (or marked) in half.
        space = text.rfind(" ", start, end + 1)
        end = space if space > start else end
    pieces = ["…" if start else ""]
    position = start
    for match in matcher.finditer(text, start):
        if match.end() > end:
            break
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(pieces))  # noqa: S308


def _item_text(item: ContentPage) -> str:
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


def _stream_strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in _NON_TEXT_KEYS:
                yield from _stream_strings(value)
    elif isinstance(data, list | tuple) or hasattr(data, "__iter__"):
        for value in data:
            yield from _stream_strings(value)
