"""``ContentPage.rating_score`` and ``rating_count``, with ``content_top_idx`` (issue 17).

The rating summary's score and count on the content table, so "Top rated"
listings walk one index and stop after a page. Filled and kept by the
database: ratings/migrations/0004_top_rated_on_the_content_table.py.

The columns are added with ``ALTER TABLE … ADD COLUMN`` on every database.
Django's SQLite editor would otherwise rebuild the whole table for a NOT NULL
column (copy, drop, rename), which SQLite refuses here: the ``listed_at``
trigger on ``wagtailcore_page`` (0005) names this table. The column's
database default (``db_default``) stays, so rows inserted without the
columns (raw SQL) get the prior and no votes.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

COLUMNS = ("rating_score", "rating_count")


def add_columns(apps, schema_editor):
    model = apps.get_model("core", "ContentPage")
    for name in COLUMNS:
        # The base editor's ALTER TABLE ADD COLUMN, not SQLite's table rebuild.
        BaseDatabaseSchemaEditor.add_field(schema_editor, model, model._meta.get_field(name))


def remove_columns(apps, schema_editor):
    model = apps.get_model("core", "ContentPage")
    for name in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)}"
            f" DROP COLUMN {schema_editor.quote_name(name)}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_listed_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="contentpage",
                    name="rating_count",
                    field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
                ),
                migrations.AddField(
                    model_name="contentpage",
                    name="rating_score",
                    field=models.DecimalField(
                        db_default=Decimal("3.0"),
                        decimal_places=4,
                        default=Decimal("3.0"),
                        editable=False,
                        max_digits=6,
                    ),
                ),
            ],
        ),
        # With the fields in the state above, so the editor can read them.
        migrations.RunPython(add_columns, remove_columns),
        migrations.AddIndex(
            model_name="contentpage",
            index=models.Index(
                fields=["rating_score", "rating_count", "listed_at", "page_ptr"],
                name="content_top_idx",
            ),
        ),
    ]
