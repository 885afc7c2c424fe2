"""A stored page is served only to readers of its language (issue 18).

The page cache answers before LocaleMiddleware runs, so its key holds the language
that middleware would choose: the switcher's cookie, else Accept-Language.
"""

from django.conf import settings
from django.test import Client

import pytest

from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db


def _read(browser: Client, url: str) -> tuple[str, str]:
    response = browser.get(url)
    assert response.status_code == 200
    return cache_state(response), response["Content-Language"]


def test_a_page_stored_in_german_is_never_served_to_an_english_reader(item):
    assert _read(Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"), item.url) == ("stored", "de")

    assert _read(Client(HTTP_ACCEPT_LANGUAGE="en-GB"), item.url) == ("stored", "en-gb")
    assert _read(Client(HTTP_ACCEPT_LANGUAGE="en-US"), item.url) == ("hit", "en-gb")
    assert _read(Client(), item.url) == ("hit", "en-gb")
    assert _read(Client(HTTP_ACCEPT_LANGUAGE="de-AT"), item.url) == ("hit", "de")


def test_the_switchers_cookie_chooses_the_stored_page(item):
    _read(Client(HTTP_ACCEPT_LANGUAGE="de"), item.url)
    _read(Client(HTTP_ACCEPT_LANGUAGE="en-GB"), item.url)

    chose_german = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    chose_german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    chose_english = Client(HTTP_ACCEPT_LANGUAGE="de")
    chose_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"

    assert _read(chose_german, item.url) == ("hit", "de")
    assert _read(chose_english, item.url) == ("hit", "en-gb")


def test_a_made_up_language_shares_the_default_languages_entry(item):
    """Every unsupported Accept-Language or cookie is the default language's one key, so a
    flood of made-up languages cannot fill the cache."""
    _read(Client(), item.url)
    nonsense = Client(HTTP_ACCEPT_LANGUAGE="xx-YY,zz;q=0.5")
    nonsense.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"

    assert _read(nonsense, item.url) == ("hit", "en-gb")


def test_the_switcher_itself_is_never_stored(item):
    browser = Client()
    first = browser.get("/language/", {"language": "de", "next": item.url})
    second = Client().get("/language/", {"language": "de", "next": item.url})

    assert first.status_code == second.status_code == 302
    assert cache_state(second) != "hit"
    assert settings.LANGUAGE_COOKIE_NAME in second.cookies
