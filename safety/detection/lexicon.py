"""The versioned word lists in ``data/`` and the regular expressions built from them.

Every list is a text file with a header comment naming the lexicon version and its sources;
``LEXICON_VERSION`` names the set. Bump it (and the headers) whenever a list changes, so a
case records which lists found it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_VERSION = "2026-12-05.2"

DATA_DIR = Path(__file__).resolve().parent / "data"

DATA_FILES = (
    "ms_therapies.txt",
    "adverse_events.txt",
    "serious.txt",
    "negation.txt",
    "hypothetical.txt",
    "indication.txt",
    "crisis.txt",
    "crisis_context.txt",
    "crisis_compose.txt",
    "crisis_query.txt",
    "given_names.txt",
    "common_words.txt",
)

FLAGS = re.IGNORECASE


def read_lines(name: str) -> list[str]:
    """The non-empty, non-comment lines of one data file, stripped."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def read_words(name: str) -> frozenset[str]:
    """A whitespace-separated word list, lower-cased."""
    return frozenset(w.lower() for line in read_lines(name) for w in line.split())


def expression(source: str) -> str:
    """A list expression as a regular expression: a space matches whitespace or a hyphen
    (" ?" makes it optional), an apostrophe matches ' or ’, whole words only."""
    source = source.replace(" ?", "\0").replace(" ", r"[\s\-]+").replace("\0", r"[\s\-]*")
    source = source.replace("'", "['’]")
    return rf"(?<![\w])(?:{source})(?![\w])"


def compile_one(source: str) -> re.Pattern:
    return re.compile(expression(source), FLAGS)


def compile_any(sources: list[str]) -> re.Pattern:
    """One pattern matching any of the expressions (longest source first)."""
    ordered = sorted(sources, key=len, reverse=True)
    return re.compile("|".join(expression(s) for s in ordered), FLAGS)


@dataclass(frozen=True)
class Entry:
    """One line of a list: its pattern, a normalised label and a flag."""

    pattern: re.Pattern
    label: str
    flag: bool
    # Letter runs of the expression: a text that holds none of them cannot match, so the
    # (slower) pattern is not run on it.
    needles: tuple[str, ...] = ()


class NeedleIndex:
    """Which entries can match a text, from the needles it holds: one pass over the text's
    three-letter windows instead of one regular expression per entry."""

    def __init__(self, entries: tuple[Entry, ...]):
        self.entries = entries
        self.always = [i for i, e in enumerate(entries) if not e.needles]
        self.by_trigram: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        owners: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            for needle in entry.needles:
                owners.setdefault(needle, []).append(i)
        for needle, indexes in owners.items():
            self.by_trigram.setdefault(needle[:3], []).append((needle, tuple(indexes)))

    def candidates(self, text: str, start: int = 0, end: int | None = None) -> list[Entry]:
        lowered = text[start:end].lower()
        found = set(self.always)
        by_trigram = self.by_trigram
        for i in range(len(lowered) - 2):
            bucket = by_trigram.get(lowered[i : i + 3])
            if bucket:
                for needle, indexes in bucket:
                    if lowered.startswith(needle, i):
                        found.update(indexes)
        return [self.entries[i] for i in sorted(found)]


def needles(source: str) -> tuple[str, ...]:
    """The runs of three or more letters in an expression, outside escapes ("\\s")."""
    # A letter made optional ("headaches?") is no part of a needle.
    source = re.sub(r"[a-zäöüßéè][?*]|[a-zäöüßéè]\{0,", " ", source)
    runs = re.findall(r"(?<!\\)[a-zäöüßéè]{3,}", source.lower())
    # Every top-level alternative must hold a run, or no text can be ruled out.
    depth, alternatives, current = 0, [], []
    for char in source:
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            alternatives.append("".join(current))
            current = []
        else:
            current.append(char)
    alternatives.append("".join(current))
    if not runs or any(not re.search(r"[a-zäöüßéè]{3,}", a.lower()) for a in alternatives):
        return ()
    # Words in nearly every sentence rule nothing out; leave them aside where another run of
    # the same alternative remains.
    kept = set()
    for alternative in alternatives:
        own = set(re.findall(r"(?<!\\)[a-zäöüßéè]{3,}", alternative.lower()))
        rare = own - _COMMON_RUNS
        kept |= rare or own
    return tuple(sorted(kept, key=len))


_COMMON_RUNS_WORDS = (
    "and the ing was are for out all you had has have her his she not but with that this from "
    "into over off very really went get got gets made make makes ive its were one any just so "
    "ion ed es"
)
_COMMON_RUNS = frozenset(_COMMON_RUNS_WORDS.split())


@cache
def adverse_event_entries() -> tuple[Entry, ...]:
    entries = []
    for line in read_lines("adverse_events.txt"):
        # The expression may itself hold "|": the label and the flag are the last fields.
        parts = [p.strip() for p in line.split(" | ")]
        serious = parts[-1].lower() == "serious"
        if serious:
            parts = parts[:-1]
        label = parts[-1]
        source = " | ".join(parts[:-1])
        entries.append(Entry(compile_one(source), label, serious, needles(source)))
    return tuple(entries)


@cache
def adverse_event_index() -> NeedleIndex:
    return NeedleIndex(adverse_event_entries())


@cache
def crisis_index() -> NeedleIndex:
    return NeedleIndex(crisis_entries())


@cache
def crisis_entries() -> tuple[Entry, ...]:
    """Crisis expressions; the flag marks the generic terms that also name a topic."""
    entries = []
    for line in read_lines("crisis.txt"):
        generic = line.startswith("generic:")
        source = line.removeprefix("generic:").strip()
        entries.append(Entry(compile_one(source), source, generic, needles(source)))
    return tuple(entries)


@cache
def prefixed(name: str, prefix: str) -> list[str]:
    return [
        line.removeprefix(prefix).strip() for line in read_lines(name) if line.startswith(prefix)
    ]


@cache
def pattern_any(name: str, prefix: str = "") -> re.Pattern:
    lines = prefixed(name, prefix) if prefix else read_lines(name)
    return compile_any(lines)


@cache
def ms_therapies() -> dict[str, str]:
    """Each variant (lower case) to its generic label."""
    variants: dict[str, str] = {}
    for line in read_lines("ms_therapies.txt"):
        names = [p.strip() for p in line.split("|") if p.strip()]
        label = names[0]
        for name in names:
            variants.setdefault(name.lower(), label)
    return variants


@cache
def common_words() -> frozenset[str]:
    return read_words("common_words.txt")


@cache
def given_names() -> frozenset[str]:
    return read_words("given_names.txt")


_lock = threading.Lock()


def load_all() -> None:
    """Read and compile every list (idempotent)."""
    with _lock:
        adverse_event_index()
        crisis_index()
        ms_therapies()
        common_words()
        given_names()
        pattern_any("serious.txt")
        pattern_any("hypothetical.txt")
        pattern_any("indication.txt")
        pattern_any("negation.txt", "pre:")
        pattern_any("negation.txt", "post:")
        pattern_any("negation.txt", "pseudo:")
        pattern_any("negation.txt", "crisis-post:")
        pattern_any("crisis_query.txt")
        for kind in ("intent:", "death:", "not:", "other:"):
            pattern_any("crisis_compose.txt", kind)
        for kind in ("topic:", "general:", "quote:", "past:", "recovered:", "again:"):
            pattern_any("crisis_context.txt", kind)
