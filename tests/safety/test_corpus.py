"""The detectors against the labelled corpus (benchmarks/data/safety_corpus.jsonl).

The scoring here is written apart from benchmarks/safety.py: labels against results, nothing
shared, so a bug in the benchmark cannot hide one in the detectors.
"""

import json
from pathlib import Path

import pytest

from safety.detection import find_adverse_events, find_crisis, find_personal_data

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "safety_corpus.jsonl"
CATEGORIES = {
    "ae",
    "ae_negated",
    "medicine_only",
    "event_only",
    "crisis",
    "crisis_negated",
    "quoted_or_hypothetical",
    "personal_data",
    "benign",
}
KINDS = {"phone", "email", "address", "date_of_birth", "health_number", "name"}


def _rows():
    with CORPUS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ROWS = _rows()


def _recall_precision(pairs):
    """pairs: (expected, found) booleans per sentence."""
    tp = sum(1 for e, f in pairs if e and f)
    fn = sum(1 for e, f in pairs if e and not f)
    fp = sum(1 for e, f in pairs if f and not e)
    return tp / (tp + fn), (tp / (tp + fp) if tp + fp else 1.0)


def test_corpus_shape():
    assert len(ROWS) >= 240
    counts = {c: sum(1 for r in ROWS if r["category"] == c) for c in CATEGORIES}
    assert all(counts.values()), counts
    assert counts["ae"] >= 30 and counts["crisis"] >= 30 and counts["personal_data"] >= 30
    for row in ROWS:
        assert row["category"] in CATEGORIES
        assert isinstance(row["adverse_event"], bool) and isinstance(row["crisis"], bool)
        assert set(row["personal_data"]) <= KINDS
    assert len({r["text"] for r in ROWS}) == len(ROWS), "a sentence is in the corpus twice"


@pytest.mark.parametrize("text", [r["text"] for r in ROWS if r["crisis"]])
def test_every_crisis_sentence_is_caught(text):
    assert find_crisis(text), text


def test_crisis_precision():
    pairs = [(r["crisis"], bool(find_crisis(r["text"]))) for r in ROWS]
    recall, precision = _recall_precision(pairs)
    assert recall == 1.0
    assert precision >= 0.7


def test_adverse_event_recall_and_precision():
    pairs = [(r["adverse_event"], bool(find_adverse_events(r["text"]))) for r in ROWS]
    recall, precision = _recall_precision(pairs)
    assert recall >= 0.95
    assert precision >= 0.7


def test_personal_data_recall():
    found = tp = 0
    for row in ROWS:
        kinds = {s.kind for s in find_personal_data(row["text"])}
        for kind in row["personal_data"]:
            found += 1
            tp += kind in kinds
    assert tp / found >= 0.9
