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
        ('core', '0001_initial'),
        ('experience_stories', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='experiencestorypage',
                    name='condition',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='stories', to='core.condition'),
                ),
                MoveParent(
                    name='experiencestorypage',
                    bases=('core.contentpage',),
                    field_name='contentpage_ptr',
                    field=models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='core.contentpage'),
                ),
            ],
        ),
    ]
