"""A site page's German translation has no address of its own, yet its changes reach the
German visitors' stored copies of its original's address at once (issue 18).

The translation is served at the English page's address (``InformationPage.serve``),
whose stored copies are kept one per language; publishing, unpublishing or deleting
the translation is a page write like any other (``pagecache.signals``).
"""

from django.test import Client

from wagtail.models import Locale
from wagtail.rich_text import RichText

import pytest

from core.models import InformationPage
from portal.site_pages import ABOUT
from tests.german import ENGLISH, GERMAN
from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db


def read(url, headers):
    response = Client(**headers).get(url)
    assert response.status_code == 200
    return cache_state(response), response.content.decode()


@pytest.fixture
def about(site_pages):
    return site_pages[ABOUT]


@pytest.fixture
def german_about(about):
    de = Locale.objects.get_or_create(language_code="de")[0]
    return InformationPage.objects.get(translation_key=about.translation_key, locale=de)


def stored_in_both_languages(url):
    """A German and an English visitor store the page; the next of each is served it."""
    for headers in (GERMAN, ENGLISH):
        read(url, headers)
        assert read(url, headers)[0] == "hit"


def test_a_new_german_revision_reaches_the_next_german_visitor(about, german_about):
    old = german_about.title
    stored_in_both_languages(about.url)
    assert f'<h1 lang="de">{old}</h1>' in read(about.url, GERMAN)[1]

    german_about.title = "Über uns"
    german_about.body = [("paragraph", RichText("<p>Neu geschrieben.</p>"))]
    german_about.save_revision().publish()

    state, html = read(about.url, GERMAN)
    assert state == "stored", "rendered afresh"
    assert '<h1 lang="de">Über uns</h1>' in html and "Neu geschrieben." in html
    assert f'<h1 lang="de">{old}</h1>' not in html
    assert "Über uns" not in read(about.url, ENGLISH)[1]


def test_unpublishing_or_deleting_the_translation_gives_german_visitors_the_original(
    about, german_about
):
    stored_in_both_languages(about.url)

    german_about.unpublish()
    state, html = read(about.url, GERMAN)
    assert state == "stored" and f'<h1 lang="en-gb">{about.title}</h1>' in html

    german_about.save_revision().publish()
    assert f'<h1 lang="de">{german_about.title}</h1>' in read(about.url, GERMAN)[1]

    german_about.delete()
    state, html = read(about.url, GERMAN)
    assert state == "stored" and f'<h1 lang="en-gb">{about.title}</h1>' in html


def test_a_draft_of_the_translation_keeps_the_stored_pages(about, german_about):
    stored_in_both_languages(about.url)

    german_about.title = "Entwurf"
    german_about.save_revision()

    state, html = read(about.url, GERMAN)
    assert state == "hit" and "Entwurf" not in html
