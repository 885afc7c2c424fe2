"""The content models moved from ``portal`` to ``core`` (issue 11): state only.

The tables were renamed in place (``portal.0012_tables_move_to_core_and_moderation``)
and the database's foreign keys already point at them, so nothing changes in
the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('ratings', '0002_visitor_limits_and_rater_browsers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='rating',
                    name='page',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='core.contentpage'),
                ),
                migrations.AlterField(
                    model_name='ratingsummary',
                    name='page',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='rating_summary', serialize=False, to='core.contentpage'),
                ),
            ],
        ),
    ]
