"""PostgreSQL full text with each item's title and body vectors in its own language.

See search/backends/database.py; ``search.hits._postgres_ids`` queries these
vectors with a tsquery in each language's configuration.
"""

from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend

from . import item_language, locale_codes
from .database import backend_with_config


class LanguagePostgresIndex(PostgresIndex):
    """Writes each item's vectors with its language's configuration."""

    def add_items(self, model, objs):
        """modelsearch's insert, once per configuration among ``objs`` (usually one)."""
        objs = list(objs)
        if not self.backend.language_configs or not any(hasattr(o, "locale_id") for o in objs):
            # One configuration for all (images, documents): no locale to read.
            return super().add_items(model, objs)
        codes = locale_codes()
        groups: dict[str, list] = {}
        for obj in objs:
            config = self.backend.config_for(item_language(obj, codes))
            groups.setdefault(config, []).append(obj)
        for config, group in groups.items():
            language_index = PostgresIndex(backend_with_config(self.backend, config))
            # Each insert ends by recomputing the title norms (two scans of the index
            # table): once for the whole call, through this index, as before, so a
            # caller that defers it (the demo's bulk seeder) still can.
            language_index._refresh_title_norms = lambda full=False: None
            language_index.add_items(model, group)
        self._refresh_title_norms()


class LanguagePostgresSearchBackend(PostgresSearchBackend):
    """modelsearch's PostgreSQL backend with ``LANGUAGE_CONFIGS`` (code -> configuration)."""

    index_class = LanguagePostgresIndex

    def __init__(self, params: dict):
        super().__init__(params)
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS", {}))

    def config_for(self, language: str) -> str | None:
        """The configuration items in ``language`` are indexed and searched with."""
        return self.language_configs.get(language, self.config)

    def search_configs(self, language: str = "") -> list[str | None]:
        """The configurations a search in ``language`` ("" every language) matches with.

        Each item's vectors are in one configuration, so a search in every
        language asks each configuration in use (English first).
        """
        if language:
            return [self.config_for(language)]
        return list(dict.fromkeys([self.config, *self.language_configs.values()]))
