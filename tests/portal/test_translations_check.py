"""`manage.py translations_check` (`make lint`, issue 18) fails on each way a catalogue lags.

Each case builds a tiny project in a temporary directory (one template with
marked strings, a German catalogue) and runs the real command there, with GNU
gettext's real tools; the last test runs it on Kindred itself.
"""

import os
import shutil
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings

import polib
import pytest

from portal.translations import IGNORED

HAVE_GETTEXT = all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq"))
if not HAVE_GETTEXT:
    if os.environ.get("KINDRED_REQUIRE_GETTEXT") == "1":
        pytest.fail("GNU gettext is missing (KINDRED_REQUIRE_GETTEXT=1)", pytrace=False)
    pytestmark = pytest.mark.skip(reason="GNU gettext is not installed (apt-get install gettext)")

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = """{% load i18n %}
<h1>{% translate "Save" %}</h1>
<p>{% blocktranslate trimmed count counter=n %}{{ counter }} comment{% plural %}
{{ counter }} comments{% endblocktranslate %}</p>
"""
GERMAN = {
    ("Save", ""): "Speichern",
    ("%(counter)s comment", "%(counter)s comments"): [
        "%(counter)s Kommentar",
        "%(counter)s Kommentare",
    ],
}


def _catalogue(entries: dict) -> polib.POFile:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "de",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for (msgid, plural), msgstr in entries.items():
        if plural:
            catalogue.append(
                polib.POEntry(
                    msgid=msgid, msgid_plural=plural, msgstr_plural=dict(enumerate(msgstr))
                )
            )
        else:
            catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return catalogue


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A directory with one marked template and a complete, compiled German catalogue."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(TEMPLATE)
    messages = tmp_path / "locale" / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)

    def write(entries=GERMAN, *, compile_it=True, edit=None):
        catalogue = _catalogue(entries)
        if edit:
            edit(catalogue)
        catalogue.save(str(messages / "django.po"))
        if compile_it:
            catalogue.save_as_mofile(str(messages / "django.mo"))
        return catalogue

    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        yield write


def _problems() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("translations_check")
    return str(failure.value)


def test_a_complete_compiled_catalogue_passes(project, capsys):
    project()
    call_command("translations_check")
    assert "Every marked string is translated" in capsys.readouterr().out


def test_a_marked_string_missing_from_the_catalogue_fails(project):
    project({("Save", ""): "Speichern"})
    assert "missing '%(counter)s comment' (templates/page.html)" in _problems()


def test_an_untranslated_entry_fails(project):
    project({**GERMAN, ("Save", ""): ""})
    assert "untranslated 'Save'" in _problems()


def test_a_fuzzy_entry_fails(project):
    project(edit=lambda catalogue: catalogue.find("Save").flags.append("fuzzy"))
    assert "fuzzy 'Save'" in _problems()


def test_an_entry_nothing_uses_any_more_fails(project):
    project({**GERMAN, ("Delete", ""): "Löschen"})
    assert "no longer used 'Delete'" in _problems()


def test_a_stale_compiled_catalogue_fails(project, tmp_path):
    project()
    stale = _catalogue({**GERMAN, ("Save", ""): "Sichern"})
    stale.save_as_mofile(str(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.mo"))
    assert "django.mo is stale at 'Save'" in _problems()


def test_an_uncompiled_catalogue_fails(project):
    project(compile_it=False)
    assert "not compiled" in _problems()


def test_the_check_leaves_the_catalogue_untouched(project, tmp_path):
    project({("Save", ""): "Speichern"})
    po = tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po"
    before = po.read_bytes()
    _problems()
    assert po.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "locale").iterdir()) == ["de"]  # no .pot left


def test_kindreds_own_catalogues_are_complete(monkeypatch):
    """The check `make lint` runs, here too, so `make test` alone also catches a gap."""
    monkeypatch.chdir(ROOT)
    assert "tests" in IGNORED
    call_command("translations_check")
