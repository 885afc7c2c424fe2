"""The production static files storage: whitenoise's compressed, hashed files (issue 17)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed names from the manifest; a name it lacks keeps its plain name.

    Django's manifest storage fails any page (a 500) that names a static file missing from
    the manifest, and even a settings check before the first collectstatic, since
    portal/urls.py asks for the favicon's address at import (`make lint` checks the
    production settings without collecting anything). Here such a name is served as it
    is, uncached by browsers beyond whitenoise's short max-age. collectstatic itself still
    fails on a stylesheet that points at a missing file.
    """

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            # Not collected yet (or not at all): the file's own name.
            return name
