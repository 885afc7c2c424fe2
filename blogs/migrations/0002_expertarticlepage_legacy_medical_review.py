"""Step 1 of moving the medical-review record from expert articles to ContentPage.

A child model may not have a field with the same name as its parent's, so the
expert article's columns step aside first; portal 0003 adds the shared ones and
blogs 0003 copies the values across and drops these.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blogs", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="expertarticlepage",
            old_name="medically_reviewed_at",
            new_name="legacy_medically_reviewed_at",
        ),
        migrations.RenameField(
            model_name="expertarticlepage",
            old_name="medically_reviewed_by",
            new_name="legacy_medically_reviewed_by",
        ),
    ]
