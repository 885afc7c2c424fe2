"""Each item is stemmed in its own language, and a search may be limited to one (issue 18).

On PostgreSQL a German item's title and body vectors are built with the
'german' configuration and an English item's with 'english'
(search/backends/); a search asks both, ORed, or the one of the language asked
for. SQLite's FTS5 has no German stemmer: there German items are also matched
by the words' Snowball German stems, as prefixes (search/hits.py). The
language filter narrows phase 1 on every backend. The engine's German
analysis is in tests/search/test_engine_language.py.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from wagtail.models import Locale

import pytest

from core.models import Audience, ContentPage
from search import hits
from search.hits import matching_ids, visitor_matching_ids
from tests.factories import BlogPageFactory
from tests.search.test_search import body

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's per-language configurations"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")


@pytest.fixture
def german():
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def items(blog_index, german):
    """A German item, an English one, and a word ("Fatigue") both are written with."""
    return {
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


# --- PostgreSQL: German stemming for German items, English for English ones ---------


@postgres_only
@pytest.mark.parametrize("word", ["Therapien", "Müdigkeiten", "Schmerz", "Ärzte", "Kindern"])
def test_a_german_item_is_found_by_an_inflection_of_its_words(items, word):
    # 'english' leaves each of these as written ("therapien", "schmerz",
    # "ärzte"), which no English stem of the item's "Therapie", "Müdigkeit",
    # "Schmerzen", "Arzt", "Kinder" is; 'german' stems both sides alike
    # ('therapi', 'mudig', 'schmerz', 'arzt', 'kind').
    assert items["de"] in matching_ids(word)
    assert items["de"] in matching_ids(word, language="de")


@postgres_only
def test_an_english_item_still_stems_in_english(items):
    assert items["en"] in matching_ids("therapies")
    assert items["en"] in matching_ids("therapies", language="en-gb")
    # Not in German: its vectors are English.
    assert matching_ids("afternoons", language="de") == []
    assert matching_ids("afternoons") == [items["en"]]


@postgres_only
def test_each_items_vectors_are_in_its_own_languages_configuration(items):
    """The index entries themselves: German lexemes for the German item, English for the other."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, title::text, body::text FROM wagtailsearch_indexentry "
            "WHERE object_id IN (%s, %s)",
            [str(items["de"]), str(items["en"])],
        )
        entries = {int(object_id): (title, text) for object_id, title, text in cursor.fetchall()}

    title, text = entries[items["de"]]
    # 'german': "Müdigkeit" -> 'mudig', "Schmerzen" -> 'schmerz', and "die" is a stop word.
    assert "'mudig'" in text and "'schmerz'" in text and "'die'" not in text
    assert "'therapi'" in title
    title, text = entries[items["en"]]
    # 'english': "afternoon" -> 'afternoon', "tiredness" -> 'tired'.
    assert "'tired'" in text and "'therapi'" in title


@postgres_only
def test_a_german_only_stem_does_not_match_an_english_item(blog_index, items):
    """The German tsquery is ORed for every language; it finds nothing in English vectors."""
    english = BlogPageFactory(
        parent=blog_index, title="Schmerzen, an English note", body=body("Spelled as is.")
    ).pk

    # "Schmerz" is 'schmerz' in German, and the English item's "Schmerzen" stays
    # 'schmerzen' in English: only the German item is found.
    assert matching_ids("Schmerz") == [items["de"]]
    assert english in matching_ids("Schmerzen")


@postgres_only
def test_changing_an_items_language_reindexes_it_in_the_new_configuration(
    blog_index, german, items
):
    page = BlogPageFactory(
        parent=blog_index, title="Notizen", body=body("Kopfschmerzen und Therapien.")
    )
    assert page.pk not in matching_ids("Kopfschmerz")

    page = ContentPage.objects.get(pk=page.pk).specific
    page.locale = german
    page.save()

    assert page.pk in matching_ids("Kopfschmerz")
    assert page.pk in matching_ids("Kopfschmerz", language="de")

    page.locale = Locale.objects.get(language_code="en-gb")
    page.save()

    assert page.pk not in matching_ids("Kopfschmerz")


@postgres_only
def test_autocomplete_stays_unstemmed_in_every_language(items):
    # 'simple' for every language: a typed prefix finds the word as written.
    assert matching_ids("Thera", autocomplete=True, language="de") == [items["de"]]
    assert set(matching_ids("Thera", autocomplete=True)) == {items["de"], items["en"]}


# --- SQLite: German items found by their German stems, as prefixes ------------------


@sqlite_only
@pytest.mark.parametrize("word", ["Therapien", "Müdigkeiten", "Ärzte", "Kindern"])
def test_on_sqlite_a_german_item_is_found_by_an_inflection_of_its_words(items, word):
    # FTS5 has no German stemmer: the word's Snowball German stem is asked as a
    # prefix of German items' words ("therapi"*, "mudig"*, "arzt"*, "kind"*).
    assert matching_ids(word, language="de") == [items["de"]]
    assert items["de"] in matching_ids(word)


@sqlite_only
def test_on_sqlite_german_prefixes_never_widen_an_english_items_matches(blog_index, items):
    english = BlogPageFactory(
        parent=blog_index, title="My kindle notes", body=body("Reading in bed.")
    ).pk

    # "Kindern" is "kind"* in German: the English "kindle" must not match it.
    assert english not in matching_ids("Kindern")
    # Its own words still find it; and in English no German prefix is asked.
    assert english in matching_ids("kindle")
    assert matching_ids("Therapien", language="en-gb") == []


@sqlite_only
def test_on_sqlite_direct_matches_come_before_other_forms(blog_index, german, items):
    direct = BlogPageFactory(
        parent=blog_index, locale=german, title="Therapien im Vergleich", body=body("Kurz.")
    ).pk

    found = matching_ids("Therapien")

    assert found.index(direct) < found.index(items["de"])


@sqlite_only
def test_on_sqlite_the_german_prefixes_walk_a_bounded_number_of_matches(
    blog_index, items, monkeypatch
):
    # Their match also finds English items ("therapi"* finds "therapy"), probed only
    # to be left out: a search of every language looks at the newest GERMAN_WALK.
    # The German item has "Therapie", found by "Therapien" only through "therapi"*.
    BlogPageFactory(parent=blog_index, title="Therapy notes", body=body("More about therapy."))
    assert items["de"] in matching_ids("Therapien")

    monkeypatch.setattr(hits, "GERMAN_WALK", 1)

    assert items["de"] not in matching_ids("Therapien")
    # Asked in German, every German match is looked at.
    assert matching_ids("Therapien", language="de") == [items["de"]]


# --- The language filter, on every database backend ----------------------------------


def test_a_search_may_be_limited_to_one_language(items):
    assert set(matching_ids("fatigue")) == {items["de"], items["en"]}
    assert matching_ids("fatigue", language="de") == [items["de"]]
    assert matching_ids("fatigue", language="en-gb") == [items["en"]]
    # Variants of a content language find it, as ``?lang=`` does.
    assert matching_ids("fatigue", language="DE-at") == [items["de"]]


def test_autocomplete_may_be_limited_to_one_language(items):
    assert set(matching_ids("fatig", autocomplete=True)) == {items["de"], items["en"]}
    assert matching_ids("fatig", autocomplete=True, language="de") == [items["de"]]
    assert matching_ids("fatig", autocomplete=True, language="en-gb") == [items["en"]]


def test_another_languages_items_take_no_place_among_the_best(blog_index, german, items):
    """With a limit of one, the German item is the one hit, however the English ones rank."""
    for n in range(3):
        BlogPageFactory(parent=blog_index, title=f"Fatigue, fatigue {n}", body=body("Fatigue."))

    assert matching_ids("fatigue", language="de", limit=1) == [items["de"]]


def test_the_language_filter_keeps_the_readers_audiences(blog_index, german, items, member):
    members = BlogPageFactory(
        parent=blog_index, locale=german, title="Fatigue für Mitglieder", body=body("Intern.")
    ).pk
    ContentPage.objects.filter(pk=members).update(audience=Audience.MEMBERS)

    assert matching_ids("fatigue", language="de") == [items["de"]]
    assert set(matching_ids("fatigue", language="de", user=member)) == {items["de"], members}


@pytest.mark.parametrize(
    "language",
    ["", "xx", "<script>alert(1)</script>", "de" * 500, ["de"], None, 7, "' OR 1=1 --"],
)
def test_anything_but_a_content_language_searches_every_language(items, language):
    assert set(matching_ids("fatigue", language=language)) == {items["de"], items["en"]}


def test_a_visitors_kept_hits_are_kept_per_language(items, monkeypatch):
    """The cache key holds the language: a German search is never served every language's ids."""
    monkeypatch.setattr(hits, "VISITOR_HITS_KEEP_FROM", 1)
    visitor = AnonymousUser()

    assert set(visitor_matching_ids("fatigue", user=visitor)) == {items["de"], items["en"]}
    assert visitor_matching_ids("fatigue", user=visitor, language="de") == [items["de"]]
    assert visitor_matching_ids("fatigue", user=visitor, language="en-gb") == [items["en"]]
    # And kept: the same again, from the cache.
    assert visitor_matching_ids("fatigue", user=visitor, language="de") == [items["de"]]
