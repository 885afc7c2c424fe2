"""Markdown in, allow-listed blocks out, and back again for editing."""

from wagtail.blocks import StreamValue

from authoring.markup import blocks_to_markdown, markdown_to_blocks
from core.blocks import BodyBlock


def as_stream(blocks):
    return StreamValue(BodyBlock(), blocks)


def test_headings_quotes_and_paragraphs_become_their_own_blocks():
    blocks = markdown_to_blocks(
        "# Diagnosis\n\nIt was **hard** and *slow*.\n\n- one\n- two\n\n> Keep going\n\n### Later"
    )

    assert [name for name, _ in blocks] == ["heading", "paragraph", "quote", "heading"]
    assert blocks[0][1] == {"text": "Diagnosis", "level": "h2"}
    assert "<strong>hard</strong>" in blocks[1][1].source
    assert "<ul>" in blocks[1][1].source
    assert blocks[2][1]["text"] == "Keep going"
    assert blocks[3][1]["level"] == "h3"


def test_links_are_kept_safe_and_marked_as_user_content():
    ((_, paragraph),) = markdown_to_blocks(
        "[good](https://example.org) [bad](javascript:alert(1)) [data](data:text/html,x)"
    )

    html = paragraph.source
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc noopener"' in html
    # The unsafe ones stay visible as text, never as links.
    assert 'href="javascript' not in html
    assert 'href="data' not in html
    assert html.count("<a ") == 1


def test_raw_html_is_never_markup():
    blocks = markdown_to_blocks(
        '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src="x"></iframe>'
    )

    html = "".join(value.source for name, value in blocks if name == "paragraph")
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html


def test_empty_text_makes_no_blocks():
    assert markdown_to_blocks("   \n\n  ") == []


def test_round_trip_keeps_the_text_and_other_blocks():
    body = as_stream(
        [
            *markdown_to_blocks("## Pacing\n\nRest **before** you are tired.\n\n> Slow is fine"),
            ("callout", {"tone": "tip", "text": "<p>Added by an editor</p>"}),
        ]
    )

    text, kept = blocks_to_markdown(body)

    assert "## Pacing" in text
    assert "**before**" in text
    assert "> Slow is fine" in text
    assert [name for name, _ in kept] == ["callout"]
    again = markdown_to_blocks(text)
    assert [name for name, _ in again] == ["heading", "paragraph", "quote"]
