"""SEARCH_URL picks the engine backend; without it, Wagtail's database backend."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from portal.settings.base import search_engine_backend


def test_the_scheme_names_wagtails_backend_and_the_node_is_spoken_to_over_http():
    config = search_engine_backend("elasticsearch9://127.0.0.1:9201", index_prefix="kindred_")

    # Kindred's wrapper (German items' fields, issue 18) around Wagtail's backend.
    assert config["BACKEND"] == "search.backends.engine"
    assert config["ENGINE"] == "wagtail.search.backends.elasticsearch9"
    assert config["URLS"] == ["http://127.0.0.1:9201"]
    assert config["INDEX_PREFIX"] == "kindred_"
    # Fail fast for readers; never index inline (search.tasks does, in the background).
    assert config["TIMEOUT"] <= 3
    assert config["OPTIONS"]["max_retries"] <= 1
    assert config["AUTO_UPDATE"] is False
    # English stemming, as on the database backends (search/engine provides the analyzer).
    assert config["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"] == {
        "type": "english"
    }


def test_https_and_credentials_pass_through():
    config = search_engine_backend(
        "opensearch3+https://user:pass@search.example:9200/prefix", index_prefix="k_"
    )

    assert config["ENGINE"] == "wagtail.search.backends.opensearch3"
    assert config["URLS"] == ["https://user:pass@search.example:9200/prefix"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:9200", "solr://x:1", "elasticsearch9://"])
def test_an_unknown_scheme_is_a_configuration_error(url):
    with pytest.raises(ImproperlyConfigured):
        search_engine_backend(url, index_prefix="k_")


def test_the_test_suite_searches_the_database_and_keeps_its_own_engine_indices(settings):
    assert settings.WAGTAILSEARCH_BACKENDS["default"] == {
        "BACKEND": "search.backends.database",
        "SEARCH_CONFIG": "english",
        # Each language's PostgreSQL configuration (issue 18); English is SEARCH_CONFIG.
        "LANGUAGE_CONFIGS": {"de": "german"},
    }
    if settings.SEARCH_ENGINE_TEST_BACKEND is not None:
        # A worker's own under pytest-xdist: kindred_test_gw0_…
        worker = f"{settings.TEST_WORKER}_" if settings.TEST_WORKER else ""
        assert settings.SEARCH_ENGINE_TEST_BACKEND["INDEX_PREFIX"] == f"kindred_test_{worker}"
