"""The search suite every backend must pass.

It runs here on the backend the settings give (Wagtail's database backend:
SQLite FTS5, or PostgreSQL full text with DATABASE_URL), and again in
tests/engine on a real Elasticsearch/OpenSearch node (same functions, the
``search_backend`` fixture switched to the engine).
"""

import json
import time

from django.db import connection
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

import pytest
from bs4 import BeautifulSoup

from core import roles
from core.models import Condition, ContentPage
from moderation.services import page_submit_for_review, review_request_changes
from ratings.models import RatingSummary
from search.models import ZeroResultQueryDay
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    UserFactory,
)
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

RESULTS = reverse("search:results")
AUTOCOMPLETE = reverse("search:autocomplete")


def body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


def hit_titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [node.get_text(strip=True) for node in soup.select(".search-hit-title")]


def facet(response, name):
    """``{label: count}`` of one facet on the results page."""
    soup = BeautifulSoup(response.content, "html.parser")
    options = {}
    for link in soup.select(f'ul[data-facet="{name}"] a'):
        count = link.select_one(".facet-count").get_text(strip=True).strip("()")
        label = link.contents[0].strip()
        options[label] = int(count)
    return options


def search(client, **params):
    response = client.get(RESULTS, params)
    assert response.status_code == 200
    return response


def test_a_title_match_ranks_above_a_body_match(client, search_backend, blog_index):
    # The body-only match is newer, so only relevance puts the title first.
    BlogPageFactory(parent=blog_index, title="Lighthouse keeping with MS", body=body("Calm."))
    BlogPageFactory(
        parent=blog_index,
        title="A quiet weekend away",
        body=body("We walked to the old lighthouse and back, slowly."),
    )
    search_backend.sync()

    response = search(client, q="lighthouse")

    assert hit_titles(response) == ["Lighthouse keeping with MS", "A quiet weekend away"]
    assert hit_titles(search(client, q="lighthouse", sort="newest")) == [
        "A quiet weekend away",
        "Lighthouse keeping with MS",
    ]


def test_results_show_type_author_date_rating_and_a_marked_excerpt(
    client, search_backend, blog_index
):
    author = UserFactory(group=roles.MEMBERS, display_name="Rowan Writer")
    page = BlogPageFactory(
        parent=blog_index,
        author=author,
        title="Cooling vests",
        summary="What I wear on hot days.",
        body=body("My cooling vest keeps the heat away on the train."),
    )
    RatingSummary.objects.create(page=page, count=4, total=18, bayesian_score="4.1000")
    search_backend.sync()

    response = search(client, q="vest")
    html = response.content.decode()
    hit = BeautifulSoup(html, "html.parser").select_one(".search-hit")

    assert hit.select_one(".card-type").get_text(strip=True) == "Blog post"
    assert "Rowan Writer" in hit.select_one(".byline").get_text()
    assert hit.select_one("time")["datetime"].startswith(str(page.first_published_at.date()))
    assert "4.5 (4)" in hit.get_text()
    assert [mark.get_text() for mark in hit.select(".search-excerpt mark")] == ["vest"]


def test_filters_facets_and_sorting_work_together(
    client, search_backend, blog_index, story_index, expert_index
):
    relapsing = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    progressive = Condition.objects.create(name="Progressive MS", slug="progressive-ms")
    BlogPageFactory(parent=blog_index, title="Garden diary one", tags=["gardening"])
    BlogPageFactory(parent=blog_index, title="Garden diary two", tags=["gardening", "energy"])
    top = ExperienceStoryPageFactory(
        parent=story_index, title="Garden therapy", condition=relapsing, tags=["gardening"]
    )
    ExperienceStoryPageFactory(
        parent=story_index, title="Garden in a wheelchair", condition=progressive, tags=["energy"]
    )
    ExpertArticlePageFactory(parent=expert_index, title="Garden safety in heat")
    RatingSummary.objects.create(page=top, count=10, total=48, bayesian_score="4.6000")
    search_backend.sync()

    everything = search(client, q="garden")
    assert len(hit_titles(everything)) == 5
    assert facet(everything, "type") == {"Blog post": 2, "Expert article": 1, "Experience story": 2}
    assert facet(everything, "tag") == {"gardening": 3, "energy": 2}
    assert facet(everything, "condition") == {"Relapsing MS": 1, "Progressive MS": 1}

    stories = search(client, q="garden", type="story", sort="rating")
    assert hit_titles(stories) == ["Garden therapy", "Garden in a wheelchair"]
    # Disjunctive: the type facet still counts the other types, the others narrow.
    assert facet(stories, "type") == {"Blog post": 2, "Expert article": 1, "Experience story": 2}
    assert facet(stories, "tag") == {"gardening": 1, "energy": 1}

    tagged = search(client, q="garden", type="story", tag="gardening")
    assert hit_titles(tagged) == ["Garden therapy"]
    assert facet(tagged, "type") == {"Blog post": 2, "Experience story": 1}

    by_condition = search(client, q="garden", condition="progressive-ms")
    assert hit_titles(by_condition) == ["Garden in a wheelchair"]


def test_pages_keep_the_filters_and_the_order(client, search_backend, blog_index, story_index):
    for number in range(14):
        BlogPageFactory(parent=blog_index, title=f"Meadow walk {number}")
    ExperienceStoryPageFactory(parent=story_index, title="Meadow story")
    search_backend.sync()

    first = search(client, q="meadow", type="blog", sort="newest")
    soup = BeautifulSoup(first.content, "html.parser")
    titles = hit_titles(first)
    next_link = soup.select_one('.pagination a[rel="next"]')["href"]

    assert len(titles) == 12
    assert titles[0] == "Meadow walk 13"
    assert "q=meadow" in next_link and "type=blog" in next_link and "sort=newest" in next_link
    second = client.get(next_link)
    assert second.status_code == 200
    assert hit_titles(second) == ["Meadow walk 1", "Meadow walk 0"]
    # A filter link starts again at page 1 and keeps the order.
    story_link = soup.select_one('ul[data-facet="type"] a[href*="type=story"]')["href"]
    assert "page=" not in story_link and "sort=newest" in story_link


@pytest.mark.parametrize(
    ("queries", "titles"),
    [
        (("steroid", "steroids", "Steroids"), ["Steroid courses", "A quiet week"]),
        # Far apart in spelling (three edits), so only stemming brings them together.
        (("therapy", "therapies"), ["Therapy dogs", "A busy month"]),
    ],
)
def test_singular_and_plural_find_the_same_items(
    client, search_backend, blog_index, queries, titles
):
    BlogPageFactory(parent=blog_index, title="Steroid courses", body=body("Short and sharp."))
    BlogPageFactory(parent=blog_index, title="A quiet week", body=body("The steroids kept me up."))
    BlogPageFactory(parent=blog_index, title="Therapy dogs", body=body("Calm company."))
    BlogPageFactory(parent=blog_index, title="A busy month", body=body("Three therapies at once."))
    BlogPageFactory(parent=blog_index, title="Sunscreen", body=body("Nothing related here."))
    search_backend.sync()

    for query in queries:
        response = search(client, q=query)
        assert sorted(hit_titles(response)) == sorted(titles), query
        # The inflected word in the excerpt is marked as the query's word.
        marked = {
            mark.get_text().lower()
            for mark in BeautifulSoup(response.content, "html.parser").select("mark")
        }
        assert marked & {"steroids", "therapies"}, query


def test_suggestions_complete_a_word_as_it_is_typed(client, search_backend, blog_index):
    # Autocomplete is not stemmed: "runn" (a stem of nothing) still finds "Running".
    BlogPageFactory(parent=blog_index, title="Running in the heat")
    search_backend.sync()

    for prefix in ("ru", "runn", "runni", "running"):
        titles = [hit["title"] for hit in client.get(AUTOCOMPLETE, {"q": prefix}).json()["results"]]
        assert titles == ["Running in the heat"], prefix


def test_autocomplete_suggests_readable_titles_as_json(client, search_backend, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Pelvic floor physiotherapy")
    BlogPageFactory(parent=blog_index, title="Pelvic pain diary", publish=False)
    BlogPageFactory(parent=blog_index, title="Something else entirely")
    search_backend.sync()

    response = client.get(AUTOCOMPLETE, {"q": "pelv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [{"title": page.title, "url": page.url, "type": "Blog post"}]
    }
    assert client.get(AUTOCOMPLETE, {"q": "p"}).json() == {"results": []}


def test_promoted_results_come_first_for_their_query(client, search_backend, blog_index):
    BlogPageFactory(parent=blog_index, title="Sunscreen and steroids")
    pick = BlogPageFactory(parent=blog_index, title="Our guide to summer", summary="Long days.")
    withdrawn = BlogPageFactory(parent=blog_index, title="Old summer guide")
    query = Query.get("sunscreen")
    SearchPromotion.objects.create(query=query, page=pick, sort_order=0, description="Start here")
    SearchPromotion.objects.create(query=query, page=withdrawn, sort_order=1)
    withdrawn.unpublish()
    search_backend.sync()

    response = search(client, q="Sunscreen")
    soup = BeautifulSoup(response.content, "html.parser")
    picks = [link.get_text(strip=True) for link in soup.select(".search-pick a")]

    assert picks == ["Our guide to summer"]
    assert "Start here" in soup.select_one(".search-promotions").get_text()
    assert hit_titles(response) == ["Sunscreen and steroids"]
    # The picks come before the results in the page.
    html = response.content.decode()
    assert html.index("Our guide to summer") < html.index("Sunscreen and steroids")
    assert search(client, q="steroids").content.decode().count("search-pick") == 0


CANARY = "zebracanary"


@pytest.fixture
def hidden_canaries(blog_index, expert_index, expert, editor, superuser):
    """The canary word only in items a visitor may not read, each in a different way."""
    words = {
        "title": f"{CANARY} notes",
        "summary": f"{CANARY} summary",
        "body": body(f"The {CANARY} body text."),
        "tags": ["canarytag"],
    }
    BlogPageFactory(parent=blog_index, publish=False, slug="draft", **words)
    in_review = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, slug="in-review", **words
    )
    page_submit_for_review(page=in_review, user=expert)
    rejected = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, slug="rejected", **words
    )
    page_submit_for_review(page=rejected, user=expert)
    review_request_changes(page=rejected, user=editor, comment="Please rework.")
    unpublished = BlogPageFactory(parent=blog_index, slug="unpublished", **words)
    unpublished.unpublish()
    private = BlogPageFactory(parent=blog_index, slug="private", **words)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    # Live, with a newer draft that carries the canary: only the draft has it.
    live = BlogPageFactory(parent=blog_index, title="Shared canary-free notes", tags=["plain"])
    live.title = f"{CANARY} draft title"
    live.summary = f"{CANARY} draft summary"
    live.body = body(f"{CANARY} draft body")
    live.save_revision(user=superuser)
    return live


def test_the_canary_never_appears_to_readers(client, search_backend, hidden_canaries):
    search_backend.sync()

    for params in ({"q": CANARY}, {"q": CANARY, "tag": "canarytag"}, {"q": CANARY, "type": "blog"}):
        response = search(client, **params)
        assert hit_titles(response) == []
        assert (
            CANARY
            not in response.content.decode()
            .replace(f"“{CANARY}", "")
            .replace(f"q={CANARY}", "")
            .split("</form>", 2)[-1]
        )
    for prefix in ("zebra", "zebraca", CANARY):
        assert client.get(AUTOCOMPLETE, {"q": prefix}).json() == {"results": []}


def test_hidden_items_do_not_count_in_facets_or_excerpts(client, search_backend, hidden_canaries):
    search_backend.sync()

    response = search(client, q="notes")

    # Only the live page's published version matches, with its own words.
    assert hit_titles(response) == ["Shared canary-free notes"]
    assert facet(response, "type") == {"Blog post": 1}
    assert facet(response, "tag") == {"plain": 1}
    assert CANARY not in response.content.decode()


def test_a_stale_index_entry_never_leaks(client, search_backend, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Quarry swimming")
    search_backend.sync()
    # Taken offline behind the index's back (no signal, no task): the index
    # still says live, the database decides.
    type(page).objects.filter(pk=page.pk).update(live=False)

    assert hit_titles(search(client, q="quarry")) == []
    assert client.get(AUTOCOMPLETE, {"q": "quarr"}).json() == {"results": []}


def test_an_anonymous_story_never_names_its_author(client, search_backend, story_index):
    author = UserFactory(group=roles.MEMBERS, display_name="Secret Sam")
    ExperienceStoryPageFactory(
        parent=story_index, author=author, is_anonymous=True, title="Orchard days"
    )
    search_backend.sync()

    response = search(client, q="orchard")

    assert hit_titles(response) == ["Orchard days"]
    assert "Secret Sam" not in response.content.decode()
    assert "Anonymous member" in response.content.decode()
    assert "Secret Sam" not in client.get(AUTOCOMPLETE, {"q": "orch"}).content.decode()


def test_typos_are_forgiven_where_the_backend_can(client, search_backend, blog_index):
    BlogPageFactory(parent=blog_index, title="Neurologist appointments")
    search_backend.sync()

    response = search(client, q="neurolgist")

    if search_backend.is_engine:
        assert hit_titles(response) == ["Neurologist appointments"]
    else:
        # Wagtail's database backends have no fuzzy matching (see search.selectors).
        assert hit_titles(response) == []


def test_a_typo_in_the_first_two_letters_is_left_to_did_you_mean(
    client, search_backend, blog_index
):
    BlogPageFactory(parent=blog_index, title="Neurologist appointments")
    search_backend.sync()

    # The engine keeps a term's first two letters as typed (search.hits
    # FUZZY_PREFIX_LENGTH: fewer words to expand to); the database backends
    # forgive no typo. Either way the reader is offered the word.
    response = search(client, q="beurologist")
    assert hit_titles(response) == []
    assert did_you_mean(response)[0] == "neurologist"
    assert hit_titles(search(client, q="neruologist")) == (
        ["Neurologist appointments"] if search_backend.is_engine else []
    )


def did_you_mean(response):
    """The "Did you mean …?" link as ``(text, href)``, or None."""
    link = BeautifulSoup(response.content, "html.parser").select_one(".search-did-you-mean a")
    return (link.get_text(strip=True), link["href"]) if link else None


def test_a_typo_that_finds_nothing_offers_the_corrected_search(client, search_backend, blog_index):
    BlogPageFactory(parent=blog_index, title="Fatigue at work", tags=["mindfulness"])
    BlogPageFactory(parent=blog_index, title="Physiotherapy at home")
    search_backend.sync()

    # Too far from "physiotherapy" for the engine's fuzzy query too (3 edits).
    response = search(client, q="fysioterapy", sort="newest")
    assert hit_titles(response) == []
    text, href = did_you_mean(response)
    assert text == "physiotherapy"
    assert "q=physiotherapy" in href and "sort=newest" in href
    assert hit_titles(client.get(href)) == ["Physiotherapy at home"]

    response = search(client, q="fatige")
    if search_backend.is_engine:
        # The engine forgives one or two edits: results, so nothing to suggest.
        assert hit_titles(response) == ["Fatigue at work"]
        assert did_you_mean(response) is None
    else:
        assert hit_titles(response) == []
        assert did_you_mean(response)[0] == "fatigue"
    # Tags are words the reader can find too (stemmed to "mind", too far for fuzziness).
    assert did_you_mean(search(client, q="mindfullnes"))[0] == "mindfulness"
    # Nothing close: no guess. Results: no suggestion.
    assert did_you_mean(search(client, q="xylophone")) is None
    assert did_you_mean(search(client, q="fatigue")) is None


def test_suggestions_never_come_from_items_the_reader_may_not_read(
    client, search_backend, hidden_canaries
):
    search_backend.sync()

    for query in ("zebracanory", "zebracanar", "canarytog", "draft titel"):
        response = search(client, q=query)
        assert did_you_mean(response) is None, query
        assert CANARY not in response.content.decode()
        assert "canarytag" not in response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_titles_and_queries_are_escaped(client, search_backend, blog_index, payload):
    BlogPageFactory(
        parent=blog_index, title=f"Harbour {payload}", summary=f"Harbour {payload}", tags=["x"]
    )
    search_backend.sync()

    response = search(client, q=f"harbour {payload}")
    assert_harmless(response.content.decode(), "search results")
    suggestions = client.get(AUTOCOMPLETE, {"q": f"harbo {payload}"[:200]})
    assert suggestions.status_code == 200
    json.dumps(suggestions.json())  # valid JSON; the browser inserts it as text


def test_searches_are_logged_without_who_searched(client, search_backend, blog_index, member):
    BlogPageFactory(parent=blog_index, title="Kayak trips")
    search_backend.sync()
    client.force_login(member)

    search(client, q="  Kayak  ")
    search(client, q="kayak", page="2")  # paging is not another search
    search(client, q="")  # nothing to log
    search(client, q="xylophone")

    assert Query.get("kayak").hits == 1
    assert list(ZeroResultQueryDay.objects.values_list("query__query_string", "hits")) == [
        ("xylophone", 1)
    ]
    assert Query.objects.count() == 2


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 10_000},
        {"q": '"unbalanced quote'},
        {"q": "fatigue AND (heat OR NOT"},
        {"q": "NEAR(a b) title:x * ^ ~ -x +y"},
        {"q": "x\x00y\x01z"},
        {"q": "\u202e\u200b\ud7ff\U0001f600 𝕏 ﷺ é"},
        {"q": "\\"},
        {"q": "İ" * 200},
        {"q": "heat", "page": "abc", "sort[]": "x", "type[]": "blog"},
        {"q": "heat", "page": "-5", "sort": "drop table", "type": "nonsense"},
        {"q": "heat", "page": "99999999999999999999999", "tag": "<script>", "condition": "a" * 500},
    ],
)
def test_hostile_queries_get_a_normal_page_quickly(client, search_backend, blog_index, params):
    BlogPageFactory(parent=blog_index, title="Heat and fatigue")
    search_backend.sync()

    started = time.perf_counter()
    response = client.get(RESULTS, params)
    suggestions = client.get(AUTOCOMPLETE, {"q": params["q"]})

    assert response.status_code == 200
    assert suggestions.status_code == 200
    assert time.perf_counter() - started < 3
    assert_harmless(response.content.decode(), "hostile query")


def test_search_and_autocomplete_answer_get_only(client, search_backend):
    assert client.post(RESULTS, {"q": "x"}).status_code == 405
    assert client.post(AUTOCOMPLETE, {"q": "x"}).status_code == 405


def add_matching_items(blog_index, story_index, count, *, start):
    condition, _ = Condition.objects.get_or_create(name="Relapsing MS", slug="relapsing-ms")
    for number in range(start, start + count):
        author = UserFactory(group=roles.MEMBERS)
        page = BlogPageFactory(
            parent=blog_index, author=author, title=f"Tandem ride {number}", tags=[f"t{number}"]
        )
        RatingSummary.objects.create(page=page, count=2, total=8, bayesian_score="4.0000")
        ExperienceStoryPageFactory(
            parent=story_index,
            title=f"Tandem story {number}",
            condition=condition,
            tags=[f"s{number}"],
        )


# The search's own ~19: content types, the backend hits and the view
# restrictions, facets (3), ids, cards and their tags, promotions, the query
# log (with savepoints); then the page around it for a signed-in member
# (session, user, site, navigation, notification count, permissions).
RESULTS_CEILING = 30
AUTOCOMPLETE_CEILING = 6


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_counts_do_not_grow_with_hits_tags_or_ratings(
    client,
    search_backend,
    blog_index,
    story_index,
    member,
    signed_in,
    django_assert_max_num_queries,
):
    if signed_in:
        client.force_login(member)
    add_matching_items(blog_index, story_index, 2, start=0)
    search_backend.sync()
    with django_assert_max_num_queries(RESULTS_CEILING):
        search(client, q="tandem", sort="rating")
    with django_assert_max_num_queries(AUTOCOMPLETE_CEILING):
        client.get(AUTOCOMPLETE, {"q": "tand"})

    add_matching_items(blog_index, story_index, 12, start=2)
    search_backend.sync()
    with django_assert_max_num_queries(RESULTS_CEILING):
        response = search(client, q="tandem", sort="rating")
    assert len(hit_titles(response)) == 12
    with django_assert_max_num_queries(AUTOCOMPLETE_CEILING):
        assert len(client.get(AUTOCOMPLETE, {"q": "tand"}).json()["results"]) == 8


def test_the_hits_go_to_the_database_as_one_parameter(
    client, search_backend, blog_index, story_index
):
    # Django compiles a list of ids into one placeholder and one value per id:
    # for the 300 hits a common word reaches, about half of the readable
    # filter's time at 100,000 items (benchmarks/README.md, "Search at
    # 100,000 items"). The readable filter, the hits' tags and the order
    # (sort=rating) each get the ids as one parameter instead.
    add_matching_items(blog_index, story_index, 7, start=0)
    search_backend.sync()
    pks = set(ContentPage.objects.filter(title__startswith="Tandem").values_list("pk", flat=True))

    for sort in ("relevance", "rating"):
        seen = []

        def record(execute, sql, params, many, context, seen=seen):
            seen.append([value for value in params or () if isinstance(value, int)])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = search(client, q="tandem", sort=sort)

        # All 14 found; a page shows 12 (the cards' query names those 12).
        assert "14 results" in response.content.decode()
        assert len(hit_titles(response)) == 12
        assert max(len(pks.intersection(values)) for values in seen) < len(pks), sort


def test_a_suggestion_costs_the_same_queries_whatever_the_number_of_items(
    client, search_backend, blog_index, django_assert_max_num_queries
):
    created = 0
    for count in (2, 12):
        for number in range(created, count):
            BlogPageFactory(
                parent=blog_index, title=f"Physiotherapy notes {number}", tags=[f"t{number}"]
            )
        created = count
        search_backend.sync()
        with django_assert_max_num_queries(RESULTS_CEILING):
            response = search(client, q="fysioterapy")
        assert did_you_mean(response)[0] == "physiotherapy"


def test_a_search_past_the_hit_cap_says_it_shows_the_best(
    client, search_backend, blog_index, monkeypatch
):
    monkeypatch.setattr("search.params.MAX_HITS", 3)
    for number in range(5):
        BlogPageFactory(parent=blog_index, title=f"Canal boat {number}")
    search_backend.sync()

    response = search(client, q="canal")

    assert len(hit_titles(response)) == 3
    summary = BeautifulSoup(response.content, "html.parser").select_one(".search-summary")
    assert summary.get_text().startswith("3+ results")
    assert "the best 3 matches" in summary.get_text()
