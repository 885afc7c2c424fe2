"""The translation catalogues' upkeep (issue 18): one list of what is scanned, two commands.

``manage.py translations_update`` (``make translations``) finds every marked string
(``makemessages``), merges them into each language's catalogue in
``locale/<code>/LC_MESSAGES/django.po`` and compiles them (``compilemessages``).
``manage.py translations_check`` (in ``make lint``) changes nothing and fails when a
marked string is missing from a catalogue, untranslated, fuzzy or obsolete there, or
when a compiled ``.mo`` is older than its ``.po``'s translations.

The compiled ``.mo`` files are committed, so ``make run`` and ``make test`` need no
GNU gettext; the two commands do (Debian's ``gettext``).
"""

from django.conf import settings

# Not Kindred's interface: the virtualenv, tests, benchmarks, scripts, docs, collected
# static files and uploads. JavaScript strings (djangojs) are not catalogued yet.
IGNORED = [
    ".venv",
    "venv",
    "tests",
    "benchmarks",
    "scripts",
    "docs",
    "var",
    "static",
    "node_modules",
]
DOMAIN = "django"


def translated_languages() -> list[str]:
    """Every language but the source one (``settings.LANGUAGES``'s first), as catalogue locales."""
    from django.utils.translation import to_locale

    source = settings.LANGUAGES[0][0]
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != source]


def makemessages_options() -> dict:
    """The options both commands give ``makemessages``."""
    return {
        "locale": translated_languages(),
        "domain": DOMAIN,
        "ignore_patterns": IGNORED,
        "no_obsolete": True,
        # File names without line numbers: a line added above a string must not
        # change every entry below it in the catalogue's diff.
        "add_location": "file",
        "verbosity": 0,
    }
