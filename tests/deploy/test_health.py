"""The app server's health check, /_health/ (issue 17; docs/deploy.md): what a load
balancer asks before sending a server traffic, and a deploy before moving on."""

import socket
import time

from django.db import OperationalError, connection
from django.test import Client, RequestFactory

import pytest

from pagecache.middleware import HEADER
from portal.health import health
from portal.settings.base import redis_cache

pytestmark = pytest.mark.django_db

URL = "/_health/"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_healthy_server_answers_ok_without_a_cookie_and_never_cached(
    client, portal, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    # Asked again: rendered again, never served from the page cache (it would hide an outage).
    again = Client().get(URL)
    assert again.get(HEADER, "") != "hit"
    assert response.get(HEADER, "") != "stored"


def test_head_is_answered_and_writes_are_refused(client, portal):
    assert client.head(URL).status_code == 200
    for method in (client.post, client.put, client.delete):
        assert method(URL).status_code == 405


@pytest.mark.parametrize(
    "query", ["?x=<script>alert(1)</script>", "?database=down", "?" + "a" * 5000, "?%ff%fe"]
)
def test_whatever_the_query_the_answer_is_the_same_and_echoes_nothing(client, portal, query):
    response = client.get(URL + query)

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_a_database_that_does_not_answer_makes_it_503(client, portal, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"
    # Nothing of the error itself reaches whoever asked (addresses, drivers).
    assert b"10.0.0.5" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_a_cache_that_does_not_answer_makes_it_503_quickly(portal, settings):
    port = closed_port()
    settings.CACHES = {
        alias: redis_cache(f"redis://127.0.0.1:{port}/0", key_prefix="h")
        for alias in ("default", "pages")
    }

    started = time.monotonic()
    response = health(RequestFactory().get(URL))

    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"
    assert str(port).encode() not in response.content


def test_through_the_whole_stack_a_cache_outage_is_an_error_answer_not_ok(portal, settings):
    """The page cache, first in MIDDLEWARE, meets the outage before the view does; it steps
    aside (a cache that does not answer is a miss), so the health check itself says 503."""
    port = closed_port()
    settings.CACHES = {
        alias: redis_cache(f"redis://127.0.0.1:{port}/0", key_prefix="h")
        for alias in ("default", "pages")
    }

    response = Client(raise_request_exception=False).get(URL)

    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"
    assert str(port).encode() not in response.content


def test_behind_https_redirects_the_health_check_alone_is_answered_over_http(
    client, portal, settings
):
    """A load balancer probes each server over plain http; production exempts only this."""
    settings.SECURE_SSL_REDIRECT = True
    # As portal/settings/production.py says (test_settings.py reads it from there).
    settings.SECURE_REDIRECT_EXEMPT = [r"^_health/$"]

    assert client.get(URL).status_code == 200
    assert client.get("/").status_code == 301
    assert client.get("/_health/x").status_code == 301
