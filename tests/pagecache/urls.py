"""Views that exercise the middleware's rules, mounted only by tests/pagecache/test_rules.py."""

import uuid

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.cache import patch_cache_control, patch_vary_headers

import pagecache
from pagecache.tags import EPOCH_KEY
from portal.urls import urlpatterns as site_urlpatterns

RENDERS = {"count": 0}


def _page(request, text="<p>The same for everyone.</p>", **kwargs):
    RENDERS["count"] += 1
    pagecache.mark_public(request, tags=[pagecache.LISTINGS])
    return HttpResponse(text, **kwargs)


def public(request):
    return _page(request)


def unmarked(request):
    return HttpResponse("<p>Nobody said this is public.</p>")


def sets_cookie(request):
    response = _page(request)
    response.set_cookie("kindred_choice", "dark")
    return response


def uses_csrf_token(request):
    return _page(request, f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def adds_a_message(request):
    messages.info(request, "Saved.")
    return _page(request)


def private(request):
    response = _page(request)
    patch_cache_control(response, private=True)
    return response


def varies_by_device(request):
    # Accept-Language is in the key (issue 18: tests/pagecache/test_language.py); a page
    # that varies on anything else the key does not hold is never stored.
    response = _page(request)
    patch_vary_headers(response, ["User-Agent"])
    return response


def not_found(request):
    return _page(request, status=404)


def redirects(request):
    pagecache.mark_public(request)
    return HttpResponseRedirect("/elsewhere/")


def streams(request):
    pagecache.mark_public(request)
    return StreamingHttpResponse(iter([b"<p>a</p>", b"<p>b</p>"]), content_type="text/html")


def json(request):
    pagecache.mark_public(request)
    return JsonResponse({"same": "for everyone?"})


def changes_while_rendering(request):
    """A change committed while this page renders (here: in the same request)."""
    response = _page(request)
    pagecache.invalidate(pagecache.page_tag(1))
    return response


def epoch_moves_while_rendering(request):
    response = _page(request)
    caches["pages"].set(EPOCH_KEY, uuid.uuid4().hex, None)
    return response


def taken_back(request):
    response = _page(request)
    pagecache.mark_private(request)
    return response


def conditions(request):
    """A public page showing rows (the conditions' names), tagged only ``all``."""
    from core.models import Condition

    pagecache.mark_public(request)
    names = ", ".join(Condition.objects.order_by("name").values_list("name", flat=True))
    return HttpResponse(f"<p>Conditions: {names}.</p>")


def writes_and_rolls_back(request):
    """A page rendered from a row its own transaction wrote, then rolled back."""
    from django.db import transaction

    from core.models import Condition

    pagecache.mark_public(request)
    try:
        with transaction.atomic():
            Condition.objects.create(name="Fibromyalgia", slug="fibromyalgia")
            names = ", ".join(Condition.objects.values_list("name", flat=True))
            raise ValueError("rolled back")
    except ValueError:
        pass
    return HttpResponse(f"<p>Conditions: {names}.</p>")


urlpatterns = [
    path("t/public/", public),
    path("t/unmarked/", unmarked),
    path("t/cookie/", sets_cookie),
    path("t/csrf/", uses_csrf_token),
    path("t/message/", adds_a_message),
    path("t/private/", private),
    path("t/vary/", varies_by_device),
    path("t/404/", not_found),
    path("t/302/", redirects),
    path("t/stream/", streams),
    path("t/json/", json),
    path("t/race/", changes_while_rendering),
    path("t/epoch/", epoch_moves_while_rendering),
    path("t/taken-back/", taken_back),
    path("t/conditions/", conditions),
    path("t/writes-and-rolls-back/", writes_and_rolls_back),
    *site_urlpatterns,
]
