"""``manage.py translations_check`` (``make lint``): every marked string translated, nothing stale.

It runs ``makemessages``'s extraction (so it sees exactly what ``translations_update``
would), but instead of merging the result into the catalogues it compares: a string
marked in the code and missing from a catalogue, an entry untranslated or fuzzy, an
entry nothing uses any more, or a compiled ``.mo`` that does not hold the ``.po``'s
translations, each fails the check with the entry and where it comes from.
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from django.core.management.commands import makemessages

import polib

from portal.translations import DOMAIN, makemessages_options


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _where(entry: polib.POEntry) -> str:
    return entry.occurrences[0][0] if entry.occurrences else "?"


class Extract(makemessages.Command):
    """``makemessages`` that compares each catalogue with the extracted strings, writing nothing."""

    problems: list[str]

    def write_po_file(self, potfile, locale):
        source = {_key(entry): entry for entry in polib.pofile(potfile) if entry.msgid}
        po_path = Path(potfile).parent / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po_path.exists():
            self.problems.append(f"{locale}: no catalogue at {po_path} (make translations)")
            return
        catalogue = polib.pofile(str(po_path))
        entries = {_key(entry): entry for entry in catalogue if not entry.obsolete}
        for key, entry in source.items():
            if key not in entries:
                self.problems.append(f"{locale}: missing {entry.msgid!r} ({_where(entry)})")
        for key, entry in entries.items():
            if key not in source:
                self.problems.append(f"{locale}: no longer used {entry.msgid!r}")
            elif "fuzzy" in entry.flags:
                self.problems.append(f"{locale}: fuzzy {entry.msgid!r} ({_where(entry)})")
            elif not entry.translated():
                self.problems.append(f"{locale}: untranslated {entry.msgid!r} ({_where(entry)})")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            self.problems.append(f"{locale}: not compiled ({mo_path}; make translations)")
            return
        compiled = {_key(entry): entry for entry in polib.mofile(str(mo_path))}
        for key, entry in entries.items():
            if not entry.translated() or "fuzzy" in entry.flags:
                continue
            found = compiled.get(key)
            same = found is not None and (
                found.msgstr == entry.msgstr
                if not entry.msgid_plural
                else {int(k): v for k, v in found.msgstr_plural.items()}
                == {int(k): v for k, v in entry.msgstr_plural.items()}
            )
            if not same:
                self.problems.append(f"{locale}: {mo_path.name} is stale at {entry.msgid!r}")
                break


class Command(BaseCommand):
    help = "Fail on a marked string missing, untranslated, fuzzy or obsolete in a catalogue."

    def handle(self, *args, **options):
        extract = Extract(stdout=self.stdout, stderr=self.stderr)
        extract.problems = []
        call_command(extract, **makemessages_options())
        if extract.problems:
            raise CommandError(
                f"{len(extract.problems)} translation problem(s); translate them in "
                "locale/<code>/LC_MESSAGES/django.po and run `make translations`:\n  "
                + "\n  ".join(extract.problems[:200])
            )
        self.stdout.write("Every marked string is translated and compiled.")
