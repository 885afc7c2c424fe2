"""An excerpt with its matches marked, built safely: every piece of the text is escaped,
only Kindred's own <mark> elements are markup."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def highlighted(excerpt: str, matches: list) -> SafeString:
    """``excerpt`` as HTML with each match (``{"start", "end", "kind", "label"}``) in a
    ``<mark class="safety-match safety-match--<kind>">``. Matches that overlap, fall
    outside the text or are malformed are skipped, never trusted."""
    pieces, position = [], 0
    valid = []
    for match in matches if isinstance(matches, list) else []:
        try:
            start, end = int(match["start"]), int(match["end"])
            kind, label = str(match.get("kind", "")), str(match.get("label", ""))
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(excerpt):
            valid.append((start, end, kind, label))
    for start, end, kind, label in sorted(valid):
        if start < position:
            continue
        pieces.append(conditional_escape(excerpt[position:start]))
        pieces.append(
            format_html(
                '<mark class="safety-match safety-match--{}" title="{}">{}</mark>',
                "".join(ch for ch in kind if ch.isalnum() or ch == "_"),
                label,
                excerpt[start:end],
            )
        )
        position = end
    pieces.append(conditional_escape(excerpt[position:]))
    return mark_safe("".join(str(piece) for piece in pieces))  # noqa: S308 (escaped above)
