"""``ContentPage.listed_at``: ``first_published_at`` on the content table, indexed (issue 17).

"Newest first" listings order by it and walk ``content_listed_idx`` backwards,
stopping after a page, rather than sorting every item of a section. The model's
``save`` keeps it; a trigger on ``wagtailcore_page`` keeps it for writes that
update the page row alone (``ContentPage.objects.filter(...).update(
first_published_at=...)``, as the demo's backdating and some tests do).
Existing rows are filled from their page rows before the index is built.
"""

from django.conf import settings
from django.db import migrations, models

FILL = (
    "UPDATE core_contentpage SET listed_at = (SELECT p.first_published_at"
    " FROM wagtailcore_page p WHERE p.id = core_contentpage.page_ptr_id)"
)

SQLITE_TRIGGER = """
CREATE TRIGGER core_contentpage_listed_at
AFTER UPDATE OF first_published_at ON wagtailcore_page
FOR EACH ROW WHEN NEW.first_published_at IS NOT OLD.first_published_at
BEGIN
    UPDATE core_contentpage SET listed_at = NEW.first_published_at
    WHERE page_ptr_id = NEW.id;
END
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_contentpage_listed_at"

POSTGRES_TRIGGER = """
CREATE FUNCTION core_contentpage_listed_at() RETURNS trigger AS $$
BEGIN
    UPDATE core_contentpage SET listed_at = NEW.first_published_at
    WHERE page_ptr_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_contentpage_listed_at
AFTER UPDATE OF first_published_at ON wagtailcore_page
FOR EACH ROW WHEN (NEW.first_published_at IS DISTINCT FROM OLD.first_published_at)
EXECUTE FUNCTION core_contentpage_listed_at();
"""
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS core_contentpage_listed_at ON wagtailcore_page;"
    " DROP FUNCTION IF EXISTS core_contentpage_listed_at();"
)


def fill_and_keep(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(FILL)
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER)
    else:  # pragma: no cover - Kindred runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"No listed_at trigger for {vendor}")


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_content_may_be_shared"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contentpage",
            name="listed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_and_keep, drop_trigger, elidable=False),
        migrations.AddIndex(
            model_name="contentpage",
            index=models.Index(fields=["listed_at", "page_ptr"], name="content_listed_idx"),
        ),
    ]
