"""Members write Markdown in a plain textarea; the body is stored as StreamField blocks.

Markdown works without JavaScript and needs no HTML from the writer. It is
rendered with raw HTML disabled, then cleaned to the allow-list, then split
into the shared body blocks: headings and quotes become their own blocks,
everything else paragraph rich text.
"""

from collections.abc import Sequence
from typing import Any

from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText, expand_db_html

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdownify import markdownify

from core.sanitize import clean_html, clean_text

MAX_BODY_LENGTH = 20_000
HEADING_MAX_LENGTH = 120
QUOTE_MAX_LENGTH = 1000
# Blocks a member's textarea can express; others (images, callouts added by
# editors in the admin) are kept as they are when the member edits.
TEXT_BLOCK_TYPES = ("paragraph", "heading", "quote")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])


def _inline_text(inline_token: Token) -> str:
    parts = []
    for child in inline_token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return clean_text("".join(parts))


def _top_level_extent(tokens: Sequence[Token], start: int) -> int:
    """Index of the token that closes the top-level block opened at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth <= 0:
            return index
    return len(tokens) - 1


def markdown_to_blocks(text: str | None) -> list[tuple[str, Any]]:
    """The member's Markdown as a list of ``(block_type, value)`` for the body StreamField."""
    tokens = _markdown.parse(text or "")
    blocks, pending = [], []

    def flush() -> None:
        if pending:
            html = clean_html(_markdown.renderer.render(pending, _markdown.options, {}))
            if html.strip():
                blocks.append(("paragraph", RichText(html)))
            pending.clear()

    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _top_level_extent(tokens, index)
        if token.type == "heading_open":
            heading = _inline_text(tokens[index + 1])[:HEADING_MAX_LENGTH]
            if heading:
                flush()
                level = "h2" if token.tag in ("h1", "h2") else "h3"
                blocks.append(("heading", {"text": heading, "level": level}))
        elif token.type == "blockquote_open":
            lines = [_inline_text(inner) for inner in tokens[index:end] if inner.type == "inline"]
            quote = "\n".join(line for line in lines if line)[:QUOTE_MAX_LENGTH]
            if quote:
                flush()
                blocks.append(("quote", {"text": quote, "attribution": ""}))
        else:
            pending.extend(tokens[index : end + 1])
        index = end + 1
    flush()
    return blocks


def blocks_to_markdown(body: StreamValue) -> tuple[str, list[tuple[str, Any]]]:
    """The text blocks of ``body`` as Markdown for the edit form, and the other blocks kept."""
    parts, kept = [], []
    for block in body:
        if block.block_type == "paragraph":
            html = expand_db_html(block.value.source)
            parts.append(markdownify(html, heading_style="ATX", bullets="-").strip())
        elif block.block_type == "heading":
            marker = "##" if block.value.get("level") == "h2" else "###"
            parts.append(f"{marker} {block.value.get('text', '')}")
        elif block.block_type == "quote":
            parts.append("\n".join(f"> {line}" for line in block.value["text"].splitlines()))
        else:
            kept.append((block.block_type, block.value))
    return "\n\n".join(part for part in parts if part), kept
