"""tests/engine: the search suite again, on the real engine that SEARCH_URL names.

Locally the tests skip when SEARCH_URL is unset (``make search-engine`` starts
a node). In CI, or with KINDRED_REQUIRE_ENGINE=1, a missing or unreachable
engine fails them instead: the engine path must be proven, not skipped.
"""

import os

from django.core.management import call_command

import pytest

from tests.search.fixtures import SearchBackendHandle


def engine_required():
    return os.environ.get("KINDRED_REQUIRE_ENGINE") == "1" or bool(os.environ.get("CI"))


def engine_config(settings):
    config = getattr(settings, "SEARCH_ENGINE_TEST_BACKEND", None)
    if config is None:
        message = "SEARCH_URL is not set: start a node (make search-engine) and export SEARCH_URL"
        if engine_required():
            pytest.fail(message)
        pytest.skip(message)
    return config


@pytest.fixture
def search_backend(portal, settings):
    """The whole test runs on the engine, in its own indices, rebuilt empty first.

    The engine backend has AUTO_UPDATE off, as in production: content the test
    creates reaches the engine through search.tasks (run at once in tests).
    """
    settings.WAGTAILSEARCH_BACKENDS = {"default": engine_config(settings)}
    call_command("update_index", verbosity=0)
    return SearchBackendHandle(name="engine", is_engine=True)
