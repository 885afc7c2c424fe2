"""Settings for the test suite (pytest uses ``--ds=portal.settings.test``).

Same apps and middleware as production; only speed and isolation change.
The database comes from DATABASE_URL exactly as elsewhere, so CI runs the
suite on PostgreSQL and a laptop on SQLite.
"""

import os

from .base import *

# Under pytest-xdist (`make test` runs the suite on every core) each worker is its own
# process with its own test database (pytest-django suffixes the name); what lives outside
# the database is made the worker's own here: the files tests upload and export, which some
# tests list, and the engine's indices, which tests rebuild empty. "" outside xdist.
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_worker_suffix = f"-{TEST_WORKER}" if TEST_WORKER else ""

SECRET_KEY = "test-only-not-secret-kindred"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_worker_suffix}"
KINDRED_EXPORT_ROOT = BASE_DIR / "var" / f"test-exports{_worker_suffix}"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Background tasks run at once so a test sees their effect; the tests of the
# worker itself switch "background" back to the database backend.
TASKS = {
    **TASKS,
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}

# The suite searches with the database backend. tests/engine runs the search
# tests again on the engine that SEARCH_URL names (CI starts one), in indices
# of its own so a developer's index is never touched.
WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}
ENGINE_TEST_INDEX_PREFIX = f"kindred_test_{TEST_WORKER}_" if TEST_WORKER else "kindred_test_"
SEARCH_ENGINE_TEST_BACKEND = (
    search_engine_backend(SEARCH_URL, index_prefix=ENGINE_TEST_INDEX_PREFIX) if SEARCH_URL else None
)
