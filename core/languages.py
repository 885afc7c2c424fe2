"""The languages content is written in (issue 18): Wagtail's locales, one per language.

Every item carries its language as ``Page.locale`` in the one page tree: a
member writes a post once, in one language, and readers may list and search
by it (``?lang=de``). The interface language (``core.i18n``, Django's
``LocaleMiddleware``) is separate: a German reader may read English items, and
each item's markup says which language it is in (``lang``), so screen readers
pronounce it right.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

# ``?lang=`` values longer than this are not language codes (BCP 47 tags in use are
# short; the longest Django knows is 7 characters).
MAX_CODE_LENGTH = 16


def content_languages() -> dict[str, str]:
    """Code -> the language's name in itself, in settings order ("en-gb": "English", "de": …)."""
    return dict(settings.WAGTAIL_CONTENT_LANGUAGES)


def content_language(value: object) -> str:
    """``value`` (request input such as ``?lang=de``) as a content language's code, or "".

    Regional and differently written variants find their language ("DE",
    "de-AT" -> "de"; "en" -> "en-gb"); anything else (unknown, oversized, not
    a string) is "", which means every language.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_CODE_LENGTH:
        return ""
    try:
        code = get_supported_content_language_variant(value.strip().lower())
    except LookupError:
        return ""
    return code if code in content_languages() else ""


def language_condition(code: str, *, prefix: str = "") -> Q:
    """Pages written in ``code`` (a ``content_language``); every page for ""."""
    if not code:
        return Q()
    return Q(**{f"{prefix}locale__language_code": code})


def language_of(page) -> str:
    """The language ``page`` is written in, as its locale's code ("de").

    Listings and routing fetch the locale with the page (``select_related``),
    so this costs no query there.
    """
    return page.locale.language_code


def default_content_language() -> str:
    """The site's default content language's code ("en-gb"): its own pages are written in it."""
    return content_language(settings.LANGUAGE_CODE)


def writer_language() -> str:
    """The content language a new item starts in: the active interface language's, else
    the site's default (a writer reading in German most likely writes in German)."""
    return content_language(translation.get_language() or "") or default_content_language()


def locales_ensure() -> list[Locale]:
    """A locale for every content language (``setup_portal``; a language added later)."""
    return [Locale.objects.get_or_create(language_code=code)[0] for code in content_languages()]


@dataclass(frozen=True)
class LanguageOption:
    """One link of a listing's language filter: "All languages", "English", "Deutsch"."""

    code: str  # "" for every language
    label: str
    query_string: str  # the link's own ("?lang=de&tag=x", or ""), the listing's choices kept
    active: bool


def language_options(*, active: str, keep: Mapping[str, str] | None = None) -> list[LanguageOption]:
    """The language filter's links for a listing showing ``active`` ("" for all).

    ``keep`` holds the listing's other choices, already validated (a tag, an
    order), carried into each link; request input is never echoed as it came.
    A page number or position is left out: a filtered list starts over.
    """
    kept = {key: value for key, value in (keep or {}).items() if value}
    options = [("", gettext("All languages")), *content_languages().items()]
    return [
        LanguageOption(
            code=code,
            label=label,
            query_string=_query_string({**kept, **({"lang": code} if code else {})}),
            active=code == active,
        )
        for code, label in options
    ]


def _query_string(params: Mapping[str, str]) -> str:
    return "?" + urlencode(params) if params else ""
