"""Queue the failed emails again once their cause is fixed (see Reports › Email delivery)."""

from django.core.management.base import BaseCommand

from core.mail import email_retry
from core.models import OutboundEmail


class Command(BaseCommand):
    help = "Queue every failed email (or those with the given ids) for the worker again."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these emails (default: all).")

    def handle(self, *args, ids, **options):
        failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
        if ids:
            failed = failed.filter(pk__in=ids)
        queued = email_retry(outbound_ids=list(failed.values_list("pk", flat=True)))
        self.stdout.write(f"Queued {queued} failed email(s) again.")
