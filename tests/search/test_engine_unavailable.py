"""When the search engine cannot be reached.

These point the engine backend at a closed port on this machine (connection
refused at once), so they run everywhere, node or not; tests/engine/
test_engine_outage.py stops and restarts a real node.
"""

import logging
import socket
import time

from django.urls import reverse

import pytest
from django_tasks_db.models import DBTaskResult

from moderation.services import page_submit_for_review, review_approve
from portal.settings.base import search_engine_backend
from search.tasks import MAX_ATTEMPTS, RETRY_DELAYS, search_index_update
from tests.concurrency import run_background_worker
from tests.factories import BlogPageFactory, ExpertArticlePageFactory


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def engine_down(settings):
    """The default backend is an engine nobody listens for."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": search_engine_backend(
            f"elasticsearch9://127.0.0.1:{closed_port()}", index_prefix="kindred_down_"
        )
    }


@pytest.mark.django_db
def test_the_search_page_says_search_is_unavailable(client, portal, engine_down):
    response = client.get(reverse("search:results"), {"q": "fatigue"})

    assert response.status_code == 503
    assert "search/unavailable.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert "Search is temporarily unavailable" in html
    assert "Traceback" not in html and "elastic" not in html.lower()


@pytest.mark.django_db
def test_autocomplete_answers_503_json(client, portal, engine_down):
    response = client.get(reverse("search:autocomplete"), {"q": "fatigue"})

    assert response.status_code == 503
    assert response.json() == {"results": [], "error": "Search is temporarily unavailable."}


@pytest.mark.django_db
def test_the_rest_of_the_site_is_unaffected(client, home, blog_index, engine_down):
    page = BlogPageFactory(parent=blog_index, title="Still readable")

    assert client.get(home.url).status_code == 200
    assert client.get(page.url).status_code == 200
    # An empty search box needs no engine either.
    assert client.get(reverse("search:results")).status_code == 200


@pytest.mark.django_db
def test_publishing_and_unpublishing_succeed_quickly_and_log_for_reconcile(
    blog_index, engine_down, caplog
):
    caplog.set_level(logging.ERROR, logger="search.tasks")
    started = time.perf_counter()
    page = BlogPageFactory(parent=blog_index, title="Published while the engine is down")
    page.unpublish()
    elapsed = time.perf_counter() - started

    page.refresh_from_db()
    assert elapsed < 2
    assert not page.live
    # The immediate task backend cannot wait before a retry: it says what to run.
    assert any("update_index" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_review_and_approval_succeed_quickly(expert_index, expert, editor, medic, engine_down):
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    started = time.perf_counter()
    page_submit_for_review(page=article, user=expert)
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)

    article.refresh_from_db()
    assert article.live
    assert time.perf_counter() - started < 3


@pytest.mark.django_db(transaction=True)
def test_index_updates_are_retried_later_by_the_worker(settings, portal, blog_index, engine_down):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    started = time.perf_counter()
    page = BlogPageFactory(parent=blog_index, title="Queued for the engine")
    assert time.perf_counter() - started < 2
    updates = [
        result
        for result in DBTaskResult.objects.filter(task_path="search.tasks.search_index_update")
        if result.args_kwargs["args"][2] == str(page.pk)
    ]
    assert updates, "saving the page queued an engine update"
    # Keep one of the page's updates (each save queued one) to follow it.
    DBTaskResult.objects.exclude(pk=updates[0].pk).delete()
    before = time.perf_counter()

    run_background_worker()

    # Each attempt for the page failed to connect and queued the next one, later.
    assert time.perf_counter() - before < 5
    assert DBTaskResult.objects.get(pk=updates[0].pk).status == "SUCCESSFUL"
    retry = DBTaskResult.objects.exclude(pk=updates[0].pk).get()
    assert retry.task_path == "search.tasks.search_index_update"
    assert retry.status == "READY"
    assert retry.args_kwargs == {"args": updates[0].args_kwargs["args"], "kwargs": {"attempt": 2}}
    assert (retry.run_after - retry.enqueued_at).total_seconds() >= RETRY_DELAYS[0] - 1


@pytest.mark.django_db
def test_the_last_attempt_gives_up_and_says_to_reconcile(settings, blog_index, engine_down, caplog):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    page = BlogPageFactory(parent=blog_index, title="Never reached the engine")
    DBTaskResult.objects.all().delete()
    caplog.set_level(logging.WARNING, logger="search.tasks")

    search_index_update.call("blogs", "blogpage", str(page.pk), attempt=MAX_ATTEMPTS - 1)
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"attempt": MAX_ATTEMPTS}
    search_index_update.call("blogs", "blogpage", str(page.pk), attempt=MAX_ATTEMPTS)

    assert DBTaskResult.objects.count() == 1  # no attempt after the last
    assert "update_index" in caplog.records[-1].getMessage()
    assert caplog.records[-1].levelno == logging.ERROR
