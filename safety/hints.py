"""Personal-data hints: what looks like personal data in what someone writes.

The writer sees them while typing (``safety.hint_views``, ``static/js/personal-data.js``)
and on the preview of their item (the ``kindred_content_page_context`` hook in
``safety.hint_hooks``); reviewers see them on the item in review
(``safety.admin_hint_views``). The finding itself is ``safety.detection``'s,
offline and pure Python; this module decides whose names are fine to mention,
how a page becomes text, and who may see a page's hints in the admin.
"""

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from wagtail.models import Page

from core.models import ContentPage
from core.models.mixins import SUMMARY_MAX_LENGTH
from moderation.selectors import review_queue

from .detection import find_personal_data

if TYPE_CHECKING:
    from accounts.models import User

# The most a writer can type into one form: a title (120), a summary and a body
# (20,000) of authoring's forms, with the blank lines the script puts between
# them. ``safety`` sits below ``authoring`` in the layers, so the figures cannot
# be imported from there; tests/safety/test_hints.py holds them together.
TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 20_000
MAX_TEXT_LENGTH = TITLE_MAX_LENGTH + SUMMARY_MAX_LENGTH + BODY_MAX_LENGTH + 100
# A page edited in the admin has no form limit; the reviewer's view checks this
# much of each part and says so when there was more.
REVIEW_SCAN_LIMIT = 100_000
REGION = "GB"
# Larger ids do not fit the database's column (PostgreSQL would refuse the query).
MAX_PAGE_ID = 2**31 - 1


@dataclass(frozen=True)
class Hint:
    """One stretch of text that looks like personal data: ``text[start:end]``, its ``kind``
    (``phone``, ``email``, ``address``, ``date_of_birth``, ``health_number``, ``name``) and
    ``label`` ("Phone number"), as the writer's script and the templates show it."""

    start: int
    end: int
    text: str
    kind: str
    label: str

    def as_json(self) -> dict[str, Any]:
        """The hint as the endpoint answers it."""
        return asdict(self)


def names_allowed_for(author: "User | AbstractBaseUser | AnonymousUser | None") -> list[str]:
    """The names ``author`` goes by, which are theirs to mention: display name, username,
    first and last name (staff). Empty for nobody."""
    if author is None or not author.is_authenticated:
        return []
    first = getattr(author, "first_name", "") or ""
    last = getattr(author, "last_name", "") or ""
    names = [
        getattr(author, "display_name", "") or "",
        author.get_username() or "",
        f"{first} {last}".strip(),
    ]
    return [name for name in dict.fromkeys(names) if name]


def personal_data_hints(
    *,
    text: str,
    author: "User | AbstractBaseUser | AnonymousUser | None",
    anonymous: bool = False,
) -> list[Hint]:
    """What looks like personal data in ``text``, in order and not overlapping.

    The author's own names are not flagged, unless the item is to be published
    ``anonymous``ly: then their name in the text would give them away.
    """
    if not text:
        return []
    allowed = () if anonymous else names_allowed_for(author)
    return [
        Hint(
            start=span.start,
            end=span.end,
            text=span.text,
            kind=span.kind,
            label=gettext(span.label),
        )
        for span in find_personal_data(text, region=REGION, names_allowed=allowed)
    ]


# --- A page as text, for the preview and the reviewer ---

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def _html_text(value: str) -> str:
    """Rich text as plain text: one line per paragraph or list item, entities decoded."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", value)))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _block_texts(block: dict[str, Any]) -> Iterator[str]:
    kind, value = block.get("type"), block.get("value")
    if kind in ("paragraph", "callout") and isinstance(value, str | dict):
        rich = value if isinstance(value, str) else value.get("text", "")
        yield _html_text(rich or "")
        if isinstance(value, dict):
            yield value.get("link_label") or ""
    elif isinstance(value, dict):
        # Headings, quotes, images: their words (an image's alt text and caption too).
        for key in ("text", "attribution", "alt_text", "caption"):
            if isinstance(value.get(key), str):
                yield value[key]
    elif isinstance(value, str):
        yield _html_text(value)


def body_text(page: ContentPage) -> str:
    """The words of ``page``'s body, one block per paragraph, without markup.

    Read from the stored blocks (``raw_data``), so images are not fetched.
    """
    raw = page.body.raw_data if page.body else []
    parts = (
        text.strip() for block in raw if isinstance(block, dict) for text in _block_texts(block)
    )
    return "\n\n".join(part for part in parts if part)


@dataclass(frozen=True)
class HintedPart:
    """One part of an item (its title, summary or body) with the hints found in it."""

    name: str
    text: str
    hints: list[Hint]
    truncated: bool = False

    @property
    def label(self) -> str:
        """The part's name as people read it (``name`` stays English: it is in ids)."""
        return str(PART_LABELS.get(self.name, self.name))

    @property
    def highlighted(self) -> SafeString:
        """The text as HTML, every hint in a ``<mark>``; all text escaped."""
        pieces, position = [], 0
        for number, hint in enumerate(self.hints, start=1):
            pieces.append(escape(self.text[position : hint.start]))
            pieces.append(
                f'<mark class="pd-mark" id="pd-hint-{escape(self.name.lower())}-{number}" '
                f'title="{escape(hint.label)}">{escape(self.text[hint.start : hint.end])}</mark>'
            )
            position = hint.end
        pieces.append(escape(self.text[position:]))
        # Safe: every piece of text above went through escape().
        return mark_safe("".join(pieces))  # noqa: S308


# The parts of an item, as the reviewer's page and the writer's preview name them.
PART_LABELS = {
    "Title": gettext_lazy("Title"),
    "Summary": gettext_lazy("Summary"),
    "Body": gettext_lazy("Body"),
}


def page_hints(*, page: ContentPage) -> list[HintedPart]:
    """``page``'s title, summary and body with their hints, as its author would be told.

    ``page`` is the version to check (a draft or revision as an object). The
    author's own names are fine to mention unless the item is anonymous.
    """
    author = page.author if page.author_id else None
    parts = []
    for name, text in (
        ("Title", page.title or ""),
        ("Summary", page.summary or ""),
        ("Body", body_text(page)),
    ):
        truncated = len(text) > REVIEW_SCAN_LIMIT
        text = text[:REVIEW_SCAN_LIMIT]
        hints = personal_data_hints(text=text, author=author, anonymous=page.is_anonymous)
        parts.append(HintedPart(name=name, text=text, hints=hints, truncated=truncated))
    return parts


def hint_count(parts: Iterable[HintedPart]) -> int:
    """How many hints ``parts`` hold together."""
    return sum(len(part.hints) for part in parts)


# --- Who may see a page's hints in the admin ---


def reviewer_hints_page(
    *, user: "User | AbstractBaseUser | AnonymousUser", page_id: int
) -> ContentPage | None:
    """The newest version of content page ``page_id``, as an object, if ``user`` may review it.

    Superusers may see any content page; anyone else only a page waiting for
    their decision (``moderation.selectors.review_queue``: in their review
    group's step, not their own). Otherwise ``None``, for a page that does not
    exist as for one that is not theirs to review.
    """
    if not user.is_authenticated or not user.is_active or not 0 < page_id <= MAX_PAGE_ID:
        return None
    pages = Page.objects.filter(pk=page_id, pk__in=ContentPage.objects.values("pk"))
    if not user.is_superuser:
        in_queue = review_queue(user=user).filter(workflow_state__object_id=str(page_id))
        if not in_queue.exists():
            return None
    page = pages.first()
    if page is None:
        return None
    return page.specific.get_latest_revision_as_object()


def reviewer_hints_url(page_id: int) -> str:
    """The admin address of page ``page_id``'s personal-data hints, for the review queue's link."""
    return reverse("kindred_personal_data:page", args=[page_id])
