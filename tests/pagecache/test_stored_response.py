"""A hit is served as the page was stored: every header of a fresh render, the same bytes,
and a plain Django response (issue 17: a hit's headers are not set one by one again)."""

from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.test import Client

import pytest

from pagecache.middleware import HEADER, StoredResponse
from tests.pagecache.conftest import cache_state
from tests.spies import calls_of

pytestmark = pytest.mark.django_db


def without_cache_header(response) -> list[tuple[str, str]]:
    return [(name, value) for name, value in response.items() if name != HEADER]


def test_a_hit_carries_every_header_and_byte_of_a_fresh_render(item, settings):
    # The security headers (CSP, Permissions-Policy, X-Frame-Options, nosniff, the
    # referrer policy, COOP) of a hit are the ones a page rendered now gets.
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    fresh = Client().get(item.url)
    settings.KINDRED_PAGE_CACHE_SECONDS = 600
    assert cache_state(Client().get(item.url)) == "stored"

    hit = Client().get(item.url)

    assert cache_state(hit) == "hit"
    assert hit.status_code == fresh.status_code == 200
    assert hit.content == fresh.content
    assert without_cache_header(hit) == without_cache_header(fresh)
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} <= set(
        dict(hit.items())
    )


def test_a_hit_sets_no_header_one_by_one(item, monkeypatch):
    Client().get(item.url)
    assert cache_state(Client().get(item.url)) == "hit"
    headers_set = calls_of(monkeypatch, ResponseHeaders, "__setitem__")

    hit = Client().get(item.url)

    assert cache_state(hit) == "hit"
    assert headers_set == []


def test_a_head_hit_says_the_length_of_the_body_it_leaves_out(item):
    stored = Client().get(item.url)

    head = Client().head(item.url)

    assert cache_state(head) == "hit"
    assert head.content == b""
    assert without_cache_header(head) == without_cache_header(stored)
    assert head["Content-Length"] == str(len(stored.content))


def test_a_stored_response_is_made_as_django_makes_a_response():
    # StoredResponse sets HttpResponse's attributes itself: a Django upgrade that adds
    # one must fail here, not leave a hit without it.
    made = StoredResponse(200, {"content-type": ("Content-Type", "text/html")}, b"<p>")
    django = HttpResponse(b"<p>", content_type="text/html", status=200)

    assert vars(made).keys() == vars(django).keys()
    assert list(made.items()) == list(django.items())
    assert (made.status_code, made.reason_phrase, made.charset) == (200, "OK", "utf-8")
    assert made.content == django.content
    assert made.serialize() == django.serialize()
