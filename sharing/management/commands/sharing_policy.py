"""``manage.py sharing_policy export|import``: the sharing policy as a file (issue 14).

``export`` writes the policy (the site's default and every rule) as JSON or
YAML; ``import`` checks a file, lists what it would change, and changes
something only with ``--apply``, logged in the admin's history under the
user given. See ``sharing.policy_file``.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from core.refusals import Refused
from sharing.policy_file import (
    ADD,
    CHANGE,
    FORMATS,
    JSON,
    MAX_FILE_BYTES,
    REMOVE,
    YAML,
    PolicyFileError,
    parse_policy,
    policy_apply,
    policy_changes,
    policy_document,
    policy_importer_check,
    policy_text,
)

YAML_SUFFIXES = (".yaml", ".yml")
WOULD = {ADD: "Would add", CHANGE: "Would change", REMOVE: "Would remove"}
DID = {ADD: "Added", CHANGE: "Changed", REMOVE: "Removed"}


class Command(BaseCommand):
    help = (
        "Export the sharing policy to a JSON or YAML file, or import one: show what it would "
        "change, and apply it with --apply (logged in the admin's history as --user)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = actions.add_parser("export", help="Write the whole policy (stdout by default).")
        export.add_argument("--output", "-o", help="The file to write (default: stdout).")
        imported = actions.add_parser(
            "import", help="Check a policy file and show what it changes; --apply applies it."
        )
        imported.add_argument("file", help="The policy file (.json, .yaml or .yml).")
        imported.add_argument(
            "--user",
            required=True,
            help="Who makes the change, as the admin's history will show: an active "
            "superuser or someone holding sharing.change_sharingrule.",
        )
        imported.add_argument(
            "--apply", action="store_true", help="Apply the changes (without it: a dry run)."
        )
        for subparser in (export, imported):
            subparser.add_argument(
                "--format",
                choices=FORMATS,
                help="json or yaml (default: from the file's extension, else json).",
            )
            subparser.add_argument(
                "--site",
                help="The site whose default is exported or set, by hostname "
                "(default: the default site). Rules apply to every site.",
            )

    def handle(self, *args, action, **options):
        site = _site(options["site"])
        try:
            if action == "export":
                self.export(site=site, output=options["output"], format=options["format"])
            else:
                self.import_(
                    site=site,
                    path=options["file"],
                    username=options["user"],
                    apply=options["apply"],
                    format=options["format"],
                )
        except Refused as refusal:
            raise CommandError(refusal.message) from None

    def export(self, *, site: Site, output: str | None, format: str | None) -> None:
        format = format or _format_of(output)
        document = policy_document(site=site)
        text = policy_text(document, format=format)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        rules = len(document["rules"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the sharing policy of {site.hostname} (the default and {rules} "
                f"rule{'s' if rules != 1 else ''}) to {output}."
            )
        )

    def import_(
        self, *, site: Site, path: str, username: str, apply: bool, format: str | None
    ) -> None:
        user = _user(username)
        policy_importer_check(user=user)
        format = format or _format_of(path)
        try:
            with open(path, "rb") as file:
                # One byte past the limit is enough to know the file is too big.
                text = file.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            parsed = parse_policy(text, format=format)
        except PolicyFileError as error:
            if format == JSON and Path(path).suffix.lower() != ".json":
                error.message += (
                    "\n(Read as JSON; for YAML, name the file .yaml or add --format yaml.)"
                )
            raise
        if not apply:
            changes = policy_changes(parsed=parsed, site=site)
            for change in changes:
                self.stdout.write(f"{_verb(change, WOULD)}: {change.describe()}")
            if not changes:
                self.stdout.write("No changes.")
            else:
                self.stdout.write(
                    f"Nothing was changed (a dry run). Add --apply to make these {len(changes)} "
                    f"change{'s' if len(changes) != 1 else ''}."
                )
            return
        changes = policy_apply(parsed=parsed, site=site, user=user)
        for change in changes:
            self.stdout.write(f"{_verb(change, DID)}: {change.describe()}")
        if not changes:
            self.stdout.write("No changes.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied {len(changes)} change{'s' if len(changes) != 1 else ''} as "
                f"{user.get_username()}; each is in the admin's history (Reports › Site history)."
            )
        )


def _verb(change, verbs: dict[str, str]) -> str:
    # A changed default reads as a change.
    return verbs.get(change.kind, verbs[CHANGE])


def _format_of(path: str | None) -> str:
    return YAML if path and Path(path).suffix.lower() in YAML_SUFFIXES else JSON


def _site(hostname: str | None) -> Site:
    if hostname is None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError(
                "There is no default site; run setup_portal or name one with --site."
            )
        return site
    sites = list(Site.objects.filter(hostname=hostname))
    if len(sites) != 1:
        known = ", ".join(sorted(f"{site.hostname}:{site.port}" for site in Site.objects.all()))
        problem = "No site has" if not sites else f"{len(sites)} sites have"
        raise CommandError(f"{problem} the hostname “{hostname}” (the sites: {known}).")
    return sites[0]


def _user(username: str):
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user has the username “{username}”.") from None
