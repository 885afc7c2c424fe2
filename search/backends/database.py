"""Wagtail's database search backend, with each item's vectors in its own language.

``BACKEND: "search.backends.database"`` in ``WAGTAILSEARCH_BACKENDS``. On
PostgreSQL, ``LANGUAGE_CONFIGS`` maps a language code to the text search
configuration its items are indexed with ({"de": "german"}); other items use
``SEARCH_CONFIG`` as before, and autocomplete stays 'simple' (unstemmed) for
every language. On any other database this is Wagtail's database backend as it
is (SQLite has no German stemmer; see search/hits.py).

Changing an item's language re-indexes it with the new configuration: the
backend keeps AUTO_UPDATE, so the save that changes the locale rewrites the
item's index entry inside its transaction.
"""

import copy

from django.db import connection

from modelsearch.backends import database


def SearchBackend(params: dict):  # noqa: N802 - the name modelsearch looks up
    """The backend for the default database: Kindred's on PostgreSQL, Wagtail's elsewhere."""
    if connection.vendor == "postgresql":
        # Imported only here, as modelsearch's own dispatch does.
        from .postgres import LanguagePostgresSearchBackend

        return LanguagePostgresSearchBackend(params)
    return database.SearchBackend(params)


def backend_with_config(backend: object, config: str) -> object:
    """A shallow copy of ``backend`` that indexes with text search ``config``.

    modelsearch's indexer reads the configuration from the backend it is
    given; a copy per language keeps its whole insert (the vectors, the
    plain text, the title norms) as it is.
    """
    if backend.config == config:
        return backend
    language_backend = copy.copy(backend)
    language_backend.config = config
    return language_backend
