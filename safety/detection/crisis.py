"""Self-harm and suicide signals, and crisis search queries.

Recall matters more than precision: a missed disclosure is worse than a moderator reading a
false alarm, so a match is dropped only for a clear reason: a negation in its clause ("I would
never hurt myself"), a quotation introduced as a title or someone else's words, or, for the
generic terms that also name a topic ("suicide", "self-harm"), a topic or general reading.
"""

from __future__ import annotations

import re

from . import lexicon
from .text import Sentences, Span, clause_prefix, make_span, negated_before

# A quotation: in double quotes, or in single quotes (an apostrophe inside a word, as in
# "I'd", does not end it).
_QUOTES = re.compile(
    r"[\"“„«][^\"“”„«»\n]{1,200}[\"”“»]"
    r"|(?<!\w)['‘](?:[^'‘’\n]|(?<=\w)['’](?=\w)){1,200}['’](?!\w)"
)
_FIRST_PERSON_SUBJECT = re.compile(
    r"(?<!\w)(?:i|i['’]m|i['’]ve|i['’]d|i['’]ll|im|ive|me|myself|ich|mir|mich)(?!\w)", re.I
)


def _matches(text: str, sentences: Sentences) -> list[tuple[int, int, bool]]:
    found = []
    index = lexicon.crisis_index()
    for start, end in sentences.bounds:
        for entry in index.candidates(text, start, end):
            for match in entry.pattern.finditer(text, start, end):
                if match.end() > match.start():
                    found.append((match.start(), match.end(), entry.flag))
    # Longest first where they overlap; a specific expression before a generic term.
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2]))
    kept: list[tuple[int, int, bool]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            last = kept[-1]
            # A longer overlapping match later on (a generic word inside a phrase) is merged.
            if item[1] > last[1]:
                kept[-1] = (last[0], item[1], last[2] and item[2])
            continue
        kept.append(item)
    return kept


def _quoted(text: str, s_start: int, s_end: int, start: int, end: int) -> bool:
    sentence = text[s_start:s_end]
    for quote in _QUOTES.finditer(sentence):
        q_start, q_end = quote.start() + s_start, quote.end() + s_start
        if q_start <= start and end <= q_end:
            before = text[max(s_start, q_start - 40) : q_start]
            if lexicon.pattern_any("crisis_context.txt", "quote:").search(before):
                return True
    return False


def _topic(text: str, s_start: int, s_end: int, start: int, end: int) -> bool:
    before = " ".join(text[s_start:start].split()[-3:])
    after = " ".join(text[end:s_end].split()[:1])
    topic = lexicon.pattern_any("crisis_context.txt", "topic:")
    return bool(topic.search(before) or topic.search(after))


def _general(sentence: str) -> bool:
    general = lexicon.pattern_any("crisis_context.txt", "general:")
    return bool(general.search(sentence)) and not _FIRST_PERSON_SUBJECT.search(sentence)


def _negated(text: str, s_start: int, s_end: int, start: int, end: int) -> bool:
    if negated_before(clause_prefix(text, s_start, start)):
        return True
    suffix = text[end:s_end].lstrip()
    return bool(lexicon.pattern_any("negation.txt", "crisis-post:").match(suffix))


def find_crisis(text: str) -> list[Span]:
    """Self-harm and suicide expressions about the writer, in text order."""
    if not text:
        return []
    sentences = Sentences(text)
    spans = []
    for start, end, generic in _matches(text, sentences):
        s_start, s_end = sentences.bound(start)
        s_end = max(s_end, end)
        if _negated(text, s_start, s_end, start, end):
            continue
        if _quoted(text, s_start, s_end, start, end):
            continue
        if generic and (_topic(text, s_start, s_end, start, end) or _general(text[s_start:s_end])):
            continue
        spans.append(make_span(text, start, end, "crisis", "Self-harm or suicide"))
    return spans


_QUERY_SPACE = re.compile(r"[\s\-_+.,;:!?/\\|\"“”()]+")


def is_crisis_query(query: str) -> bool:
    """Whether a search query mentions self-harm or suicide; searching for help counts."""
    if not query or not query.strip():
        return False
    query = _QUERY_SPACE.sub(" ", query[:500]).strip()
    if lexicon.pattern_any("crisis_query.txt").search(query):
        return True
    return any(entry.pattern.search(query) for entry in lexicon.crisis_index().candidates(query))
