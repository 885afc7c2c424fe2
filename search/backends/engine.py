"""Wagtail's engine backends (Elasticsearch/OpenSearch), with German items also analysed in German.

``BACKEND: "search.backends.engine"`` with ``ENGINE`` naming Wagtail's backend
module (e.g. "wagtail.search.backends.elasticsearch9"). The index keeps
Wagtail's fields, analysed by the index's default analyzer (English); a German
item's searchable text is also copied into ``_german_all_text`` (and
``_german_all_text_boost_<n>`` for boosted fields such as the title), analysed
by the ``german`` analyzer (search/engine's KindredModule), so "Therapien"
finds "Therapie". English items leave those fields empty: they are never
stemmed in German. Searches (``Fuzzy``, ``PlainText``) ask the German fields
alongside the English ones with the same boosts; autocomplete (edge n-grams)
is the same for every language. The new fields need the index rebuilt once:
``manage.py update_index``.

The language filter (``search.hits``) uses Wagtail's own indexed ``locale``
FilterField (``Page.search_fields``).
"""

from functools import cache

from modelsearch.backends import import_backend
from modelsearch.backends.elasticsearchbase import Field
from modelsearch.index import RelatedFields, SearchField

from . import item_language, locale_codes

# The languages whose items get the German fields, and those fields' prefix.
GERMAN_LANGUAGES = frozenset({"de"})
GERMAN_PREFIX = "_german"
GERMAN_ANALYZER = "german"


def german_field_name(name: str) -> str:
    """The German twin of Wagtail's catch-all field ``name`` ("_all_text" -> "_german_all_text")."""
    return GERMAN_PREFIX + name


def _texts(value: object) -> list[str]:
    """``value`` (a field's indexed value: text, a list of texts, None) as a list of texts."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    return [str(value)]


class GermanMappingMixin:
    """A mapping whose German items' text is also indexed in German-analysed fields."""

    def get_mapping(self):
        mapping = super().get_mapping()
        properties = mapping["properties"]
        for name in [name for name in properties if name.startswith("_all_text")]:
            properties[german_field_name(name)] = {"type": "text", "analyzer": GERMAN_ANALYZER}
        return mapping

    def _language(self, obj) -> str:
        # One query per mapping (a batch of items indexed), not per item.
        codes = getattr(self, "_locale_codes", None)
        if codes is None:
            codes = self._locale_codes = locale_codes()
        return item_language(obj, codes)

    def get_document(self, obj):
        document = super().get_document(obj)
        if self._language(obj) in GERMAN_LANGUAGES:
            for name, texts in self._catch_all_texts(
                self.model, self.model.get_search_fields(), document
            ):
                document.setdefault(german_field_name(name), []).extend(texts)
        return document

    def _catch_all_texts(self, model, fields, document):
        """(catch-all field name, texts) for what Wagtail's mapping copies to ``_all_text*``.

        The same values ``get_mapping``'s ``copy_to`` sends: every SearchField,
        nested ones (tags) included, to ``_all_text`` and, when boosted, to its
        boost field.
        """
        mapping = type(self)(model)
        for field in fields:
            if isinstance(field, RelatedFields):
                nested = document.get(mapping.get_field_column_name(field))
                nested_model = field.get_field(model).related_model
                for nested_document in nested if isinstance(nested, list) else [nested]:
                    if nested_document:
                        yield from self._catch_all_texts(
                            nested_model, field.fields, nested_document
                        )
            elif isinstance(field, SearchField):
                texts = _texts(document.get(mapping.get_field_column_name(field)))
                if not texts:
                    continue
                yield "_all_text", texts
                if field.boost:
                    yield self.get_boost_field_name(field.boost), texts


class GermanQueryMixin:
    """A search compiler that asks the German fields alongside Wagtail's catch-all fields."""

    def _remap_fields(self, fields):
        remapped = super()._remap_fields(fields)
        if fields:
            # Named fields are searched as Wagtail searches them.
            return remapped
        return [
            *remapped,
            *(Field(german_field_name(field.field_name), field.boost) for field in remapped),
        ]


@cache
def language_backend_class(engine: str) -> type:
    """Wagtail's backend class in module ``engine``, with the German mapping and query."""
    base = import_backend(engine)
    mapping = type(
        f"German{base.mapping_class.__name__}", (GermanMappingMixin, base.mapping_class), {}
    )
    compiler = type(
        f"German{base.query_compiler_class.__name__}",
        (GermanQueryMixin, base.query_compiler_class),
        {"mapping_class": mapping},
    )
    autocomplete = type(
        f"German{base.autocomplete_query_compiler_class.__name__}",
        (base.autocomplete_query_compiler_class,),
        {"mapping_class": mapping},
    )
    return type(
        f"German{base.__name__}",
        (base,),
        {
            "mapping_class": mapping,
            "query_compiler_class": compiler,
            "autocomplete_query_compiler_class": autocomplete,
        },
    )


def SearchBackend(params: dict):  # noqa: N802 - the name modelsearch looks up
    """The backend ``params["ENGINE"]`` names, German-aware."""
    params = dict(params)
    return language_backend_class(params.pop("ENGINE"))(params)
