"""Items carry their language (issue 18): a Wagtail locale, chosen by the writer, shown, filtered.

Each item is written once, in one language, in the one page tree; readers
list and search by it (``?lang=``), and its title, summary and body are
marked with its ``lang`` whatever the interface language.
"""

from django.urls import reverse

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from blogs.models import BlogPage
from core.languages import content_language, language_of
from tests.authoring.conftest import with_consent
from tests.factories import BlogPageFactory, UserFactory
from tests.xss import PAYLOADS as XSS_PAYLOADS
from tests.xss import assert_harmless

pytestmark = pytest.mark.django_db

WRITE_POST = reverse("authoring:write_new", args=("blog",))


@pytest.fixture
def german(portal):
    return Locale.objects.get(language_code="de")


@pytest.fixture
def english(portal):
    return Locale.objects.get(language_code="en-gb")


@pytest.fixture
def mixed(blog_index, german, english):
    """Two English and two German public blog posts, all tagged "fatigue"."""
    return {
        "en": [
            BlogPageFactory(parent=blog_index, title=f"Pacing my week {n}", tags=["fatigue"])
            for n in range(2)
        ],
        "de": [
            BlogPageFactory(
                parent=blog_index, title=f"Meine Woche planen {n}", tags=["fatigue"], locale=german
            )
            for n in range(2)
        ],
    }


def titles(response, selector=".card-title"):
    return sorted(
        node.get_text(strip=True)
        for node in BeautifulSoup(response.content, "html.parser").select(selector)
    )


# --- What ?lang= means -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("de-AT", "de"),
        ("en", "en-gb"),
        ("en-gb", "en-gb"),
        ("fr", ""),
        ("", ""),
        (None, ""),
        (["de"], ""),
        ("d" * 10_000, ""),
        ("de\x00", ""),
        *((payload, "") for payload in XSS_PAYLOADS),
    ],
)
def test_content_language_accepts_only_a_content_language(value, expected):
    assert content_language(value) == expected


def test_the_migrations_make_a_locale_for_each_content_language(db):
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en-gb", "de"}


# --- Writers choose it -------------------------------------------------------


def test_a_member_writing_in_german_starts_with_german_offered(client, portal):
    writer = with_consent(UserFactory(group="Members"))
    client.force_login(writer)

    english = client.get(WRITE_POST, headers={"accept-language": "en-GB"})
    german = client.get(WRITE_POST, headers={"accept-language": "de-DE"})

    def chosen(response):
        select = BeautifulSoup(response.content, "html.parser").select_one("select[name=language]")
        return select.select_one("option[selected]")["value"]

    assert chosen(english) == "en-gb"
    assert chosen(german) == "de"


def test_a_member_saves_an_item_in_the_language_chosen(client, portal):
    writer = with_consent(UserFactory(group="Members"))
    client.force_login(writer)

    response = client.post(WRITE_POST, {**_post_data(), "language": "de"})

    assert response.status_code == 302
    page = BlogPage.objects.get(title="Mein Alltag mit MS")
    assert language_of(page.get_latest_revision_as_object()) == "de"
    assert page.locale.language_code == "de"


@pytest.mark.parametrize("posted", ["fr", "xx", "d" * 5000, *XSS_PAYLOADS[:3]])
def test_a_language_not_offered_is_a_form_error_and_nothing_is_saved(client, portal, posted):
    writer = with_consent(UserFactory(group="Members"))
    client.force_login(writer)

    response = client.post(WRITE_POST, {**_post_data(), "language": posted})

    assert response.status_code == 400
    assert BeautifulSoup(response.content, "html.parser").select(".has-error select[name=language]")
    assert not BlogPage.objects.filter(title="Mein Alltag mit MS").exists()
    assert_harmless(response.content.decode())


def test_editing_keeps_the_items_language_when_the_form_leaves_it_out(client, portal):
    writer = with_consent(UserFactory(group="Members"))
    client.force_login(writer)
    client.post(WRITE_POST, {**_post_data(), "language": "de"})
    page = BlogPage.objects.get(title="Mein Alltag mit MS")
    edit = reverse("authoring:edit", args=(page.pk,))

    data = _post_data(title="Mein Alltag mit MS, neu")
    del data["language"]
    client.post(edit, data)

    assert language_of(page.get_latest_revision_as_object()) == "de"


def _post_data(**overrides):
    data = {
        "title": "Mein Alltag mit MS",
        "summary": "Was mir hilft.",
        "body": "Manche Tage sind schwerer als andere.",
        "tags": "Müdigkeit",
        "audience": "everyone",
        "language": "de",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_an_editor_sets_the_language_in_wagtails_form(client, portal, blog_index, german):
    page = BlogPageFactory(parent=blog_index, title="Energie einteilen")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    form_class = BlogPage.get_edit_handler().get_form_class()
    shown = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert shown.status_code == 200
    assert b'name="language"' in shown.content

    form = form_class(
        instance=page.get_latest_revision_as_object(),
        for_user=admin,
        parent_page=blog_index,
        data=_admin_data(page, language="de"),
    )
    assert form.is_valid(), form.errors
    assert form.save(commit=False).locale == german

    refused = form_class(
        instance=page, for_user=admin, parent_page=blog_index, data=_admin_data(page, language="fr")
    )
    assert not refused.is_valid()
    assert "language" in refused.errors


def _admin_data(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "tags": "",
        "audience": "everyone",
        "body-count": "0",
    }
    data.update(overrides)
    return data


# --- Readers see and filter it -----------------------------------------------


def test_item_page_marks_its_own_words_with_its_language(client, mixed):
    page = mixed["de"][0]

    soup = BeautifulSoup(client.get(page.url).content, "html.parser")

    assert soup.html["lang"] == "en-gb"  # the interface
    assert soup.select_one("h1")["lang"] == "de"
    assert soup.select_one(".lede")["lang"] == "de"
    assert soup.select_one(".body")["lang"] == "de"


def test_cards_mark_each_items_language(client, mixed, blog_index):
    soup = BeautifulSoup(client.get(blog_index.url).content, "html.parser")

    languages = {node.get_text(strip=True): node["lang"] for node in soup.select(".card-title")}
    assert languages == {
        **{page.title: "en-gb" for page in mixed["en"]},
        **{page.title: "de" for page in mixed["de"]},
    }


def test_a_section_lists_one_language_on_request(client, mixed, blog_index):
    german = client.get(blog_index.url, {"lang": "de"})
    english = client.get(blog_index.url, {"lang": "en-gb"})
    everything = client.get(blog_index.url)

    assert titles(german) == sorted(page.title for page in mixed["de"])
    assert titles(english) == sorted(page.title for page in mixed["en"])
    assert len(titles(everything)) == 4


def test_the_language_filter_names_each_language_in_itself_and_marks_the_chosen(
    client, mixed, blog_index
):
    soup = BeautifulSoup(client.get(blog_index.url, {"lang": "de"}).content, "html.parser")

    links = soup.select(".language-links a")
    assert [link.get_text(strip=True) for link in links] == ["All languages", "English", "Deutsch"]
    assert [link.get("aria-current") for link in links] == [None, None, "true"]
    assert links[2]["lang"] == "de"
    assert links[2]["href"] == f"{blog_index.url}?lang=de"
    assert links[0]["href"] == blog_index.url


def test_the_language_filter_keeps_the_tag_and_order(client, mixed, blog_index):
    soup = BeautifulSoup(
        client.get(blog_index.url, {"tag": "fatigue", "sort": "top", "lang": "de"}).content,
        "html.parser",
    )

    hrefs = [link["href"] for link in soup.select(".language-links a")]
    assert hrefs[1] == f"{blog_index.url}?tag=fatigue&sort=top&lang=en-gb"
    # The order links keep the language.
    assert any("lang=de" in link["href"] for link in soup.select(".sort-links a[href*=sort]"))


@pytest.mark.parametrize("value", ["fr", "d" * 10_000, *XSS_PAYLOADS])
def test_an_unknown_language_lists_everything_and_echoes_nothing(client, mixed, blog_index, value):
    response = client.get(blog_index.url, {"lang": value})

    assert response.status_code == 200
    assert len(titles(response)) == 4
    # Not echoed: the filter's links carry only the languages offered.
    assert value not in response.content.decode() or value == "fr"
    assert_harmless(response.content.decode())


def test_a_language_listings_pages_carry_the_language(client, blog_index, german, settings):
    for n in range(14):
        BlogPageFactory(parent=blog_index, title=f"Beitrag {n}", locale=german)
    BlogPageFactory(parent=blog_index, title="An English post")

    soup = BeautifulSoup(client.get(blog_index.url, {"lang": "de"}).content, "html.parser")
    next_link = soup.select_one(".pagination a[rel=next]")
    assert "lang=de" in next_link["href"]

    second = client.get(blog_index.url + next_link["href"])
    assert "An English post" not in titles(second)
    assert titles(second)


def test_a_tag_page_lists_one_language_on_request(client, mixed):
    url = reverse("tag_listing", args=("fatigue",))

    german = client.get(url, {"lang": "de"})

    assert titles(german) == sorted(page.title for page in mixed["de"])
    assert len(titles(client.get(url))) == 4


def test_a_visitors_cached_listing_is_kept_per_language(client, mixed, blog_index, settings):
    # The page cache keys by the full address: a filtered list is its own entry.
    first = client.get(blog_index.url, {"lang": "de"})
    unfiltered = client.get(blog_index.url)
    again = client.get(blog_index.url, {"lang": "de"})

    assert titles(first) == titles(again) == sorted(page.title for page in mixed["de"])
    assert len(titles(unfiltered)) == 4


@pytest.mark.parametrize("count", [1, 6])
def test_a_filtered_listing_costs_the_same_queries_however_many_items(
    client, blog_index, german, django_assert_max_num_queries, count
):
    for n in range(count):
        BlogPageFactory(parent=blog_index, title=f"Beitrag {n}", locale=german, tags=["fatigue"])
    client.get(blog_index.url, {"lang": "de"})  # warm the site and route caches

    with django_assert_max_num_queries(12):
        response = client.get(blog_index.url, {"lang": "de", "sort": "newest"})
    assert len(titles(response)) == count


# --- Search ------------------------------------------------------------------


def test_search_filters_by_language_with_counts_for_each(client, mixed):
    everything = client.get(reverse("search:results"), {"q": "fatigue week woche planen pacing"})
    soup = BeautifulSoup(everything.content, "html.parser")
    facet = {
        link.select_one("[lang]")["lang"]: link.select_one(".facet-count").get_text(strip=True)
        for link in soup.select("[data-facet=language] a")
    }
    assert facet == {"en-gb": "(2)", "de": "(2)"}

    german = client.get(
        reverse("search:results"), {"q": "fatigue week woche planen pacing", "lang": "de"}
    )
    assert titles(german, ".search-hit-title") == sorted(page.title for page in mixed["de"])
    for node in BeautifulSoup(german.content, "html.parser").select(".search-hit-title"):
        assert node["lang"] == "de"


def test_search_offers_no_language_filter_when_all_hits_share_one(client, blog_index):
    BlogPageFactory(parent=blog_index, title="Pacing my week")

    soup = BeautifulSoup(
        client.get(reverse("search:results"), {"q": "pacing"}).content, "html.parser"
    )

    assert soup.select(".search-hit-title")
    assert not soup.select("[data-facet=language]")


@pytest.mark.parametrize("value", ["fr", "d" * 10_000, *XSS_PAYLOADS])
def test_search_ignores_a_language_it_does_not_know(client, mixed, value):
    response = client.get(reverse("search:results"), {"q": "pacing planen", "lang": value})

    assert response.status_code == 200
    assert len(titles(response, ".search-hit-title")) == 4
    assert_harmless(response.content.decode())


# --- Structured data ---------------------------------------------------------


def test_structured_data_gives_each_items_own_language(client, mixed):
    import json

    def in_language(page):
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        return data["inLanguage"]

    assert in_language(mixed["de"][0]) == "de"
    assert in_language(mixed["en"][0]) == "en-GB"
