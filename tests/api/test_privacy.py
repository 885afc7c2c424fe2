"""The public read API shows exactly what a visitor may read, on every endpoint and filter."""

import pytest

from tests.api.conftest import (
    API,
    PUBLIC_NAME,
    PUBLIC_TAG,
    PUBLIC_TITLE,
    SEARCH_WORD,
    assert_no_marker,
)

pytestmark = pytest.mark.django_db

PAGES = f"{API}pages/"
TYPES = [
    "blogs.BlogPage",
    "blogs.ExpertArticlePage",
    "experience_stories.ExperienceStoryPage",
    "questions.QuestionPage",
    "questions.AnswerPage",
]
# An id no page will have in a test database.
MISSING_ID = 987_654_321


def listings(home, sections):
    """Every listing a visitor might ask for, filters included."""
    urls = [
        PAGES,
        f"{PAGES}?fields=*",
        f"{PAGES}?fields=*&limit=50",
        f"{PAGES}?search={SEARCH_WORD}",
        f"{PAGES}?search={SEARCH_WORD}&fields=*",
        f"{PAGES}?search={SEARCH_WORD}&order=-first_published_at&fields=*",
        f"{PAGES}?order=title&limit=50",
        f"{PAGES}?order=-first_published_at&limit=50",
        f"{PAGES}?order=-id&limit=50&fields=title,slug",
        f"{PAGES}?descendant_of={home.pk}&limit=50&fields=*",
        f"{PAGES}?child_of=root&limit=50",
    ]
    for section in sections.values():
        urls.append(f"{PAGES}?child_of={section.pk}&fields=*&limit=50")
    for type_name in TYPES:
        urls.append(f"{PAGES}?type={type_name}&fields=*&limit=50")
        urls.append(f"{PAGES}?type={type_name}&search={SEARCH_WORD}&fields=*")
    urls.append(f"{PAGES}?type={','.join(TYPES)}&fields=*&limit=50")
    return urls


def test_no_hidden_page_or_name_in_any_listing(client, hidden, home, sections):
    for url in listings(home, sections):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_marker(response.content)


def test_the_public_counterparts_are_there(client, hidden, home, sections):
    # The same listings do show what a visitor may read (the canary test could not pass empty).
    blog_listing = client.get(f"{PAGES}?type=blogs.BlogPage&fields=*&limit=50").json()
    public = next(item for item in blog_listing["items"] if item["id"] == hidden.public.pk)
    assert public["title"] == PUBLIC_TITLE
    assert public["byline"]["name"] == PUBLIC_NAME
    assert public["byline"]["profile_url"].startswith("/members/")
    assert public["tags"] == [PUBLIC_TAG]
    assert public["rating"] == {"average": None, "count": 0}
    titles = {item["title"] for item in blog_listing["items"]}
    assert {PUBLIC_TITLE, f"Live {SEARCH_WORD} page", f"Quiet {SEARCH_WORD} post"} <= titles

    searched = client.get(f"{PAGES}?search={SEARCH_WORD}").json()
    assert PUBLIC_TITLE in {item["title"] for item in searched["items"]}
    # Counted: the public items only (five of them hold the word), none of the hidden.
    assert searched["meta"]["total_count"] == 6

    detail = client.get(f"{PAGES}{hidden.public.pk}/").json()
    assert detail["title"] == PUBLIC_TITLE
    assert "<p>Some days are harder than others.</p>" in detail["body"]  # rendered as on the page
    assert f"Public summary {SEARCH_WORD}" == detail["summary"]
    assert detail["meta"]["parent"]["title"] == "Blogs"


def test_names_only_where_the_profile_is_public(client, hidden):
    bylines = {}
    for type_name in TYPES:
        items = client.get(PAGES, {"type": type_name, "fields": "byline", "limit": 50})
        bylines.update({item["title"]: item["byline"] for item in items.json()["items"]})
    assert bylines[PUBLIC_TITLE]["name"] == PUBLIC_NAME
    assert bylines[f"Quiet {SEARCH_WORD} post"] is None  # "only me"
    assert bylines[f"Members {SEARCH_WORD}"] is None  # members only
    assert bylines[f"Anonymous {SEARCH_WORD} story"] is None  # an anonymous item
    assert bylines[f"Asked {SEARCH_WORD}?"] is None  # an anonymous question


def test_every_hidden_page_answers_as_a_missing_one(client, hidden):
    missing = client.get(f"{PAGES}{MISSING_ID}/")
    assert missing.status_code == 404
    for kind, page in hidden.pages.items():
        response = client.get(f"{PAGES}{page.pk}/")
        assert (response.status_code, response.content) == (404, missing.content), kind


@pytest.mark.parametrize("name", ["child_of", "descendant_of", "ancestor_of", "translation_of"])
def test_filters_by_a_hidden_page_answer_as_for_a_missing_one(client, hidden, name):
    missing = client.get(PAGES, {name: MISSING_ID})
    assert missing.status_code == 400
    for kind, page in hidden.pages.items():
        response = client.get(PAGES, {name: page.pk, "fields": "*"})
        assert (response.status_code, response.content) == (400, missing.content), kind


def test_id_guesses_find_nothing(client, hidden):
    missing = client.get(PAGES, {"id": MISSING_ID})
    assert missing.json() == {"meta": {"total_count": 0}, "items": []}
    for kind, page in hidden.pages.items():
        response = client.get(PAGES, {"id": page.pk, "fields": "*"})
        assert response.content == missing.content, kind
    found = client.get(PAGES, {"id": hidden.public.pk}).json()
    assert [item["title"] for item in found["items"]] == [PUBLIC_TITLE]


def test_fields_star_is_the_allow_list(client, hidden):
    detail = client.get(f"{PAGES}{hidden.public.pk}/?fields=*").json()
    assert set(detail) == {
        "id",
        "meta",
        "title",
        # The item's language (its locale's code, issue 18).
        "language",
        "summary",
        "body",
        "tags",
        "byline",
        "rating",
        "last_published_at",
        "medically_reviewed_at",
    }
    assert set(detail["meta"]) == {
        "type",
        "detail_url",
        "html_url",
        "slug",
        "seo_title",
        "search_description",
        "first_published_at",
        "parent",
        "locale",
    }
    for name in ["owner", "author", "audience", "community", "latest_revision", "pseudonym"]:
        response = client.get(PAGES, {"fields": name})
        assert response.status_code == 400, name
        assert response.json() == {"message": f"unknown fields: {name}"}


@pytest.mark.parametrize("name", ["author", "author_id", "owner", "audience", "is_anonymous"])
def test_no_filter_on_a_field_that_is_not_shown(client, hidden, name):
    # ``?author=<id>`` would tell who wrote an anonymous item.
    response = client.get(PAGES, {name: "1"})
    assert response.status_code == 400
    assert "not an operation or a recognised field" in response.json()["message"]


@pytest.mark.parametrize(
    "type_name", ["core.CommunityPage", "core.CommunityIndexPage", "wagtailcore.Page", "nope.Nope"]
)
def test_only_exposed_types(client, hidden, type_name):
    response = client.get(PAGES, {"type": type_name})
    assert response.status_code == 400
    assert response.json() == {"message": "type doesn't exist"}


def test_a_signed_in_member_gets_what_a_visitor_gets(client, hidden, home, sections, member):
    from django.test import Client

    visitor_answers = [client.get(url).content for url in listings(home, sections)]
    member_client = Client()
    member_client.force_login(member)
    for url, visitor_answer in zip(listings(home, sections), visitor_answers, strict=True):
        response = member_client.get(url)
        assert response.content == visitor_answer, url
        assert "Set-Cookie" not in response  # no session touched, no CSRF cookie
    members_item = hidden.pages["members"]
    assert member_client.get(f"{PAGES}{members_item.pk}/").status_code == 404


def test_an_editor_gets_no_more_either(client, hidden, editor, superuser):
    for user in (editor, superuser):
        client.force_login(user)
        for page in hidden.pages.values():
            assert client.get(f"{PAGES}{page.pk}/").status_code == 404
        assert_no_marker(client.get(f"{PAGES}?fields=*&limit=50").content)


def test_sections_and_home_through_the_same_gate(client, hidden, home, blog_index):
    sections = client.get(PAGES, {"type": "blogs.BlogIndexPage", "fields": "*"}).json()["items"]
    assert [(item["id"], item["title"]) for item in sections] == [(blog_index.pk, "Blogs")]
    assert "intro" in sections[0]
    homes = client.get(PAGES, {"type": "core.HomePage"}).json()["items"]
    assert [item["id"] for item in homes] == [home.pk]

    blog_index.unpublish()
    assert client.get(PAGES, {"type": "blogs.BlogIndexPage"}).json()["items"] == []
    assert client.get(f"{PAGES}{blog_index.pk}/").status_code == 404
