"""Spans, sentences, tokens and the negation scope shared by the detectors."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from . import lexicon


@dataclass(frozen=True)
class Span:
    """A stretch of the text given: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    kind: str
    label: str


def make_span(source: str, start: int, end: int, kind: str, label: str) -> Span:
    return Span(start, end, source[start:end], kind, label)


# A sentence ends at . ! ? or … followed by space, or at a line break; a few abbreviations
# ("Dr.", "e.g.") do not end one.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n")
_ABBREVIATIONS_WORDS = (
    "dr mr mrs ms mx prof st no nr vs etc eg e.g ie i.e approx ca inc ltd jan feb mar apr jun "
    "jul aug sep sept oct nov dec mon tue wed thu fri sat sun str geb bzw z.b u.a"
)
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_WORDS.split())


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and len(match.group()) == 1:
            word = re.search(r"([\w.]+)$", text[start : match.start()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
        if text[start:end].strip():
            bounds.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        bounds.append(_trim(text, start, len(text)))
    return bounds


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Sentences:
    """The sentences of a text, with a look-up from an offset to its sentence."""

    def __init__(self, text: str):
        self.text = text
        self.bounds = sentence_bounds(text) or [(0, len(text))]
        self._starts = [b[0] for b in self.bounds]

    def index(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def bound(self, offset: int) -> tuple[int, int]:
        return self.bounds[self.index(offset)]


TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

# Where a negation's scope ends: punctuation inside the sentence and the words that turn it.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]–—]|\s-\s|(?<!\w)(?:but|although|though|however|yet|whereas|except|apart from|"
    r"other than|besides|until|till|then|aber|doch)(?!\w)",
    re.IGNORECASE,
)
# A new subject between a negation and the expression ends the negation's scope too:
# "my carer doesn't know I've been cutting again".
_NEW_SUBJECT = re.compile(r"(?<!\w)(?:i|i['’]m|i['’]ve|i['’]d|im|ive|he|she|they|we)(?!\w)", re.I)


def clause_prefix(text: str, sentence_start: int, offset: int, words: int = 6) -> str:
    """The last few words before ``offset`` in its clause."""
    before = text[sentence_start:offset]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    tokens = before.split()
    return " ".join(tokens[-words:])


def clause_suffix(text: str, offset: int, sentence_end: int, chars: int = 80) -> str:
    return text[offset : min(sentence_end, offset + chars)]


def negated_before(prefix: str) -> bool:
    """Whether a negation cue in ``prefix`` reaches its end (no new subject in between)."""
    prefix = lexicon.pattern_any("negation.txt", "pseudo:").sub(" ", prefix)
    cues = list(lexicon.pattern_any("negation.txt", "pre:").finditer(prefix))
    if not cues:
        return False
    rest = prefix[cues[-1].end() :]
    return not _NEW_SUBJECT.search(rest)
