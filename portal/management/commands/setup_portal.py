from django.core.management.base import BaseCommand

from portal.setup import WORKFLOW_NAME, portal_setup


class Command(BaseCommand):
    help = "Create or correct the site, page tree, groups and review workflow (safe to re-run)."

    def handle(self, *args, **options):
        home, sections = portal_setup()
        self.stdout.write(
            self.style.SUCCESS(
                f"Kindred is set up: home “{home.title}”, sections "
                f"{', '.join(section.title for section in sections.values())}, "
                f"workflow “{WORKFLOW_NAME}”."
            )
        )
