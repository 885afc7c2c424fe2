"""The topics a member follows are private unless they choose to show them (issue 10, finding 15).

Adding the field with its default turns them private for every existing
member too: nobody chose to show them, they were simply shown.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0006_profile_handles_backfill_and_renew"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="show_followed_topics",
            field=models.BooleanField(default=False, verbose_name="show the topics I follow"),
        ),
    ]
