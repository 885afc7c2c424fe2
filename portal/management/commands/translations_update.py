"""``manage.py translations_update``: catalogue every marked string and compile."""

from django.core.management import BaseCommand, call_command

from portal.translations import makemessages_options, translated_languages


class Command(BaseCommand):
    help = (
        "Add every marked string to each language's catalogue (locale/<code>/LC_MESSAGES/"
        "django.po), drop strings no longer used, and compile the catalogues. Then translate "
        'the new entries (msgstr "") and run it again.'
    )

    def handle(self, *args, **options):
        call_command("makemessages", **makemessages_options())
        call_command(
            "compilemessages", locale=translated_languages(), ignore_patterns=[".venv"], verbosity=0
        )
        self.stdout.write("Catalogues updated; `manage.py translations_check` lists what is left.")
