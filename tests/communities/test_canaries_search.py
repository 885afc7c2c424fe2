"""The audience rule in search: results, facets, counts, autocomplete, spelling, excerpts, picks.

Run here on the database backend, and again on a real engine by
tests/engine/test_audience_on_engine.py (same functions; ``search_backend``
switched to the engine there). Every persona searches for the word on every
item (``SHARED``); the counts expected are worked out from ``READS``, never
from the code under test, and the member of A is the positive control.
"""

import json

from django.urls import reverse

import pytest

from search.hits import matching_ids
from search.params import search_params
from search.selectors import (
    autocomplete_titles,
    promoted_results,
    search_content,
    spelling_suggestion,
)
from tests.communities.conftest import (
    PERSONAS,
    PUBLIC_TAG,
    READS,
    SHARED,
    hidden_words,
    leaks,
    page_text,
    word,
)

pytestmark = pytest.mark.django_db

RESULTS = reverse("search:results")
AUTOCOMPLETE = reverse("search:autocomplete")


def _search_urls():
    return [
        f"{RESULTS}?q={SHARED}",
        f"{RESULTS}?q={SHARED}&sort=newest",
        f"{RESULTS}?q={SHARED}&sort=rating",
        f"{RESULTS}?q={SHARED}&tag={PUBLIC_TAG}",
        f"{RESULTS}?q={SHARED}&type=blog",
        f"{RESULTS}?q={SHARED}+notes",
        # A title word, misspelled: "Did you mean" must not offer what the reader cannot read.
        f"{RESULTS}?q=zqatitlecanarx",
        f"{RESULTS}?q=zqutitlecanarx",
        f"{AUTOCOMPLETE}?q=zq",
        f"{AUTOCOMPLETE}?q=plinth",
    ]


def test_search_pages_show_no_canary(search_backend, world):
    search_backend.sync()
    problems = []
    for persona in PERSONAS:
        client = world.client(persona)
        for url in _search_urls():
            response = client.get(url)
            found = leaks(page_text(response), hidden_words(persona))
            if response.status_code != 200:
                problems.append(f"{persona} got {response.status_code} at {url}")
            if found:
                problems.append(f"{persona} saw {sorted(found)} at {url}")
    assert not problems, "\n".join(problems)
    # The positive control: the member of A finds A's item, its excerpt and its pick.
    text = page_text(world.client("a_member").get(f"{RESULTS}?q={SHARED}"))
    for part in ("title", "summary", "promo"):
        assert word("a", part) in text, part


def test_counts_and_facets_count_only_readable_items(search_backend, world):
    search_backend.sync()
    for persona in PERSONAS:
        results = search_content(user=world.user(persona), params=search_params({"q": SHARED}))
        expected = len(READS[persona])
        assert results.total == expected, persona
        shown = {item.pk for item in results.items.object_list}
        assert shown == {world.items[item].pk for item in READS[persona]}, persona
        tags = {option.value: option.count for option in results.tag_facet}
        assert tags.get(PUBLIC_TAG) == expected, persona
        assert sum(option.count for option in results.type_facet) == expected, persona
        for item in ("members", "a", "u", "b"):
            assert (word(item, "tag") in tags) == (item in READS[persona]), (persona, item)


def test_autocomplete_spelling_and_picks(search_backend, world):
    search_backend.sync()
    for persona in PERSONAS:
        user = world.user(persona)
        readable_titles = {world.items[item].title for item in READS[persona]}
        titles = {hit["title"] for hit in autocomplete_titles(user=user, query="zq")}
        assert titles == readable_titles, persona
        picks = {pick["description"] for pick in promoted_results(user=user, query=SHARED)}
        assert picks == {word(item, "promo") for item in READS[persona]}, persona
        for item in ("a", "u", "b"):
            suggestion = spelling_suggestion(user=user, query=f"zq{item}titlecanarx") or ""
            assert (word(item, "title") in suggestion) == (item in READS[persona]), (
                persona,
                item,
            )


def test_autocomplete_endpoint_answers_json_without_canaries(search_backend, world):
    search_backend.sync()
    for persona in PERSONAS:
        response = world.client(persona).get(AUTOCOMPLETE, {"q": "zq"})
        titles = {hit["title"] for hit in json.loads(response.content)["results"]}
        assert titles == {world.items[item].title for item in READS[persona]}, persona


def test_the_index_is_asked_only_for_the_readers_audiences(search_backend, world):
    """Phase 1 (the backend's ids) is narrowed to the reader's audiences too.

    On the engine, this is the engine's own filter: an item outside them never
    comes back, so it can neither take a place among the best hits nor reach
    the database's final check. On the database backends the same ids are
    narrowed in the query that reads them.
    """
    search_backend.sync()
    for persona in PERSONAS:
        ids = set(matching_ids(SHARED, user=world.user(persona)))
        assert ids == {world.items[item].pk for item in READS[persona]}, persona
        ids = set(matching_ids("zq", user=world.user(persona), autocomplete=True))
        assert ids == {world.items[item].pk for item in READS[persona]}, persona
