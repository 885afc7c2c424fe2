"""'Did you mean …?': a query that found nothing, respelled with words the reader can find.

The words come from the titles and tags of the items the reader may read
(``search.selectors.spelling_suggestion``), never from drafts, items in
review, private or restricted ones, so a suggestion can neither name nor hint
at them. It is computed here in Python, the same on every backend: the
database backends have no fuzzy matching, and the engine's fuzzy query (one or
two edits) forgives most typos before a search comes back empty.

Similarity is difflib's ratio (twice the letters in common over the letters
of both words): "fatige" and "fatigue" score 0.92. The work is bounded: at
most ``MAX_CORRECTED_TERMS`` words are respelled, each compared in full only
with the words within ``MAX_EDITS`` edits of its length and letters that pass
difflib's quick upper bounds (see benchmarks/README.md for the cost).
"""

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence

# Words worth suggesting: letters only, at least three.
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,}")
MAX_CORRECTED_TERMS = 3
# A word of four letters or fewer with one letter wrong scores 0.75; longer
# words must come closer (one wrong letter in six is 0.83).
SHORT_WORD_LENGTH = 4
SHORT_WORD_CUTOFF = 0.75
CUTOFF = 0.8
# At most this many letters added, removed or changed (as the engine's fuzzy query).
MAX_EDITS = 2
# Too common to be what was meant, and dropped by the English stemming
# configurations, so a search for one of them finds nothing.
STOP_WORDS = frozenset(
    """
    about after again all and any are because been before being but can could did does
    doing down during each few for from further had has have having her here hers herself
    him himself his how into its itself just more most not now off once only other our
    ours ourselves out over own same she should some such than that the their theirs them
    themselves then there these they this those through too under until very was were
    what when where which while who whom why will with would you your yours yourself
    """.split()  # noqa: SIM905 - a word list reads better as text
)


class Vocabulary:
    """Words a reader may be offered, with how often the texts they came from use each.

    Built from texts (titles, tag names) in one pass, the words grouped by
    length so that most are never looked at for a given word.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        counts = Counter(VOCABULARY_WORD.findall("\n".join(texts).lower()))
        for word in STOP_WORDS & counts.keys():
            del counts[word]
        self.counts = counts
        # Words by length: a word is compared only with those of nearly its length.
        self._by_length: dict[int, list[tuple[str, int]]] = {}
        for word, uses in counts.items():
            self._by_length.setdefault(len(word), []).append((word, uses))

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts

    def __len__(self) -> int:
        return len(self.counts)

    def closest(self, word: str) -> str | None:
        """The known word most like ``word``, or None (see the module docstring).

        The most similar wins; among equally similar words the one used more,
        then the first in alphabetical order.
        """
        word = word.lower()
        cutoff = SHORT_WORD_CUTOFF if len(word) <= SHORT_WORD_LENGTH else CUTOFF
        letters = set(word)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best, best_key = None, None
        for length in range(len(word) - MAX_EDITS, len(word) + MAX_EDITS + 1):
            for candidate, uses in self._by_length.get(length, ()):
                # Each edit adds or removes at most two distinct letters: words
                # further apart are dismissed here, cheaply.
                if len(letters.symmetric_difference(candidate)) > 2 * MAX_EDITS:
                    continue
                matcher.set_seq1(candidate)
                if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                    continue
                ratio = matcher.ratio()
                if ratio < cutoff:
                    continue
                key = (ratio, uses)
                if best_key is None or key > best_key or (key == best_key and candidate < best):
                    best, best_key = candidate, key
        return best


def did_you_mean(terms: Sequence[str], vocabulary: Vocabulary) -> str | None:
    """``terms`` (the query's words) with each unknown word respelled, or None if none can be.

    Words the ``vocabulary`` knows, numbers and words of fewer than three
    letters are kept as they are; only the first ``MAX_CORRECTED_TERMS``
    words are looked at.
    """
    corrected, changed = [], False
    for position, term in enumerate(terms):
        replacement = None
        if (
            position < MAX_CORRECTED_TERMS
            and VOCABULARY_WORD.fullmatch(term)
            and term not in vocabulary
        ):
            replacement = vocabulary.closest(term)
        corrected.append(replacement or term)
        changed = changed or replacement is not None
    return " ".join(corrected) if changed else None
