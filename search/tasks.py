"""Keeping a search engine in line with the database, in the background.

The engine backend is configured with ``AUTO_UPDATE: False`` (see
``portal/settings/base.py``), so saving or deleting a page never waits for the
engine. ``search.signals`` enqueues these tasks on the "background" queue
instead; the worker adds or deletes the document on every such backend. When
the engine is unreachable a task re-enqueues itself with a growing delay, up to
``MAX_ATTEMPTS``, then gives up with an error in the log: ``manage.py
update_index`` rebuilds the index (deletions included) once the engine is back.

Wagtail's database backend keeps AUTO_UPDATE: it is updated inline, inside the
transaction of the save, and needs none of this.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_instance
from wagtail.search.backends import get_search_backend

from django_tasks import task
from django_tasks.base import Task

from .errors import ENGINE_ERRORS

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Seconds before attempt 2, 3, ... (about 20 minutes in all).
RETRY_DELAYS = (10, 30, 60, 180, 900)


def background_backend_names() -> list[str]:
    """Names of the configured search backends that are updated by these tasks (AUTO_UPDATE off)."""
    config = get_app_config().get_search_backend_config()
    return [name for name, params in config.items() if params.get("AUTO_UPDATE", True) is False]


def _retry_or_give_up(
    current_task: Task, args: tuple, *, attempt: int, error: Exception, action: str
) -> None:
    backend = current_task.get_backend()
    if attempt < MAX_ATTEMPTS and backend.supports_defer:
        delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)]
        current_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            *args, attempt=attempt + 1
        )
        logger.warning(
            "Search engine unavailable (%s) while %s %s; retry %d in %d s",
            error.__class__.__name__,
            action,
            args,
            attempt + 1,
            delay,
        )
        return
    # A backend that runs tasks at once cannot wait before a retry.
    logger.error(
        "Search engine unavailable (%s) while %s %s after %d attempt(s); "
        "run `manage.py update_index` once it is back",
        error.__class__.__name__,
        action,
        args,
        attempt,
    )


@task(backend="background")
def search_index_update(app_label: str, model_name: str, pk: str | int, attempt: int = 1) -> None:
    """Put the current state of one object into the engine (or remove it if it is gone)."""
    names = background_backend_names()
    if not names:
        return
    model = apps.get_model(app_label, model_name)
    instance = model._default_manager.filter(pk=pk).first()
    indexed = get_indexed_instance(instance) if instance is not None else None
    for name in names:
        try:
            if indexed is None:
                get_search_backend(name).delete(model(pk=pk))
            else:
                get_search_backend(name).add(indexed)
        except ENGINE_ERRORS as error:
            _retry_or_give_up(
                search_index_update,
                (app_label, model_name, pk),
                attempt=attempt,
                error=error,
                action="indexing",
            )
            return


@task(backend="background")
def search_index_delete(app_label: str, model_name: str, pk: str | int, attempt: int = 1) -> None:
    """Remove one deleted object's document from the engine."""
    model = apps.get_model(app_label, model_name)
    for name in background_backend_names():
        try:
            get_search_backend(name).delete(model(pk=pk))
        except ENGINE_ERRORS as error:
            _retry_or_give_up(
                search_index_delete,
                (app_label, model_name, pk),
                attempt=attempt,
                error=error,
                action="deleting",
            )
            return
