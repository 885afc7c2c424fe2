"""``ContentPageTag.listed_at``: the item's date on its tag rows, indexed (issue 17).

A tag's page walks ``content_tag_listed_idx`` (the tag's rows, newest first)
and stops after a page, instead of reading every row of the tag and sorting
them (19,000 for a common tag at 100,000 items; a walk of the newest items
instead would read all of them for a tag on one item). The database keeps the
copy, so no writer needs code of its own:

- a tag row takes its item's ``listed_at`` when inserted (modelcluster's
  commit, taggit, the bulk seeder's ``bulk_create``) or saved with another
  value (a published revision's tag rows carry the date their draft saw);
- a move of the item's ``listed_at`` (``ContentPage.save``, and the trigger of
  0005 for ``.update()`` of the page row) moves its tag rows.

Existing rows are filled first. (SQLite drops a table's triggers when Django
rebuilds it: a later migration that alters these tables on SQLite must run
``keep`` again; tests/core/test_tag_listing.py fails if they are gone.)
"""

from django.db import migrations, models

FILL = (
    "UPDATE core_contentpagetag SET listed_at = (SELECT c.listed_at FROM core_contentpage c"
    " WHERE c.page_ptr_id = core_contentpagetag.content_object_id)"
)

SQLITE = [
    """
CREATE TRIGGER core_tag_row_insert_listed_at
AFTER INSERT ON core_contentpagetag
FOR EACH ROW WHEN NEW.listed_at IS NOT
    (SELECT c.listed_at FROM core_contentpage c WHERE c.page_ptr_id = NEW.content_object_id)
BEGIN
    UPDATE core_contentpagetag SET listed_at =
        (SELECT c.listed_at FROM core_contentpage c WHERE c.page_ptr_id = NEW.content_object_id)
    WHERE id = NEW.id;
END
""",
    """
CREATE TRIGGER core_tag_row_update_listed_at
AFTER UPDATE OF listed_at, content_object_id ON core_contentpagetag
FOR EACH ROW WHEN NEW.listed_at IS NOT
    (SELECT c.listed_at FROM core_contentpage c WHERE c.page_ptr_id = NEW.content_object_id)
BEGIN
    UPDATE core_contentpagetag SET listed_at =
        (SELECT c.listed_at FROM core_contentpage c WHERE c.page_ptr_id = NEW.content_object_id)
    WHERE id = NEW.id;
END
""",
    """
CREATE TRIGGER core_content_listed_at_to_tag_rows
AFTER UPDATE OF listed_at ON core_contentpage
FOR EACH ROW WHEN NEW.listed_at IS NOT OLD.listed_at
BEGIN
    UPDATE core_contentpagetag SET listed_at = NEW.listed_at
    WHERE content_object_id = NEW.page_ptr_id;
END
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_tag_row_insert_listed_at",
    "DROP TRIGGER IF EXISTS core_tag_row_update_listed_at",
    "DROP TRIGGER IF EXISTS core_content_listed_at_to_tag_rows",
]

POSTGRES = [
    """
CREATE FUNCTION core_tag_row_listed_at() RETURNS trigger AS $$
BEGIN
    NEW.listed_at := (SELECT c.listed_at FROM core_contentpage c
                      WHERE c.page_ptr_id = NEW.content_object_id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER core_tag_row_listed_at
BEFORE INSERT OR UPDATE OF listed_at, content_object_id ON core_contentpagetag
FOR EACH ROW EXECUTE FUNCTION core_tag_row_listed_at()
""",
    """
CREATE FUNCTION core_content_listed_at_to_tag_rows() RETURNS trigger AS $$
BEGIN
    UPDATE core_contentpagetag SET listed_at = NEW.listed_at
    WHERE content_object_id = NEW.page_ptr_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER core_content_listed_at_to_tag_rows
AFTER UPDATE OF listed_at ON core_contentpage
FOR EACH ROW WHEN (NEW.listed_at IS DISTINCT FROM OLD.listed_at)
EXECUTE FUNCTION core_content_listed_at_to_tag_rows()
""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_tag_row_listed_at ON core_contentpagetag",
    "DROP FUNCTION IF EXISTS core_tag_row_listed_at()",
    "DROP TRIGGER IF EXISTS core_content_listed_at_to_tag_rows ON core_contentpage",
    "DROP FUNCTION IF EXISTS core_content_listed_at_to_tag_rows()",
]


def keep(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE
    elif vendor == "postgresql":
        statements = POSTGRES
    else:  # pragma: no cover - Kindred runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"No tag-row triggers for {vendor}")
    schema_editor.execute(FILL)
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_top_rated_columns"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentpagetag",
            name="listed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="contentpagetag",
            index=models.Index(
                fields=["tag", "listed_at", "content_object"], name="content_tag_listed_idx"
            ),
        ),
        migrations.RunPython(keep, drop),
    ]
