"""Self-harm and suicide signals, and crisis search queries.

Recall matters more than precision: a missed disclosure is worse than a moderator reading a
false alarm, so a match is dropped only for a clear reason: a negation in its clause ("I would
never hurt myself"), a quotation introduced as a title or someone else's words, or, for the
generic terms that also name a topic ("suicide", "self-harm"), a topic or general reading.
"""

from __future__ import annotations

import re
from functools import cache

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
    found += _composed(text, sentences)
    found += _signs(text, sentences)
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


# Where a wish and the idea it reaches for stop belonging together: a sentence or clause
# break, or a conjunction that turns to something else. A comma is a break unless a
# subordinate clause follows it ("it would be easier, if I wasn't here"; German "wenn").
_COMPOSE_BREAK = re.compile(
    r"[.;:!?()\[\]–—]|,(?!\s*(?:if|that|wenn|dass|ob)\b)|(?<!\w)(?:but|because|cause|although|"
    r"though|when|while|after|before|until|unless|aber|weil|obwohl)(?!\w)",
    re.IGNORECASE,
)
# How far (characters) a wish may stand before the idea.
_COMPOSE_GAP = 60
_ME = re.compile(r"(?<!\w)(?:me|myself|my (?:own )?life|mich|mir)(?!\w)", re.I)


def _composed(text: str, sentences: Sentences) -> list[tuple[int, int, bool]]:
    """The compositional rule (data/crisis_compose.txt): a first-person sentence in which a
    wish, plan or thought is followed closely by a death or self-harm idea."""
    intent = lexicon.pattern_any("crisis_compose.txt", "intent:")
    death = lexicon.pattern_any("crisis_compose.txt", "death:")
    idiom = lexicon.pattern_any("crisis_compose.txt", "not:")
    other = lexicon.pattern_any("crisis_compose.txt", "other:")
    negation = lexicon.pattern_any("negation.txt", "pre:")
    found = []
    for s_start, s_end in sentences.bounds:
        if not _FIRST_PERSON_SUBJECT.search(text, s_start, s_end):
            continue
        ideas = [m for m in death.finditer(text, s_start, s_end) if m.end() > m.start()]
        if not ideas:
            continue
        wishes = [m for m in intent.finditer(text, s_start, s_end) if m.end() > m.start()]
        for idea in ideas:
            if idiom.match(text, idea.start(), s_end):
                continue
            for wish in reversed(wishes):
                if wish.end() > idea.start():
                    continue
                if idea.start() - wish.end() > _COMPOSE_GAP:
                    break
                gap = text[wish.end() : idea.start()]
                if _COMPOSE_BREAK.search(gap) or negation.search(gap):
                    break
                if other.search(gap) and not _ME.search(idea.group()):
                    break
                found.append((wish.start(), idea.end(), False))
                break
    return found


# How far apart (characters) two warning signs of different families may stand.
_SIGN_GAP = 300


@cache
def _sign_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    families: dict[str, list[str]] = {}
    for line in lexicon.prefixed("crisis_compose.txt", "sign:"):
        family, _, source = line.partition("=")
        families.setdefault(family.strip(), []).append(source.strip())
    return tuple((name, lexicon.compile_any(sources)) for name, sources in families.items())


def _signs(text: str, sentences: Sentences) -> list[tuple[int, int, bool]]:
    """Warning signs (data/crisis_compose.txt, "sign:"): two of different families close
    together, each in a first-person or subjectless sentence and not negated, make one span
    from the first to the last."""
    hits = []
    for family, pattern in _sign_patterns():
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            s_start, s_end = sentences.bound(match.start())
            if negated_before(clause_prefix(text, s_start, match.start())):
                continue
            hits.append((match.start(), match.end(), family))
    if len({h[2] for h in hits}) < 2:
        return []
    hits.sort()
    found = []
    for i, (start, end, family) in enumerate(hits):
        for other_start, other_end, other_family in hits[i + 1 :]:
            if other_start - end > _SIGN_GAP:
                break
            if other_family != family:
                found.append((start, max(end, other_end), False))
                break
    return found


def _past_and_recovered(text: str, sentences: Sentences, start: int, end: int) -> bool:
    """A crisis expression about the past with the writer safe now (crisis_context.txt,
    "past:", "recovered:", "again:")."""
    index = sentences.index(start)
    s_start, s_end = sentences.bounds[index]
    if not lexicon.pattern_any("crisis_context.txt", "past:").search(text, s_start, s_end):
        return False
    last = min(index + 2, len(sentences.bounds) - 1)
    region_end = max(s_end, sentences.bounds[last][1])
    recovered = lexicon.pattern_any("crisis_context.txt", "recovered:")
    if not recovered.search(text, s_start, region_end):
        return False
    return not lexicon.pattern_any("crisis_context.txt", "again:").search(text, end)


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
        if _past_and_recovered(text, sentences, start, end):
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
    if any(entry.pattern.search(query) for entry in lexicon.crisis_index().candidates(query)):
        return True
    return bool(_composed(query, Sentences(query)))
