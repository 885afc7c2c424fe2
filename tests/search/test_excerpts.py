"""Excerpts: whole words marked, inflections of the query's words too, never parts of words."""

import re
import time
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from search.excerpts import EXCERPT_LENGTH, excerpt
from tests.xss import PAYLOADS, assert_harmless


def item(summary, body=None):
    """What ``excerpt`` reads of a page: its summary and its body's raw blocks."""
    raw = [{"type": "paragraph", "value": f"<p>{body}</p>"}] if body else []
    return SimpleNamespace(summary=summary, body=SimpleNamespace(raw_data=raw) if raw else None)


def marks(html):
    return [mark.get_text() for mark in BeautifulSoup(html, "html.parser").select("mark")]


def test_only_whole_words_are_marked():
    text = "MS changes systems and symptoms; ms-related forms, and a diagnosis of ms."

    assert marks(excerpt(item(text), "ms")) == ["MS", "ms", "ms"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("steroid", ["Steroids", "steroid"]),
        ("steroids", ["Steroids", "steroid"]),
        ("relapse", ["relapsed", "relapses", "relapsing"]),
        ("walking", ["walk", "walked"]),
    ],
)
def test_inflections_of_the_query_words_are_marked(query, expected):
    text = (
        "Steroids after I relapsed: a steroid course, two relapses, relapsing less. "
        "A short walk, then I walked home. Sidewalks and walkways are other words."
    )

    assert marks(excerpt(item(text), query)) == expected


def test_the_excerpt_starts_near_the_first_matching_word_not_inside_another():
    # "systems" comes first but is not the word "ms"; the excerpt moves to the real one.
    text = "Our systems " + "plain words here " * 30 + "then MS itself, at last."

    html = excerpt(item(text), "ms")

    assert marks(html) == ["MS"]
    assert html.startswith("…")


def test_no_word_is_cut_or_marked_in_half_at_the_end_of_the_excerpt():
    # The excerpt's end falls before, inside and after "msxylophone" in turn.
    filler = "filler " * ((EXCERPT_LENGTH - 10) // 7)
    for shift in range(14):
        text = f"ms {filler}{'x' * shift} msxylophone and more words after it."
        html = str(excerpt(item(text), "ms"))
        shown = BeautifulSoup(html, "html.parser").get_text().strip("…").split()
        assert marks(html) == ["ms"], shift
        # Every word shown is a whole word of the text.
        assert set(shown) <= set(text.split()), shift


def test_the_body_is_searched_when_the_summary_has_no_match():
    html = excerpt(item("A quiet summary.", body="Later on, the steroids helped."), "steroid")

    assert marks(html) == ["steroids"]


@pytest.mark.parametrize(
    "query", ["(ms", "a.b", "[x", "\\", "ms|.*", "*", "ms" * 100, "é ü ß", "\u202e\u200b"]
)
def test_query_syntax_is_only_text(query):
    html = excerpt(item("Some text with ms and (ms and a.b inside."), query)

    assert isinstance(str(html), str)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_and_query_are_escaped(payload):
    page = item(f"Harbour {payload} harbour", body=f"Harbour {payload}")

    html = excerpt(page, f"harbour {payload}")

    assert_harmless(str(html), "excerpt")
    assert marks(html)[:1] == ["Harbour"]


def test_many_short_query_words_on_a_long_text_stay_fast():
    words = [a + b + c for a in "abcdefghij" for b in "klmnopqrst" for c in "aeiou"]
    text = " ".join(words * 5)
    query = " ".join(sorted({word[:2] for word in words})[:16])

    started = time.perf_counter()
    for _ in range(12):  # one page of results
        excerpt(item(text[:5000], body=text), query)

    assert time.perf_counter() - started < 1.0


def test_marks_never_cover_part_of_a_word():
    text = "The MRI scan and the MS nurse: smsm, msms, ms."

    html = str(excerpt(item(text), "ms mri"))

    for mark in re.finditer(r"<mark>(.*?)</mark>", html):
        before = html[: mark.start()][-1:]
        after = html[mark.end() :][:1]
        assert not before.isalnum() and not after.isalnum(), html
