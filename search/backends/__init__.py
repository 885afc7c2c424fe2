"""Search backends that analyse each item in its own language (issue 18).

Items are written in English or German (``Page.locale``). Wagtail's backends
analyse every item with one configuration, English here, so a German
"Therapien" never found a German item's "Therapie". These subclasses keep
Wagtail's backends and change only how an item's text is analysed and how a
query reaches it:

- ``search.backends.database``: on PostgreSQL each item's title and body
  vectors are built with its language's text search configuration
  (``LANGUAGE_CONFIGS``, 'german' for German items; ``SEARCH_CONFIG`` for the
  rest); ``search.hits`` matches a query in each configuration. SQLite (FTS5)
  has no German stemmer: there ``search.hits`` also matches German items by
  the words' German stems as prefixes.
- ``search.backends.engine``: German items' text is also indexed in fields
  analysed by the engine's ``german`` analyzer, queried alongside the English
  ones.

What an item's language is: its locale's code (``core.languages.language_of``),
read here from ``locale_id`` with one query per batch of items indexed, never
one per item.
"""

from django.db.models import Model

from wagtail.models import Locale


def locale_codes() -> dict[int, str]:
    """Locale id -> language code, for every locale (a handful of rows)."""
    return dict(Locale.objects.values_list("pk", "language_code"))


def item_language(obj: Model, codes: dict[int, str]) -> str:
    """The language ``obj`` is written in ("de"), or "" for an object without a locale.

    Images, documents and other indexed models have no locale: they are
    analysed as they always were.
    """
    return codes.get(getattr(obj, "locale_id", None), "")
