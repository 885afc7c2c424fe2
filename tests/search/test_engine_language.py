"""The engine stems German items in German, English ones in English, and filters by language.

German items' searchable text is also indexed in ``_german_*`` fields with the
engine's ``german`` analyzer (search/backends/engine.py), searched alongside
Wagtail's English-analysed fields, typo tolerance included. Runs on the real
engine that SEARCH_URL names (``scripts/search-engine start``), in the test
indices, as tests/engine does; skipped without one (failed in CI).
"""

from django.core.management import call_command

from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

import pytest

from core.models import ContentPage
from search.hits import matching_ids
from tests.engine.conftest import engine_config
from tests.factories import BlogPageFactory
from tests.search.fixtures import SearchBackendHandle
from tests.search.test_search import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_backend(portal, settings):
    """The whole test on the engine, its index rebuilt empty first (as tests/engine/conftest.py)."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": engine_config(settings)}
    call_command("update_index", verbosity=0)
    return SearchBackendHandle(name="engine", is_engine=True)


@pytest.fixture
def german():
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def items(search_backend, blog_index, german):
    pages = {
        "de": BlogPageFactory(
            parent=blog_index,
            locale=german,
            title="Eine Therapie gegen Fatigue",
            summary="Erfahrungen mit Fatigue.",
            body=body(
                "Die Müdigkeit kommt am Nachmittag, mit Schmerzen in den Beinen. "
                "Der Arzt und die Kinder wissen es."
            ),
        ).pk,
        "en": BlogPageFactory(
            parent=blog_index,
            title="A therapy for fatigue",
            summary="Living with fatigue.",
            body=body("The tiredness comes in the afternoon."),
        ).pk,
    }
    search_backend.sync()
    return pages


@pytest.mark.parametrize("word", ["Therapien", "Ärzte", "Mudigkeit"])
def test_a_german_item_is_found_by_an_inflection_of_its_words(items, word):
    # The index's English analyzer leaves "ärzte" and "mudigkeit" whole, beyond
    # the typo tolerance of the item's "Arzt" and "Müdigkeit" (two edits in a
    # five-letter word; a change in the first two letters, FUZZY_PREFIX_LENGTH):
    # only the German fields, which stem and fold both sides alike ('arzt',
    # 'mudigkeit'), find them. "Therapien" is also within two edits of the
    # English 'therapi' (so is "Kindern" of "kinder"); German finds it as a stem.
    assert items["de"] in matching_ids(word)
    assert matching_ids(word, language="de") == [items["de"]]


def test_english_items_keep_english_stemming_and_typo_tolerance(items):
    assert items["en"] in matching_ids("therapies")
    assert matching_ids("afternoons", language="en-gb") == [items["en"]]
    # A typo (one letter), as before.
    assert items["en"] in matching_ids("tirednes")
    # German items are found in German with typos too.
    assert matching_ids("Müdigkeiten", language="de") == [items["de"]]
    assert matching_ids("Mudigkeitn", language="de") == [items["de"]]


def test_english_items_are_not_stemmed_in_german(items):
    """An English item's text is not in the German fields: "Schmerz" finds only the German item."""
    document = (
        get_search_backend()
        .es.get(
            index=get_search_backend().get_index_for_model(ContentPage).name, id=str(items["en"])
        )
        .body["_source"]
    )
    assert not any(name.startswith("_german") for name in document)
    german = (
        get_search_backend()
        .es.get(
            index=get_search_backend().get_index_for_model(ContentPage).name, id=str(items["de"])
        )
        .body["_source"]
    )
    assert "Eine Therapie gegen Fatigue" in german["_german_all_text"]
    assert "Eine Therapie gegen Fatigue" in german["_german_all_text_boost_2_0"]


def test_a_search_may_be_limited_to_one_language(items):
    assert set(matching_ids("fatigue")) == {items["de"], items["en"]}
    assert matching_ids("fatigue", language="de") == [items["de"]]
    assert matching_ids("fatigue", language="en-gb") == [items["en"]]
    assert matching_ids("fatig", autocomplete=True, language="de") == [items["de"]]
    assert set(matching_ids("fatigue", language="<script>")) == {items["de"], items["en"]}


def test_another_languages_items_take_no_place_among_the_best(search_backend, blog_index, items):
    for n in range(3):
        BlogPageFactory(parent=blog_index, title=f"Fatigue, fatigue {n}", body=body("Fatigue."))
    search_backend.sync()

    assert matching_ids("fatigue", language="de", limit=1) == [items["de"]]


def test_changing_an_items_language_reindexes_it(search_backend, blog_index, german, items):
    page = BlogPageFactory(parent=blog_index, title="Notizen", body=body("Der Arzt kam."))
    search_backend.sync()
    assert page.pk not in matching_ids("Ärzte")

    page = ContentPage.objects.get(pk=page.pk).specific
    page.locale = german
    page.save()
    search_backend.sync()

    assert page.pk in matching_ids("Ärzte", language="de")
