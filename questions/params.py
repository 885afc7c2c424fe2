"""The question listing's filters, parsed once from the request into a frozen value.

Anything malformed (a list where a word belongs, unknown values, control
characters, huge strings) falls back to the default: the listing never
answers an error for its query string.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from core.languages import content_language

STATUS_ALL = "all"
STATUS_UNANSWERED = "unanswered"
STATUS_ANSWERED = "answered"
STATUS_ACCEPTED = "accepted"
STATUSES = {
    STATUS_ALL: gettext_lazy("All"),
    STATUS_UNANSWERED: gettext_lazy("Unanswered"),
    STATUS_ANSWERED: gettext_lazy("Answered"),
    STATUS_ACCEPTED: gettext_lazy("Accepted answer"),
}

SORT_NEWEST = "newest"
SORT_HELPFUL = "helpful"
SORTS = {SORT_NEWEST: gettext_lazy("Newest"), SORT_HELPFUL: gettext_lazy("Most helpful")}

_SLUG = re.compile(r"[-\w]{1,100}")
_PAGE = re.compile(r"[0-9]{1,6}")


def _single(data: Any, key: str) -> str:
    """The one value of ``key`` in ``data`` (a QueryDict or a dict), or ""."""
    if data is None:
        return ""
    getter = getattr(data, "getlist", None)
    values = getter(key) if getter is not None else [data.get(key)]
    if len(values) != 1 or not isinstance(values[0], str):
        return ""
    return values[0]


def _slug(value: str) -> str:
    return value if _SLUG.fullmatch(value) else ""


@dataclass(frozen=True)
class QuestionListParams:
    """What the reader asked the question listing for (``/questions/?status=...``)."""

    status: str = STATUS_ALL
    condition: str = ""
    community: str = ""
    sort: str = SORT_NEWEST
    page: int = 1
    # The questions' language (issue 18): a ``core.languages.content_language``, "" for all.
    language: str = ""

    @classmethod
    def from_query(cls, data: Any) -> "QuestionListParams":
        """Parse ``data`` (``request.GET``); bad values become the defaults."""
        status = _single(data, "status")
        sort = _single(data, "sort")
        page = _single(data, "page")
        return cls(
            status=status if status in STATUSES else STATUS_ALL,
            condition=_slug(_single(data, "condition")),
            community=_slug(_single(data, "community")),
            sort=sort if sort in SORTS else SORT_NEWEST,
            page=max(int(page), 1) if _PAGE.fullmatch(page) else 1,
            # An unknown language lists every language, as the other listings do.
            language=content_language(_single(data, "lang")),
        )

    def query(self, **changes: Any) -> dict[str, str]:
        """The query string values for these params with ``changes``, defaults left out."""
        values = {
            "status": self.status,
            "condition": self.condition,
            "community": self.community,
            "sort": self.sort,
            "lang": self.language,
        }
        values.update(changes)
        defaults = {"status": STATUS_ALL, "sort": SORT_NEWEST, "page": 1}
        return {
            key: str(value) for key, value in values.items() if value and value != defaults.get(key)
        }

    @property
    def filter_count(self) -> int:
        return sum(1 for value in (self.condition, self.community) if value) + (
            self.status != STATUS_ALL
        )
