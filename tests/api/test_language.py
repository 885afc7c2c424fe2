"""The public read API and content languages (issue 18): each page's ``language``, ``?lang=``.

Every page shows the language it is written in (its locale's code) in
listings and details; ``?lang=`` (or Wagtail's ``?locale=``) lists one
language's pages, combined with every other filter, and never anything a
visitor may not read. A value that is no content language is a 400 that says
which there are.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, PageViewRestriction

import pytest

from core.models import Audience, InformationPage
from search import params as search_params
from tests.api.conftest import API, SEARCH_WORD, assert_no_marker, body
from tests.api.test_queries import DETAIL_QUERIES, LISTING_QUERIES
from tests.factories import (
    AnswerPageFactory,
    BlogPageFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    QuestionPageFactory,
    UserFactory,
)
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

PAGES = f"{API}pages/"
ITEM_TYPES = [
    "blogs.BlogPage",
    "blogs.ExpertArticlePage",
    "experience_stories.ExperienceStoryPage",
    "questions.QuestionPage",
    "questions.AnswerPage",
]
CODES = "en-gb, de"


@pytest.fixture
def german(portal):
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def shelf(blog_index, expert_index, story_index, question_index, expert, german):
    """A German and an English public item of every item type, by name; every title holds
    ``SEARCH_WORD``."""
    pages = {}
    for language, locale in (("de", german), ("en", None)):
        extra = {"locale": locale} if locale else {}
        pages[f"{language}-blog"] = BlogPageFactory(
            parent=blog_index, title=f"{language} Blog {SEARCH_WORD}", **extra
        )
        pages[f"{language}-article"] = ExpertArticlePageFactory(
            parent=expert_index, author=expert, title=f"{language} Artikel {SEARCH_WORD}", **extra
        )
        pages[f"{language}-story"] = ExperienceStoryPageFactory(
            parent=story_index, title=f"{language} Geschichte {SEARCH_WORD}", **extra
        )
        question = QuestionPageFactory(
            parent=question_index, title=f"{language} Frage {SEARCH_WORD}?", **extra
        )
        pages[f"{language}-question"] = question
        pages[f"{language}-answer"] = AnswerPageFactory(
            parent=question, author=expert, title=f"{language} Antwort {SEARCH_WORD}", **extra
        )
    return pages


def german_ids(shelf) -> set[int]:
    return {page.pk for name, page in shelf.items() if name.startswith("de-")}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# The language field.


def test_every_listed_page_says_its_language(client, shelf, home, sections):
    items = client.get(PAGES, {"limit": 50}).json()["items"]  # the default fields
    languages = {item["id"]: item["language"] for item in items}

    assert {pk: languages[pk] for pk in german_ids(shelf)} == dict.fromkeys(german_ids(shelf), "de")
    assert languages[shelf["en-blog"].pk] == "en-gb"
    assert languages[home.pk] == "en-gb"
    assert {languages[section.pk] for section in sections.values()} == {"en-gb"}
    assert set(languages.values()) == {"en-gb", "de"}


@pytest.mark.parametrize("type_name", [*ITEM_TYPES, "blogs.BlogIndexPage", "core.HomePage"])
def test_every_type_says_its_language_by_default_and_with_every_field(client, shelf, type_name):
    for fields in ({}, {"fields": "*"}, {"fields": "_,id,language"}):
        items = client.get(PAGES, {"type": type_name, "limit": 50, **fields}).json()["items"]
        assert items, type_name
        for item in items:
            expected = "de" if item["id"] in german_ids(shelf) else "en-gb"
            assert item["language"] == expected, (type_name, fields, item)
            if fields.get("fields") == "*":
                # Wagtail's own ``meta.locale`` says the same.
                assert item["meta"]["locale"] == expected


def test_every_detail_says_its_language(client, shelf, home, blog_index):
    for name, page in shelf.items():
        detail = client.get(f"{PAGES}{page.pk}/").json()
        assert detail["language"] == ("de" if name.startswith("de-") else "en-gb"), name
    assert client.get(f"{PAGES}{home.pk}/").json()["language"] == "en-gb"
    assert client.get(f"{PAGES}{blog_index.pk}/").json()["language"] == "en-gb"


# The filter.


@pytest.mark.parametrize("value", ["de", "DE", "de-AT", " de "])
def test_lang_lists_one_language(client, shelf, value):
    assert ids(client.get(PAGES, {"lang": value, "limit": 50})) == german_ids(shelf)


@pytest.mark.parametrize("value", ["en-gb", "en", "EN-GB", "en-US"])
def test_lang_english_lists_no_german_page(client, shelf, home, value):
    found = ids(client.get(PAGES, {"lang": value, "limit": 50}))
    assert shelf["en-blog"].pk in found
    assert home.pk in found
    assert not found & german_ids(shelf)


def test_locale_is_the_same_filter(client, shelf):
    # Wagtail's own name, with the same reading of the value (it was an exact match
    # and a 404 for anything else).
    for value in ("de", "DE", "de-AT"):
        by_locale = client.get(PAGES, {"locale": value, "limit": 50, "fields": "*"})
        by_lang = client.get(PAGES, {"lang": value, "limit": 50, "fields": "*"})
        assert by_locale.status_code == 200
        assert by_locale.content == by_lang.content
    english = client.get(PAGES, {"locale": "en-gb", "limit": 50}).json()["items"]
    assert {item["language"] for item in english} == {"en-gb"}


@pytest.mark.parametrize("name", ["lang", "locale"])
def test_an_empty_value_means_every_language(client, shelf, name):
    everything = client.get(PAGES, {"limit": 50})
    assert client.get(PAGES, {name: "", "limit": 50}).content == everything.content


def test_lang_combines_with_type_child_of_and_fields(client, shelf, home, blog_index):
    two_types = "blogs.BlogPage,experience_stories.ExperienceStoryPage"
    question = shelf["de-question"]
    cases = [
        ({"type": "blogs.BlogPage"}, {shelf["de-blog"].pk}),
        ({"type": "blogs.BlogPage", "fields": "*"}, {shelf["de-blog"].pk}),
        ({"type": two_types, "fields": "*"}, {shelf["de-blog"].pk, shelf["de-story"].pk}),
        ({"type": "blogs.BlogIndexPage"}, set()),
        ({"child_of": blog_index.pk, "fields": "*"}, {shelf["de-blog"].pk}),
        ({"child_of": question.pk}, {shelf["de-answer"].pk}),
        ({"descendant_of": home.pk, "fields": "*"}, german_ids(shelf)),
        ({"order": "-title", "fields": "title,language"}, german_ids(shelf)),
        ({"title": shelf["de-blog"].title}, {shelf["de-blog"].pk}),
        ({"title": shelf["en-blog"].title}, set()),
    ]
    for params, expected in cases:
        response = client.get(PAGES, {**params, "lang": "de", "limit": 50})
        assert ids(response) == expected, params
        assert {item["language"] for item in response.json()["items"]} <= {"de"}
    # ``child_of`` still refuses ``descendant_of`` with a language given.
    both = client.get(PAGES, {"lang": "de", "child_of": home.pk, "descendant_of": home.pk})
    assert both.status_code == 400


def test_lang_combines_with_search(client, shelf):
    found = client.get(PAGES, {"lang": "de", "search": SEARCH_WORD, "limit": 50}).json()
    assert {item["id"] for item in found["items"]} == german_ids(shelf)
    assert found["meta"]["total_count"] == len(german_ids(shelf))
    typed = client.get(
        PAGES, {"lang": "de", "search": SEARCH_WORD, "type": "blogs.BlogPage", "fields": "*"}
    )
    assert ids(typed) == {shelf["de-blog"].pk}
    english = client.get(PAGES, {"lang": "en", "search": SEARCH_WORD, "limit": 50})
    assert ids(english) == {page.pk for name, page in shelf.items() if name.startswith("en-")}


def test_a_search_in_one_language_is_not_crowded_out_by_another(client, blog_index, german):
    # The search's best hits are asked for in the language: five English items that
    # rank higher must not take every place before the German one is kept.
    search_params.MAX_HITS, kept = 3, search_params.MAX_HITS
    try:
        for number in range(5):
            BlogPageFactory(parent=blog_index, title=f"Heron heron {number}")
        german_page = BlogPageFactory(
            parent=blog_index, title="Am Fluss", body=body("Ein heron am Wasser."), locale=german
        )
        found = client.get(PAGES, {"lang": "de", "search": "heron"})
        assert ids(found) == {german_page.pk}
    finally:
        search_params.MAX_HITS = kept


def test_lang_pages_through_one_language(client, shelf):
    first = client.get(PAGES, {"lang": "de", "limit": 3}).json()
    rest = client.get(PAGES, {"lang": "de", "limit": 3, "offset": 3}).json()
    assert first["meta"]["total_count"] == len(german_ids(shelf)) == 5
    assert len(first["items"]) == 3
    assert len(rest["items"]) == 2
    assert {item["id"] for item in first["items"] + rest["items"]} == german_ids(shelf)


# Readability: the filter narrows what a visitor may read, never widens it.


@pytest.fixture
def german_hidden(blog_index, story_index, community_index, german):
    """German items a visitor may not read, each with its marker, and a public German one."""
    words = {
        kind: {
            "title": f"hiddengerman{kind}marker {SEARCH_WORD}",
            "summary": f"hiddengerman{kind}marker",
            "locale": german,
        }
        for kind in ("members", "draft", "community", "restricted")
    }
    BlogPageFactory(parent=blog_index, audience=Audience.MEMBERS, **words["members"])
    BlogPageFactory(parent=blog_index, publish=False, **words["draft"])
    community = CommunityPageFactory(parent=community_index, title="Gruppe", is_listed=False)
    ExperienceStoryPageFactory(
        parent=story_index, audience=Audience.COMMUNITY, community=community, **words["community"]
    )
    restricted = BlogPageFactory(parent=blog_index, **words["restricted"])
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    author = UserFactory(display_name="Öffentliche Autorin")
    ProfileFactory(user=author, visibility="everyone")
    return BlogPageFactory(
        parent=blog_index, author=author, title=f"Öffentlich {SEARCH_WORD}", locale=german
    )


def german_listings(home, sections):
    urls = [
        {},
        {"fields": "*"},
        {"search": SEARCH_WORD, "fields": "*"},
        {"descendant_of": home.pk, "fields": "*"},
        {"order": "-first_published_at", "fields": "*"},
    ]
    urls += [{"child_of": section.pk, "fields": "*"} for section in sections.values()]
    urls += [{"type": type_name, "fields": "*"} for type_name in ITEM_TYPES]
    urls += [{"type": type_name, "search": SEARCH_WORD} for type_name in ITEM_TYPES]
    return [{name: "de", **params, "limit": 50} for params in urls for name in ("lang", "locale")]


def test_no_hidden_german_item_in_a_german_listing(client, german_hidden, home, sections):
    seen_public = 0
    for params in german_listings(home, sections):
        response = client.get(PAGES, params)
        assert response.status_code == 200, params
        assert b"hiddengerman" not in response.content, params
        assert_no_marker(response.content)
        seen_public += german_hidden.pk in ids(response)
    # The canary could not pass empty: the public German item is listed where it belongs
    # (every listing above but the other types' and the other sections').
    assert seen_public >= 12
    listed = client.get(PAGES, {"lang": "de", "limit": 50}).json()
    assert [item["title"] for item in listed["items"]] == [f"Öffentlich {SEARCH_WORD}"]
    assert listed["meta"]["total_count"] == 1


# Hostile values: a clear 400 in the API's error style, never a 500, never echoed.

HOSTILE_VALUES = [
    *PAYLOADS[:3],
    "x" * 10_000,
    "de" * 5_000,
    "fr",
    "zz",
    "de_DE",
    "-de",
    "d e",
    "de\x00",
    "ＤＥ",
    "%00",
    "../de",
    "de;DROP TABLE wagtailcore_locale",
]


@pytest.mark.parametrize("name", ["lang", "locale"])
@pytest.mark.parametrize(
    "value",
    HOSTILE_VALUES,
    ids=[f"{index}:{value[:12]!r}" for index, value in enumerate(HOSTILE_VALUES)],
)
def test_a_value_that_is_no_content_language_is_a_clear_400(client, shelf, name, value):
    response = client.get(PAGES, {name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": f"{name} must be one of the content languages: {CODES}"}


@pytest.mark.parametrize(
    "params",
    [
        {"lang": ["de", "en"]},
        {"lang": ["de", "de"]},
        {"lang": ["", "de"]},
        {"locale": ["de", "en-gb"]},
        {"lang": "de", "locale": "de"},
        {"lang": "de", "locale": "en"},
    ],
    ids=str,
)
def test_a_language_given_twice_is_a_clear_400(client, shelf, params):
    response = client.get(PAGES, params)
    assert response.status_code == 400
    assert response.json() == {"message": "give the language once, as lang or as locale"}


def test_other_endpoints_and_names_refuse_a_language(client, shelf):
    for endpoint in (f"{API}images/", f"{API}documents/"):
        assert client.get(endpoint, {"lang": "de"}).status_code == 400
    # ``language`` is a field to show, not one to filter by (``lang`` is).
    refused = client.get(PAGES, {"language": "de"})
    assert refused.status_code == 400
    assert "language" in refused.json()["message"]


# Queries: the language costs none per page.

LANGUAGE_LISTINGS = [
    {"lang": "de"},
    {"lang": "de", "fields": "*"},
    {"locale": "de", "fields": "*"},
    {"lang": "de", "type": "blogs.BlogPage", "fields": "*"},
    {"lang": "de", "type": "blogs.BlogPage,experience_stories.ExperienceStoryPage", "fields": "*"},
    {"lang": "de", "search": "walk", "type": "blogs.BlogPage", "fields": "*"},
    {"lang": "de", "order": "-first_published_at", "fields": "*"},
    {"fields": "*"},
]


def add_german_items(count, *, blog_index, story_index, german, start=0):
    for number in range(start, start + count):
        author = UserFactory(display_name=f"Schreiberin {number}")
        ProfileFactory(user=author, visibility="everyone")
        BlogPageFactory(
            parent=blog_index,
            author=author,
            title=f"Walk {number}",
            tags=[f"t{number}", "walks"],
            locale=german,
        )
        ExperienceStoryPageFactory(
            parent=story_index, author=author, title=f"Story {number}", locale=german
        )


def count_queries(client, params, assert_max) -> tuple[list, int]:
    """The listing's queries (at most ``LISTING_QUERIES``) and its number of items."""
    # Asked once first: the site's root paths and the searched content types are
    # cached for every later request.
    client.get(PAGES, {**params, "limit": 20})
    with assert_max(LISTING_QUERIES), CaptureQueriesContext(connection) as queries:
        response = client.get(PAGES, {**params, "limit": 20})
    assert response.status_code == 200
    return queries.captured_queries, len(response.json()["items"])


@pytest.mark.parametrize("params", LANGUAGE_LISTINGS, ids=str)
def test_one_german_item_and_ten_cost_the_same_queries(
    client, blog_index, story_index, german, params, django_assert_max_num_queries
):
    add_german_items(1, blog_index=blog_index, story_index=story_index, german=german)
    one, shown_one = count_queries(client, params, django_assert_max_num_queries)
    add_german_items(9, blog_index=blog_index, story_index=story_index, german=german, start=1)
    ten, shown_ten = count_queries(client, params, django_assert_max_num_queries)
    assert shown_ten > shown_one >= 1
    assert len(ten) == len(one)
    assert locale_reads(ten) == []


def locale_reads(queries) -> list[str]:
    """The queries that read the locale table on its own (a join with the pages is free)."""
    return [query["sql"] for query in queries if 'FROM "wagtailcore_locale"' in query["sql"]]


def test_a_detail_costs_no_query_for_its_language(
    client, blog_index, german, home, django_assert_max_num_queries
):
    page = BlogPageFactory(parent=blog_index, tags=["a", "b"], locale=german)
    client.get(PAGES)
    for target, language in ((page, "de"), (blog_index, "en-gb"), (home, "en-gb")):
        with (
            django_assert_max_num_queries(DETAIL_QUERIES),
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.get(f"{PAGES}{target.pk}/")
        assert response.json()["language"] == language
        # The locale comes joined with the page (it was a query of its own).
        assert locale_reads(queries) == [], target


def test_the_site_pages_german_texts_are_not_listed_as_german_pages(client, site_pages):
    # ``setup_portal`` keeps the site pages' German texts as Wagtail translations in a
    # tree of their own that belongs to no site (shown at the English page's address to
    # a German reader); the API serves the site's one tree, where they are English pages.
    assert InformationPage.objects.filter(locale__language_code="de", live=True).exists()
    listed = client.get(PAGES, {"type": "core.InformationPage", "limit": 50}).json()["items"]
    assert listed
    assert {item["language"] for item in listed} == {"en-gb"}
    german = client.get(PAGES, {"type": "core.InformationPage", "lang": "de"}).json()
    assert german == {"meta": {"total_count": 0}, "items": []}
