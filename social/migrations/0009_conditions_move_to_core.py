"""The content models moved from ``portal`` to ``core`` (issue 11): state only.

The tables were renamed in place (``portal.0012_tables_move_to_core_and_moderation``)
and the database's foreign keys already point at them, so nothing changes in
the database.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('social', '0008_hidden_avatars_new_addresses'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='profile',
                    name='conditions',
                    field=models.ManyToManyField(blank=True, related_name='interested_profiles', to='core.condition', verbose_name='conditions of interest'),
                ),
            ],
        ),
    ]
