"""The content models moved from ``portal`` to ``core`` (issue 11): state only.

The tables were renamed in place (``portal.0012_tables_move_to_core_and_moderation``)
and the database's foreign keys already point at them, so nothing changes in
the database.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_operations import MoveParent


class Migration(migrations.Migration):

    dependencies = [
        ('blogs', '0003_move_medical_review_to_contentpage'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                MoveParent(
                    name='blogpage',
                    bases=('core.contentpage',),
                    field_name='contentpage_ptr',
                    field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='core.contentpage'),
                ),
                MoveParent(
                    name='expertarticlepage',
                    bases=('core.contentpage', models.Model),
                    field_name='contentpage_ptr',
                    field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='core.contentpage'),
                ),
            ],
        ),
    ]
