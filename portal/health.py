"""The app server's health check for load balancers and deploys (issue 17, docs/deploy.md)."""

import logging
import os
import uuid

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# One key per process, so that checks from many servers never contend for one key.
_CACHE_KEY = f"health:{os.getpid()}"


@require_safe
def health(request):
    """200 "ok" when this server reaches its database and its cache, else 503 naming which.

    Only what every request needs: the search engine is left out, since search degrades
    on its own when the engine is down and taking every app server out of rotation for
    it would make the whole site unreachable. No session, no cookie, never stored.
    """
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 (any failure means: not healthy)
        logger.warning("Health check: the database does not answer", exc_info=True)
        failed.append("database")
    # Each cache alias (the throttles' and the pages', which may be two Redis servers).
    for cache in caches.all():
        try:
            token = uuid.uuid4().hex
            cache.set(_CACHE_KEY, token, 30)
            if cache.get(_CACHE_KEY) != token:
                raise RuntimeError("the cache did not keep a value")
        except Exception:  # noqa: BLE001 (a Redis error is not a Django exception)
            logger.warning("Health check: a cache does not answer", exc_info=True)
            failed.append("cache")
            break
    if failed:
        response = HttpResponse(
            f"unavailable: {', '.join(failed)}\n", content_type="text/plain", status=503
        )
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response
