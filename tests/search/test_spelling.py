"""'Did you mean …?' from a vocabulary: the closest known word, bounded work, no guesses."""

import time

import pytest

from search.spelling import MAX_CORRECTED_TERMS, STOP_WORDS, Vocabulary, did_you_mean

TITLES = [
    "Fatigue and heat",
    "Fatigue at work",
    "Fatigued after the infusion",
    "Walking with a stick",
    "Physiotherapy at home",
    "Pain in the evening",
    "Stiffness in the morning",
    "Neurologist appointments",
]


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary(TITLES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fatige", "fatigue"),  # the more similar word wins over "fatigued"
        ("Fatige", "fatigue"),
        ("fatige walkng", "fatigue walking"),
        ("neurolgist", "neurologist"),
        ("fysioterapy", "physiotherapy"),
        ("pian", "pain"),
        ("fatige 2026 mri", "fatigue 2026 mri"),  # numbers and unknown short words stay
    ],
)
def test_misspelled_words_are_respelled_with_known_ones(vocabulary, query, expected):
    assert did_you_mean(query.split(), vocabulary) == expected


@pytest.mark.parametrize(
    "query",
    [
        "fatigue",  # known: nothing to correct
        "xylophone",  # nothing close
        "ab",  # too short to guess
        "with",  # a stop word, never suggested or corrected into
        "wiht",
        "fatiguefatiguefatigue",  # too long to be a typo of "fatigue"
        "",
    ],
)
def test_no_suggestion_without_a_close_known_word(vocabulary, query):
    assert did_you_mean(query.split(), vocabulary) is None


def test_among_equally_close_words_the_more_used_then_the_first_one_wins():
    # "paim" is one letter from both "pain" and "paid".
    assert did_you_mean(["paim"], Vocabulary(["Pain relief", "Pain diary", "Paid work"])) == "pain"
    assert did_you_mean(["paim"], Vocabulary(["Pain relief", "Paid work"])) == "paid"


def test_stop_words_are_not_in_the_vocabulary():
    vocabulary = Vocabulary(["With the other words here"])

    assert not STOP_WORDS & set(vocabulary.counts)
    assert "words" in vocabulary


def test_only_the_first_words_are_respelled(vocabulary):
    query = ["xylophone"] * MAX_CORRECTED_TERMS + ["fatige"]

    assert did_you_mean(query, vocabulary) is None


def test_a_large_vocabulary_is_searched_quickly():
    # 8,000 distinct six-letter words, like the benchmark's filler text.
    letters = "abcdefghijklmnopqrst"
    words = [a + b + c + a + b + c for a in letters for b in letters for c in letters[:50]]
    vocabulary = Vocabulary([" ".join(words[i : i + 6]) for i in range(0, len(words), 6)])

    started = time.perf_counter()
    did_you_mean(["qwerty", "asdfgh", "zxcvbn"], vocabulary)

    assert len(vocabulary) >= 8000
    assert time.perf_counter() - started < 1.0
