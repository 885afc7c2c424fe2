"""Medicine names: the curated MS list first, then the general drug dictionary.

The dictionary (``drug_named_entity_recognition``, ~107,000 names and synonyms, offline) takes
~1.5 s to load, so it is loaded once per process, lazily or by ``warm()``. Its synonyms
include words and drug classes; a name from it counts only when it is at least four letters,
not all capitals under six (acronyms), and not in ``data/common_words.txt``.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from . import lexicon
from .text import TOKEN, Span, make_span

_dictionary_lock = threading.Lock()
_dictionary = None


def drug_dictionary():
    """The drug dictionary's finder module, loaded once."""
    global _dictionary
    if _dictionary is None:
        with _dictionary_lock:
            if _dictionary is None:
                from drug_named_entity_recognition import drugs_finder

                _dictionary = drugs_finder
    return _dictionary


def _key(words: str) -> str:
    return " ".join(re.split(r"[\s\-]+", words.lower()))


@cache
def _curated() -> tuple[dict[str, str], int]:
    """Each curated name as a key of lower-case words, and the most words a name has."""
    names = {_key(variant): label for variant, label in lexicon.ms_therapies().items()}
    return names, max(len(k.split()) for k in names)


@cache
def _fuzzy_variants() -> dict[str, list[str]]:
    """Single-word curated names of seven letters or more, by first letter, for typos."""
    buckets: dict[str, list[str]] = {}
    for variant in lexicon.ms_therapies():
        if len(variant) >= 7 and variant.isalpha():
            buckets.setdefault(variant[0], []).append(variant)
    return buckets


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance <= 1, or one transposition."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _label(name: str) -> str:
    name = re.sub(r"\s*\(.*?\)\s*$", "", name).strip()
    return name[:1].upper() + name[1:].lower()


def find_medicines(text: str) -> list[Span]:
    """Medicines named in ``text``, in text order, labelled with their generic name."""
    if not text:
        return []
    therapies = lexicon.ms_therapies()
    spans: list[Span] = []
    taken = bytearray(len(text))

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) == -1

    def add(start: int, end: int, label: str) -> None:
        spans.append(make_span(text, start, end, "medicine", label))
        taken[start:end] = b"\x01" * (end - start)

    tokens = list(TOKEN.finditer(text))
    words = [_key(token.group()) for token in tokens]
    curated, longest = _curated()
    index = 0
    while index < len(tokens):
        for size in range(min(longest, len(tokens) - index), 0, -1):
            label = curated.get(" ".join(words[index : index + size]))
            if label is not None:
                last = index + size - 1
                # Only runs of words separated by spaces or hyphens make one name.
                between = text[tokens[index].end() : tokens[last].start()]
                if size == 1 or re.fullmatch(r"[\s\-\w]*", between):
                    add(tokens[index].start(), tokens[last].end(), label)
                    index = last
                    break
        index += 1

    common = lexicon.common_words()
    fuzzy = _fuzzy_variants()
    for token in tokens:
        word = token.group().lower()
        if len(word) < 7 or word in common or word in therapies or not free(*token.span()):
            continue
        for variant in fuzzy.get(word[0], ()):
            if _within_one_edit(word, variant):
                add(token.start(), token.end(), therapies[variant])
                break

    finder = drug_dictionary()
    for info, first, last in finder.find_drugs([t.group() for t in tokens], is_ignore_case=True):
        start, end = tokens[first].start(), tokens[last - 1].end()
        surface = text[start:end]
        if not free(start, end) or not _plausible(surface, common):
            continue
        add(start, end, _label(info.get("name") or surface))

    spans.sort(key=lambda s: s.start)
    return spans


def _plausible(surface: str, common: frozenset[str]) -> bool:
    letters = sum(c.isalpha() for c in surface)
    if letters < 4 or surface.lower() in common:
        return False
    return not (surface.isupper() and len(surface) < 6)
