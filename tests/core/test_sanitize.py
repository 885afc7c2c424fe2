"""Plain-text helpers of core.sanitize."""

from core.sanitize import one_line


def test_one_line_collapses_whitespace_and_cuts_at_a_word():
    assert one_line("  Fatigue\n\tand   work ", max_length=50) == "Fatigue and work"
    assert one_line("Fatigue and work", max_length=16) == "Fatigue and work"
    # One character over: the last whole word goes and "…" marks the cut.
    assert one_line("Fatigue and works", max_length=16) == "Fatigue and…"
    assert len(one_line("word " * 100, max_length=30)) <= 30
    assert one_line("", max_length=10) == ""
