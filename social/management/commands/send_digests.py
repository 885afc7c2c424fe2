"""Queue (or, with --now, send) the daily notification digests.

Run once a day by cron, e.g. ``0 7 * * * /path/to/.venv/bin/python manage.py
send_digests``; the background worker (``manage.py db_worker --backend
background --queue-name '*'``) then sends them. Running it twice the same day
sends nothing more (see ``social.notifications.tasks.send_daily_digests``).
"""

from django.core.management.base import BaseCommand

from social.notifications.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Queue the daily notification digests for the background worker (--now: send here)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send in this process instead of queueing for the worker.",
        )

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_daily_digests.call()
            self.stdout.write(f"Sent {sent} digest email(s).")
            return
        result = send_daily_digests.enqueue()
        self.stdout.write(f"Queued the daily digests (task {result.id}).")
