"""The page's key is cheap for a cookieless visitor and still follows the settings (issue 17)."""

import django.core.handlers.wsgi
from django.test import Client

import pytest

from tests.pagecache.conftest import cache_state
from tests.spies import calls_of

pytestmark = pytest.mark.django_db


def test_a_hit_without_a_cookie_header_parses_no_cookies(item, monkeypatch):
    Client().get(item.url)
    parsed = calls_of(monkeypatch, django.core.handlers.wsgi, "parse_cookie")

    assert cache_state(Client().get(item.url)) == "hit"

    assert parsed == []


def test_a_cookie_that_changes_nothing_is_still_served_from_the_cache(item):
    Client().get(item.url)

    assert cache_state(Client(HTTP_COOKIE="csrftoken=abc; theme=dark").get(item.url)) == "hit"


def test_a_bypass_cookie_named_after_the_first_request_takes_effect(item, settings):
    # The bypass cookies are read from the settings once; a changed setting is read again.
    browser = Client(HTTP_COOKIE="kindred_choice=dark")
    browser.get(item.url)
    assert cache_state(browser.get(item.url)) == "hit"

    settings.KINDRED_PAGE_CACHE_BYPASS_COOKIES = ["kindred_choice"]

    assert cache_state(browser.get(item.url)) == "bypass"
    assert cache_state(Client().get(item.url)) == "hit"


def test_static_files_under_a_changed_static_url_are_not_looked_up(item, settings):
    settings.STATIC_URL = "/assets/"

    assert cache_state(Client().get("/assets/css/site.css")) == "bypass"
    assert cache_state(Client().get("/static/css/site.css")) != "bypass"


def test_a_host_is_checked_once_and_then_remembered(item, monkeypatch, settings):
    import django.http.request

    # A setting written starts the memo afresh: earlier tests' hosts take no room in it.
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    # Browsers and gunicorn always send Host (the test client does not, unless told).
    Client(HTTP_HOST="localhost").get(item.url)
    checked = calls_of(monkeypatch, django.http.request, "validate_host")

    assert cache_state(Client(HTTP_HOST="localhost").get(item.url)) == "hit"

    assert checked == []


def test_a_host_no_longer_allowed_is_refused_though_it_was_remembered(item, settings):
    Client().get(item.url, HTTP_HOST="localhost")
    assert cache_state(Client().get(item.url, HTTP_HOST="localhost")) == "hit"

    settings.ALLOWED_HOSTS = ["testserver"]

    assert Client().get(item.url, HTTP_HOST="localhost").status_code == 400
    assert cache_state(Client().get(item.url)) == "stored"


def test_a_refused_host_is_never_remembered(item):
    for _ in range(2):
        assert Client().get(item.url, HTTP_HOST="evil.example").status_code == 400


def test_the_forwarded_host_is_part_of_what_is_remembered(item, settings):
    settings.USE_X_FORWARDED_HOST = True
    Client().get(item.url, HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST="localhost")

    refused = Client().get(item.url, HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST="evil.example")

    assert refused.status_code == 400


def test_made_up_hosts_under_a_wildcard_fill_no_more_than_the_limit(settings):
    from pagecache import middleware

    settings.ALLOWED_HOSTS = [".example.com"]
    for number in range(middleware.HOSTS_REMEMBERED + 20):
        Client().get("/no-such-page/", HTTP_HOST=f"h{number}.example.com")

    assert len(middleware._hosts) == middleware.HOSTS_REMEMBERED
    # Past the limit a host is still checked, and answered as any other.
    assert Client().get("/no-such-page/", HTTP_HOST="late.example.com").status_code == 404
    assert Client().get("/no-such-page/", HTTP_HOST="evil.example").status_code == 400
