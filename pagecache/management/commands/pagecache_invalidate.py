"""Make every visitor's stored page be rendered afresh (after a deploy that changed templates or
code: the stored pages depend on those too, and no model signal says so)."""

from django.core.management.base import BaseCommand

from pagecache import ALL, invalidate


class Command(BaseCommand):
    help = "Invalidate every page in the visitors' page cache (run after each deploy)."

    def handle(self, *args, **options):
        invalidate(ALL)
        self.stdout.write("Every stored page will be rendered again on its next visit.")
