import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from tqdm import tqdm

from portal.demo import community_content
from portal.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_seed

DISCARD_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Create demo accounts and multiple-sclerosis themed demo content in every review "
        "state (safe to re-run). --items N also publishes N synthetic items for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-emails",
            action="store_true",
            help="Send the review notification emails the demo workflow triggers "
            "(by default they are discarded so the console stays readable).",
        )
        parser.add_argument(
            "--items",
            type=int,
            default=0,
            help="How many synthetic published items to add (default 0).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes computing the synthetic items' rows while this one writes them "
            "(default: one per core; 0: none).",
        )

    def handle(self, *args, items, send_emails, workers, **options):
        if items < 0:
            raise CommandError("--items must be zero or more.")
        if workers is None:
            workers = os.cpu_count() or 1
        elif workers < 0:
            raise CommandError("--workers must be zero or more.")
        started = time.monotonic()
        email_backend = settings.EMAIL_BACKEND if send_emails else DISCARD_EMAIL_BACKEND
        with (
            override_settings(EMAIL_BACKEND=email_backend),
            tqdm(total=items, unit="item", disable=not items, file=self.stderr) as bar,
        ):
            _accounts, created = demo_seed(items=items, progress=bar.update, workers=workers)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {state}" for state, count in created.items()) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo content: {summary}."))
        if items:
            self.stdout.write(
                f"Synthetic items: {items} in {elapsed:.1f} s ({items / elapsed:.0f} items/s)."
            )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<8} {account.role}")
        self.stdout.write('Demo communities (/communities/; README, "Communities"):')
        for spec in community_content.COMMUNITIES:
            people = ", ".join(
                f"{username} ({state if state != 'active' else role})"
                for slug, username, state, role in community_content.MEMBERSHIPS
                if slug == spec["slug"]
            )
            listed = "listed" if spec["is_listed"] else "unlisted"
            self.stdout.write(f"  {spec['title']:<18} {spec['join_policy']}, {listed}: {people}")
        self.stdout.write(
            "Ask an expert: members ask at /questions/ask/; expert (a verified clinician) "
            'answers at /experts/questions/; editor and medic review (README, "Ask an expert").'
        )
        self.stdout.write(
            "Sharing: expert articles and three blog posts show Share buttons; manager sets the "
            'policy under Settings and Snippets and reads Reports › Shares (README, "Sharing").'
        )
        self.stdout.write(
            "Safety: safety (Pharmacovigilance) works the Safety inbox, one case overdue; "
            'editor handles a comment held for a crisis under Crisis signals (README, "Safety").'
        )
