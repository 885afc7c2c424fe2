"""Queue the erasure of every account whose 7-day wait is over (cron: hourly, README)."""

from django.core.management.base import BaseCommand

from compliance.services.erasure import erasure_due_enqueue, erasure_receipts_scrub


class Command(BaseCommand):
    help = (
        "Queue the erasure of every account whose wait is over (the worker runs it), "
        "and scrub receipts the outbox has sent. Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        queued = erasure_due_enqueue()
        scrubbed = erasure_receipts_scrub()
        self.stdout.write(f"Erasures queued: {queued}. Receipts scrubbed: {scrubbed}.")
