"""Search excerpts: a short passage around the query's words, words marked.

Computed in Python from the published text of the page the reader may read,
never taken from the index (which may hold another version of the page).
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

EXCERPT_LENGTH = 220
# The body is only scanned this far for an excerpt (bounded work per result).
EXCERPT_SCAN_LIMIT = 20_000
_WORD = re.compile(r"\w{2,}")
_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")


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
