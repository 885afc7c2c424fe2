"""The public read API's requests: read-only, throttled per address, hostile input a clear 4xx."""

import json

from django.test import Client

import pytest

from tests.api.conftest import API
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

PAGES = f"{API}pages/"
ENDPOINTS = [PAGES, f"{API}images/", f"{API}documents/"]


@pytest.fixture
def post(blog_index):
    return BlogPageFactory(parent=blog_index, title="Cold water swimming")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_not_allowed(client, member, post, endpoint, method):
    client.force_login(member)
    for url in (endpoint, f"{endpoint}{post.pk}/"):
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code == 405, url
        assert "POST" not in response["Allow"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_get_head_and_options_answer(client, post, endpoint):
    assert client.get(endpoint).status_code == 200
    assert client.head(endpoint).status_code == 200
    assert client.options(endpoint).status_code == 200
    assert client.get(endpoint)["Content-Type"] == "application/json"


def test_no_find_redirect(client, post):
    # Wagtail's find/ would route ?html_path= through the pages' own serving.
    assert client.get(f"{PAGES}find/", {"html_path": post.url}).status_code == 404


def test_throttled_per_address(settings, post):
    settings.KINDRED_API_THROTTLE_RATE = "3/min"
    first = Client(REMOTE_ADDR="203.0.113.7")
    answers = [first.get(PAGES).status_code for _ in range(3)]
    refused = first.get(f"{PAGES}{post.pk}/")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    # Another address counts on its own; the refused one stays refused.
    assert Client(REMOTE_ADDR="198.51.100.9").get(PAGES).status_code == 200
    assert first.get(f"{API}images/").status_code == 429


def test_a_signed_in_member_is_throttled_as_their_address(settings, member, post):
    settings.KINDRED_API_THROTTLE_RATE = "2/min"
    browser = Client(REMOTE_ADDR="203.0.113.8")
    browser.force_login(member)
    assert [browser.get(PAGES).status_code for _ in range(3)] == [200, 200, 429]
    assert Client(REMOTE_ADDR="203.0.113.8").get(PAGES).status_code == 429


def test_the_default_rate_is_120_a_minute(post):
    browser = Client(REMOTE_ADDR="203.0.113.9")
    answers = [browser.head(PAGES).status_code for _ in range(121)]
    assert answers[:120] == [200] * 120
    assert answers[120] == 429


def test_the_client_is_the_one_behind_the_trusted_proxy(settings, post):
    # The same notion of client as the sign-in throttles (core.clients).
    settings.KINDRED_API_THROTTLE_RATE = "1/min"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    assert (
        Client(REMOTE_ADDR=proxy).get(PAGES, HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 200
    )
    assert (
        Client(REMOTE_ADDR=proxy).get(PAGES, HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 429
    )
    assert (
        Client(REMOTE_ADDR=proxy).get(PAGES, HTTP_X_FORWARDED_FOR="203.0.113.21").status_code == 200
    )


HOSTILE = [
    {"limit": "-1"},
    {"limit": "abc"},
    {"limit": "1e3"},
    {"limit": "9" * 40},
    {"limit": "51"},
    {"limit": "٣"},
    {"offset": "-5"},
    {"offset": "1001"},
    {"offset": "9" * 40},
    {"fields": "(("},
    {"fields": "title("},
    {"fields": "nope"},
    {"fields": "title(id)"},
    {"order": "nope"},
    {"order": "body"},
    {"order": "random"},
    {"order": "-"},
    {"type": "blogs"},
    {"type": "blogs.BlogPage,,"},
    {"type": "a.b.c"},
    {"child_of": "-1"},
    {"child_of": "abc"},
    {"child_of": "9" * 40},
    {"descendant_of": "9" * 40},
    {"descendant_of": "1", "child_of": "1"},
    {"ancestor_of": "x"},
    {"translation_of": "9" * 40},
    {"title": "a\x00b"},
    {"id": "abc"},
    {"first_published_at": "yesterday"},
    {"rich_text_format": "weird"},
    {"search": "x", "search_operator": "and"},
    {"site": "evil.example"},
    {"unknown": "1"},
    {"format": "api"},
    {"locale": "zz"},
]


@pytest.mark.parametrize("params", HOSTILE, ids=[str(params) for params in HOSTILE])
def test_hostile_parameters_get_a_clear_4xx(client, settings, post, params):
    response = client.get(PAGES, params)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "params",
    [
        {"search": "x" * 10_000},
        {"search": "\x00\x01"},
        {"search": ""},
        {"search": "<script>"},
        {"id": "9" * 40},  # no such page, as for any other id
    ],
)
def test_odd_searches_answer_quietly(client, post, params):
    response = client.get(PAGES, params)
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("path", ["0/", "9" * 40 + "/", "-1/", "abc/", "1.5/"])
def test_odd_detail_addresses_are_404(client, post, path):
    for endpoint in ENDPOINTS:
        assert client.get(f"{endpoint}{path}").status_code == 404


def test_limit_and_offset_are_bounded_and_say_so(client, settings, blog_index):
    settings.KINDRED_API_MAX_OFFSET = 2
    settings.KINDRED_API_LIMIT_MAX = 3
    for number in range(8):
        BlogPageFactory(parent=blog_index, title=f"Post {number}")

    first = client.get(PAGES, {"type": "blogs.BlogPage", "limit": 3}).json()
    assert len(first["items"]) == 3
    # Counted only as far as paging reaches (offset 2 + limit 3), and said to be capped.
    assert first["meta"] == {"total_count": 5, "total_count_capped": True}
    last = client.get(PAGES, {"type": "blogs.BlogPage", "limit": 3, "offset": 2}).json()
    assert [item["title"] for item in last["items"]] == ["Post 2", "Post 3", "Post 4"]
    too_far = client.get(PAGES, {"type": "blogs.BlogPage", "offset": 3})
    assert too_far.status_code == 400
    assert too_far.json()["message"].startswith("offset cannot be higher than 2")
    too_many = client.get(PAGES, {"limit": 4})
    assert too_many.json() == {"message": "limit cannot be higher than 3"}
    settings.KINDRED_API_MAX_OFFSET = 100
    whole = client.get(PAGES, {"type": "blogs.BlogPage"}).json()
    assert whole["meta"] == {"total_count": 8}


def test_hostile_names_and_titles_are_escaped(client, blog_index):
    author = UserFactory(display_name=PAYLOADS[1])
    ProfileFactory(user=author, visibility="everyone")
    pages = [
        BlogPageFactory(parent=blog_index, author=author, title=payload, summary=payload)
        for payload in PAYLOADS
    ]
    for url in (
        f"{PAGES}?type=blogs.BlogPage&fields=*&limit=20",
        f"{PAGES}{pages[0].pk}/",
        f"{PAGES}?title={PAYLOADS[0]}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        for character in (b"<", b">", b"&"):
            assert character not in response.content
    items = client.get(f"{PAGES}?type=blogs.BlogPage&fields=*&limit=20").json()["items"]
    # Still the same values to a JSON reader.
    assert sorted(item["title"] for item in items) == sorted(PAYLOADS)
    assert {item["byline"]["name"] for item in items} == {PAYLOADS[1]}
    assert json.loads(client.get(f"{PAGES}{pages[0].pk}/").content)["summary"] == PAYLOADS[0]


def test_responses_are_never_stored_by_the_page_cache(client, settings, post):
    settings.KINDRED_PAGE_CACHE_SECONDS = 600
    for _ in range(2):
        assert client.get(PAGES).get("X-Kindred-Cache") in (None, "bypass", "miss")
    post.unpublish()
    assert client.get(PAGES, {"type": "blogs.BlogPage"}).json()["items"] == []
    assert client.get(f"{PAGES}{post.pk}/").status_code == 404
