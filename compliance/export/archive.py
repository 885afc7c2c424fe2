"""Writing a member's archive: one zip with ``data.json`` (every section), a JSON file
per section, ``index.html`` (the same, readable in a browser, every value escaped by
Django's template engine) and the avatar file.

The HTML has no script, style or outside link: it is opened from a disk, maybe on a
shared computer, and must not call anywhere.
"""

import json
import zipfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import User
from social.models import Profile

from . import sections

ARCHIVE_TEMPLATE = "compliance/export_archive.html"


def _json_default(item):
    """A translatable label (a model's choice, in the member's language) as its text."""
    if isinstance(item, Promise):
        return str(item)
    raise TypeError(f"{type(item).__name__} is not a JSON value")


def _dumps(item) -> str:
    return json.dumps(item, indent=2, ensure_ascii=False, default=_json_default)


def _display(item):
    if isinstance(item, Promise):
        return str(item)
    if isinstance(item, (dict, list)):
        return _dumps(item)
    if item is None:
        return ""
    return item


def collect(user: User) -> dict:
    """Every section's records for ``user``, keyed as in ``sections.SECTIONS``."""
    return {key: function(user) for key, _heading, function in sections.SECTIONS}


def render_index(*, data: dict, generated_at) -> str:
    """``index.html``: every section and record, escaped by the template engine."""
    blocks = [
        {
            "key": key,
            "heading": heading,
            "records": [
                [(name, _display(item)) for name, item in record.items()] for record in data[key]
            ],
        }
        for key, heading, _function in sections.SECTIONS
    ]
    return render_to_string(ARCHIVE_TEMPLATE, {"sections": blocks, "generated_at": generated_at})


def write(*, user: User, path: Path) -> None:
    """Write ``user``'s archive to ``path`` (a zip)."""
    generated_at = timezone.now()
    data = collect(user)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            _dumps({"generated_at": generated_at.isoformat(), **data}),
        )
        for key, _heading, _function in sections.SECTIONS:
            archive.writestr(f"json/{key}.json", _dumps(data[key]))
        archive.writestr("index.html", render_index(data=data, generated_at=generated_at))
        profile = Profile.objects.filter(user=user).first()
        name = sections.avatar_name(profile)
        if name:
            try:
                with profile.avatar.open("rb") as avatar:
                    archive.writestr(name, avatar.read())
            except OSError:
                # The file is gone from storage: the profile names it, the archive says so.
                archive.writestr(name + ".missing.txt", "The picture file could not be found.")
