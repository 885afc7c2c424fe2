"""A real node stops, the site keeps working, and ``update_index`` reconciles after.

A throwaway Elasticsearch node of its own (scripts/search-engine with its own
directory and port 9260 or the next free one), so the shared node is never
stopped. Runs where the engine tests run (SEARCH_URL set, or required in CI).
"""

import os
import subprocess
import time
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

import pytest

from portal.settings.base import search_engine_backend
from tests.engine.conftest import engine_required
from tests.factories import BlogPageFactory
from tests.search.test_search import hit_titles

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "search-engine"


class ThrowawayNode:
    def __init__(self, directory):
        self.env = {
            **os.environ,
            "KINDRED_SEARCH_DIR": str(directory),
            "KINDRED_SEARCH_PORT": os.environ.get("KINDRED_OUTAGE_SEARCH_PORT", "9260"),
        }
        self.url = None

    def _run(self, command):
        return subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [str(SCRIPT), command],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=240,
        ).stdout.strip()

    def start(self):
        self.url = self._run("start").splitlines()[-1]

    def stop(self):
        self._run("stop")


@pytest.fixture(scope="module")
def throwaway_node(tmp_path_factory):
    if not os.environ.get("SEARCH_URL") and not engine_required():
        pytest.skip("engine tests run with SEARCH_URL set (make search-engine)")
    node = ThrowawayNode(tmp_path_factory.mktemp("search-node"))
    node.start()
    yield node
    node.stop()


def document_exists(page):
    backend = get_search_backend()
    index = backend.get_index_for_model(Page)
    index.refresh()
    return backend.es.exists(index=index.name, id=str(page.pk)).body


@pytest.mark.django_db
def test_after_an_outage_update_index_brings_the_index_back_in_line(
    client, settings, portal, blog_index, throwaway_node
):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": search_engine_backend(throwaway_node.url, index_prefix="kindred_outage_")
    }
    call_command("update_index", verbosity=0)
    deleted = BlogPageFactory(parent=blog_index, title="Glacier walk to delete")
    unpublished = BlogPageFactory(parent=blog_index, title="Glacier walk to unpublish")
    BlogPageFactory(parent=blog_index, title="Glacier walk kept")
    get_search_backend().get_index_for_model(Page).refresh()
    results = reverse("search:results")
    assert len(hit_titles(client.get(results, {"q": "glacier"}))) == 3

    throwaway_node.stop()

    assert client.get(results, {"q": "glacier"}).status_code == 503
    started = time.perf_counter()
    deleted_pk = deleted.pk
    deleted.delete()
    unpublished.unpublish()
    added = BlogPageFactory(parent=blog_index, title="Glacier walk added during the outage")
    # No save waited for the engine (the updates failed at once, logged for reconcile).
    assert time.perf_counter() - started < 3
    assert client.get(reverse("search:autocomplete"), {"q": "glac"}).status_code == 503

    throwaway_node.start()

    # The index missed the outage: the deleted page's document is still there,
    # the new page's is not. Readers still never see the stale entries.
    deleted.pk = deleted_pk
    assert document_exists(deleted)
    assert not document_exists(added)
    assert hit_titles(client.get(results, {"q": "glacier"})) == ["Glacier walk kept"]

    call_command("update_index", verbosity=0)

    assert not document_exists(deleted)
    assert document_exists(added)
    assert sorted(hit_titles(client.get(results, {"q": "glacier"}))) == [
        "Glacier walk added during the outage",
        "Glacier walk kept",
    ]
