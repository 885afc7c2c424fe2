"""A Wagtail locale for every content language (issue 18): German beside English.

Wagtail's own migration made the default language's locale; items in German
need theirs. ``setup_portal`` ensures the same for a language added later
(README, "Adding a third language").
"""

from django.conf import settings
from django.db import migrations


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_tag_rows_listed_at"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    # Kept on the way back: pages may already be in them (Locale is PROTECTed).
    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]
