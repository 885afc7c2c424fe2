"""The words a scan reads: an item's title, summary and body as plain text, a comment's text."""

from django.utils.html import strip_tags

# Long enough for any item the writing form accepts; a bound for the scanners' time.
MAX_SCAN_CHARS = 60_000


def page_text(page) -> str:
    """``page``'s title, summary and body as plain text, one paragraph each, bounded.

    The body is read through its StreamField's searchable content, the words a
    reader sees (rich text without markup, quotes, callouts, references).
    """
    parts = [getattr(page, "draft_title", "") or page.title, getattr(page, "summary", "") or ""]
    body = getattr(page, "body", None)
    if body:
        parts.extend(
            " ".join(strip_tags(str(part)).split())
            for part in body.stream_block.get_searchable_content(body)
            if part
        )
    return "\n\n".join(part for part in parts if part)[:MAX_SCAN_CHARS]
