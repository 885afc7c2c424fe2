"""English stemming for search on SQLite: a second FTS5 table, stemmed by the porter tokenizer.

Wagtail's SQLite backend has no configuration for stemming: its FTS5 table
(``wagtailsearch_indexentry_fts``, made by wagtail.search's migrations) uses
the default unicode61 tokenizer, so "steroid" does not find "steroids". That
table also serves autocomplete, where stemming would be wrong (a typed "runn"
would become a stem that matches nothing, as PostgreSQL's backend avoids by
autocompleting with the 'simple' configuration). So rather than recreate it,
this adds ``kindred_search_stemmed_fts`` over the same index entries (an
external content table: the text stays in wagtailsearch_indexentry, only the stemmed
index is new), kept in step by triggers and filled here from what is already
indexed. ``search.hits`` matches searches against it. Nothing on other
databases, nor where FTS5 is missing (Wagtail's backend falls back there too).
"""

from django.db import migrations

TABLE = "kindred_search_stemmed_fts"
ENTRIES = "wagtailsearch_indexentry"
TRIGGERS = tuple(f"{TABLE}_{event}" for event in ("insert", "delete", "update"))

# The triggers give the external-content table exactly the values it indexed
# when a row goes ('delete' needs them); only title and body changes matter
# (modelsearch rewrites title_norm on many rows, which must not re-index them).
CREATE = [
    f"""CREATE VIRTUAL TABLE {TABLE} USING fts5(
        title, body,
        content='{ENTRIES}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {ENTRIES} BEGIN
        INSERT INTO {TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {ENTRIES} BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF title, body ON {ENTRIES} BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    # Index what is already there.
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [*(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS), f"DROP TABLE IF EXISTS {TABLE}"]


def _wagtail_fts_exists(schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        return f"{ENTRIES}_fts" in connection.introspection.table_names(cursor)


def create_stemmed_table(apps, schema_editor):
    if _wagtail_fts_exists(schema_editor):
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_stemmed_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("kindred_search", "0001_initial"),
        # The index entries' title and body columns and Wagtail's own FTS table.
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_stemmed_table, drop_stemmed_table)]
