"""Delete what is older than its retention period (cron: daily, README; issue 16).

The periods are Settings › Retention (``audit.models.RetentionSettings``); the work
is ``compliance.services.retention.retention_enforce``. Safe to run again: a second
run deletes nothing new. Members' exports past their 24 hours are expired too,
when the export (``compliance.services.exports.exports_expire``) is installed.
"""

from django.core.management.base import BaseCommand, CommandError

from compliance.services.retention import BATCH_SIZE, retention_enforce

LABELS = {
    "access_log": "Access log records",
    "search_query_log": "Search query log rows",
    "share_log": "Share log rows",
    "finished_tasks": "Finished background tasks",
    "sent_emails": "Sent emails",
    "exports_expired": "Members' exports expired",
}


class Command(BaseCommand):
    help = (
        "Delete access logs, query logs, share logs, finished tasks and sent emails older "
        "than their retention periods (Settings › Retention), in batches. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Rows deleted per statement (default {BATCH_SIZE}).",
        )

    def handle(self, *args, batch_size: int, **options):
        if not 1 <= batch_size <= 100_000:
            raise CommandError("--batch-size must be between 1 and 100000.")
        outcome = retention_enforce(batch_size=batch_size)
        for name, count in outcome.counts.items():
            self.stdout.write(f"{LABELS.get(name, name)} removed: {count}")
        self.stdout.write(f"Total removed: {outcome.total}")
