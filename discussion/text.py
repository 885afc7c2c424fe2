"""Comment text: stored as the plain text the member typed, shown as safe HTML.

The text is escaped, web addresses become links (Django's ``urlize``), line
breaks become ``<br>``, and the result goes through ``core.sanitize.clean_html``
so that every link carries ``rel="nofollow ugc noopener"`` and nothing else
survives. The length is bounded before any of this runs (``urlize`` has had
denial-of-service bugs on long crafted input).
"""

from functools import lru_cache

from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from core.sanitize import clean_html, clean_text

from .models import COMMENT_MAX_LENGTH

# Long links are shortened on screen (the href stays whole).
LINK_TEXT_LIMIT = 60


def normalise_comment_text(value):
    """What is stored: the text without invisible control characters, trimmed.

    Line breaks are kept (and Windows line ends folded) so paragraphs survive.
    """
    return clean_text((value or "").replace("\r\n", "\n").replace("\r", "\n"))


# Comments rendered lately, by their text: every page view of a discussion turned each
# comment into HTML again (urlize, then the sanitiser), ~0.2 ms each (issue 17). The
# result depends on the text alone; the text is bounded, and so is the number kept.
RENDERED_KEPT = 512


@lru_cache(maxsize=RENDERED_KEPT)
def comment_html(text):
    """``text`` (plain, as stored) as HTML that is safe to insert into any page.

    The same text gives the same (immutable) safe string, kept for the texts
    rendered lately in this process.
    """
    text = (text or "")[:COMMENT_MAX_LENGTH]
    # urlize escapes everything that is not a link it made (autoescape=True);
    # it returns a plain str, so say so before linebreaksbr would escape again.
    linked = mark_safe(  # noqa: S308
        urlize(text, trim_url_limit=LINK_TEXT_LIMIT, nofollow=True, autoescape=True)
    )
    # clean_html is the last word on what the HTML may hold.
    return mark_safe(clean_html(linebreaksbr(linked, autoescape=True)))  # noqa: S308
