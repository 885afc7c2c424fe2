"""HTML allow-listing for everything people write, on the way in and on the way out.

Wagtail's ``|richtext`` filter expands links but never sanitises (see
../shared/SECURITY.md), and the admin editor is not the only way text gets
in. Member submissions are cleaned before they are stored, and every rich
text block is cleaned again as it is rendered, so that neither visitors nor
reviewers can be attacked through a stored payload.
"""

import nh3

# The formatting members can use (see core.blocks.PARAGRAPH_FEATURES),
# plus the headings and quotes the body blocks render.
ALLOWED_TAGS = {
    *("p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"),
    *("h2", "h3", "blockquote"),
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Member links are user-generated content: no ranking credit, no opener access.
LINK_REL = "nofollow ugc noopener"


def clean_html(html):
    """``html`` reduced to the allow-list: no scripts, handlers, styles, frames, forms or
    ``javascript:``/``data:`` links; every link gets ``rel="nofollow ugc noopener"``."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def clean_text(value):
    """Plain text with control characters (other than newlines and tabs) removed.

    Titles, summaries and tags are escaped when rendered; this only drops the
    invisible characters that can disguise text (NUL, bidirectional overrides).
    """
    return "".join(char for char in (value or "") if _is_visible(char)).strip()


def one_line(text: str, *, max_length: int) -> str:
    """``text`` on one line (runs of whitespace become one space), cut at a word with "…"
    when longer than ``max_length``: a listing's summary, a link preview's description."""
    line = " ".join((text or "").split())
    if len(line) <= max_length:
        return line
    return line[: max_length - 1].rsplit(" ", 1)[0] + "…"


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _is_visible(char):
    if char in "\n\t":
        return True
    code = ord(char)
    return code >= 32 and not 0x7F <= code <= 0x9F and char not in BIDI_CONTROLS
