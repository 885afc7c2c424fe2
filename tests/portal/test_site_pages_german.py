"""The site's own pages in German (issue 18): Wagtail's translations, read at the English address.

``setup_portal`` makes a German translation of each site page (same ``translation_key``,
the German locale, in a tree under the home page's translation that no site routes).
A reader whose interface is German reads it at the page's one address; the footer
names the pages in German; the German tree is never a page of its own anywhere.
"""

import re

from django.test import Client
from django.utils import translation

from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

import pytest

from core.models import HomePage, InformationPage
from portal.setup import portal_setup
from portal.site_pages import ABOUT, GUIDELINES, PRIVACY, SITE_PAGES, TERMS
from tests.german import ENGLISH, GERMAN, assert_german
from tests.portal.test_site_pages import PAGE_QUERIES, footer_links
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db

SPECS = {spec.key: spec for spec in SITE_PAGES}
# A word planted in a German translation's body, to find wherever it leaks.
CANARY = "Übersetzungskanarienvogel"


def german(text_of):
    """What ``text_of()`` (a spec's property) reads in German, from the catalogue."""
    with translation.override("de"):
        return text_of()


def english(text_of):
    """What ``text_of()`` reads in English (a request leaves its language active here)."""
    with translation.override("en-gb"):
        return text_of()


@pytest.fixture
def de():
    return Locale.objects.get_or_create(language_code="de")[0]


def translation_of(page, de):
    return InformationPage.objects.get(translation_key=page.translation_key, locale=de)


def h1(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(0)


# --- What setup makes -------------------------------------------------------------------


def test_setup_makes_a_published_german_translation_of_each_page(site_pages, home, de):
    german_home = HomePage.objects.get(locale=de)
    assert german_home.translation_key == home.translation_key
    assert not german_home.live, "a container in the admin, never a page of its own"
    assert Site.objects.filter(root_page=german_home).count() == 0
    for spec in SITE_PAGES:
        page = site_pages[spec.key]
        translated = translation_of(page, de)
        assert translated.live and translated.get_latest_revision() is not None
        assert (translated.setup_key, translated.consent_kind) == ("", "")
        assert translated.title == german(lambda spec=spec: spec.title) != spec.title, spec.key
        assert translated.intro == german(lambda spec=spec: spec.intro_html)
        parent = translated.get_parent()
        expected = translation_of(site_pages[spec.parent], de) if spec.parent else german_home
        assert parent.pk == expected.pk, "the German tree mirrors the English one"
        # Links inside the texts keep their addresses (the English pages' one address).
        english_links = re.findall(r'href="([^"]+)"', str(page.body))
        assert re.findall(r'href="([^"]+)"', str(translated.body)) == english_links


def test_setup_twice_makes_nothing_twice(site_pages, de):
    before = list(Page.objects.order_by("path").values_list("path", "slug", "title", "live"))
    revisions = dict(InformationPage.objects.values_list("pk", "latest_revision_id"))

    portal_setup()

    after = list(Page.objects.order_by("path").values_list("path", "slug", "title", "live"))
    assert after == before
    assert dict(InformationPage.objects.values_list("pk", "latest_revision_id")) == revisions
    assert InformationPage.objects.filter(locale=de).count() == len(SITE_PAGES)
    assert HomePage.objects.filter(locale=de).count() == 1


def test_setup_keeps_an_editors_german_page_and_remakes_a_deleted_one(site_pages, de):
    about = translation_of(site_pages[ABOUT], de)
    about.title = "Wer wir sind"
    about.body = [("paragraph", RichText("<p>Von einer Redakteurin geschrieben.</p>"))]
    about.save_revision().publish()
    terms = translation_of(site_pages[TERMS], de)
    terms.unpublish()
    privacy = translation_of(site_pages[PRIVACY], de)
    privacy_key = privacy.translation_key
    # The health data page's translation sits under it: delete the branch.
    privacy.delete()

    portal_setup()

    about.refresh_from_db()
    assert about.title == "Wer wir sind" and "Redakteurin" in str(about.body)
    assert not InformationPage.objects.get(pk=terms.pk).live, "unpublished stays unpublished"
    remade = InformationPage.objects.get(translation_key=privacy_key, locale=de)
    assert remade.live and remade.title == german(lambda: SPECS[PRIVACY].title)
    assert InformationPage.objects.filter(locale=de).count() == len(SITE_PAGES)


def test_deleting_a_page_deletes_its_translations_and_its_childrens(site_pages, de):
    privacy = site_pages[PRIVACY]
    children = list(InformationPage.objects.child_of(privacy))
    assert children, "the health data page sits under the privacy page"
    keys = [privacy.translation_key, *(child.translation_key for child in children)]
    others = InformationPage.objects.exclude(translation_key__in=keys).count()

    # Deleted as the admin does, through the base class (Wagtail's page actions).
    Page.objects.get(pk=privacy.pk).delete()

    assert not InformationPage.objects.filter(translation_key__in=keys).exists()
    assert InformationPage.objects.count() == others, "nothing else went"
    # Setup makes the page and its translation again, as for any deleted site page.
    portal_setup()
    assert InformationPage.objects.filter(translation_key__in=keys[:1]).count() == 0
    assert (
        InformationPage.objects.filter(setup_key=PRIVACY).get().get_translations().get().locale
        == de
    )


def test_deleting_a_translation_leaves_the_page(site_pages, de):
    about = site_pages[ABOUT]

    translation_of(about, de).delete()

    assert InformationPage.objects.get(pk=about.pk).live
    assert not InformationPage.objects.filter(translation_key=about.translation_key, locale=de)


# --- Reading ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SITE_PAGES, ids=lambda spec: spec.key)
def test_a_german_reader_reads_each_page_in_german_at_its_address(client, site_pages, spec):
    response = client.get(site_pages[spec.key].url, **GERMAN)

    assert response.status_code == 200
    html = response.content.decode()
    title = german(lambda: spec.title)
    assert h1(html) == f'<h1 lang="de">{title}</h1>'
    assert f'<div class="intro" lang="de">{german(lambda: spec.intro_html)}</div>' in html
    first_heading = german(lambda: spec.body[0][1]["text"])
    assert f"<h2>{first_heading}</h2>" in html.replace("&#x27;", "'")
    english_title = english(lambda: spec.title)
    assert english_title not in html.replace(title, ""), "no English title left"
    assert f"<title>{title} · Kindred</title>" in html
    assert_german(response)


@pytest.mark.parametrize("spec", SITE_PAGES, ids=lambda spec: spec.key)
def test_an_english_reader_reads_the_english_page(client, site_pages, spec):
    html = client.get(site_pages[spec.key].url, **ENGLISH).content.decode()

    assert h1(html) == f"<h1>{english(lambda: spec.title)}</h1>"
    assert german(lambda: spec.intro) not in html.replace("&#x27;", "'")


def test_the_userbars_edit_opens_the_words_the_editor_reads(client, site_pages, superuser, de):
    about = site_pages[ABOUT]
    client.force_login(superuser)

    def edit_links(**headers):
        html = client.get(about.url, **headers).content.decode()
        return set(re.findall(r'href="[^"]*/admin/pages/(\d+)/edit/"', html))

    assert edit_links(**GERMAN) == {str(translation_of(about, de).pk)}
    assert edit_links(**ENGLISH) == {str(about.pk)}


def test_a_members_saved_german_chooses_the_translation(client, site_pages, member):
    member.language = "de"
    member.save(update_fields=["language"])
    client.force_login(member)

    html = client.get(site_pages[ABOUT].url, **ENGLISH).content.decode()

    assert h1(html) == f'<h1 lang="de">{german(lambda: SPECS[ABOUT].title)}</h1>'


def test_the_consent_pages_keep_their_versioned_text_in_german(client, site_pages):
    from core import consent

    html = client.get(site_pages[GUIDELINES].url, **GERMAN).content.decode()

    text = consent.CURRENT[consent.GUIDELINES]
    with translation.override("de"):
        heading = text.sections[0][0]
    assert f"Version {text.version}" in html
    assert f"<h2>{heading}</h2>" in html
    assert german(lambda: SPECS[GUIDELINES].intro) in html.replace("&#x27;", "'")


def test_an_unpublished_german_translation_leaves_the_english_page(client, site_pages, de):
    translation_of(site_pages[ABOUT], de).unpublish()

    html = client.get(site_pages[ABOUT].url, **GERMAN).content.decode()

    # The page as written, marked as English inside the German interface.
    title = english(lambda: SPECS[ABOUT].title)
    assert h1(html) == f'<h1 lang="en-gb">{title}</h1>'
    assert '<html lang="de">' in html
    assert dict(footer_links(html))[site_pages[ABOUT].url] == title, "nor in the footer"


def test_an_editors_german_revision_is_what_the_german_reader_reads(client, site_pages, de):
    about = translation_of(site_pages[ABOUT], de)
    about.title = "Über uns"
    about.seo_title = "Kindred: wer wir sind"
    about.search_description = "Eine Gemeinschaft für Menschen mit MS."
    about.body = [("paragraph", RichText(f"<p>{CANARY}</p>"))]
    about.save_revision().publish()

    html = client.get(site_pages[ABOUT].url, **GERMAN).content.decode()

    assert h1(html) == '<h1 lang="de">Über uns</h1>'
    body = html[html.index('<div class="body" lang="de">') :]
    assert CANARY in body[: body.index("</article>")]
    assert "<title>Kindred: wer wir sind · Kindred</title>" in html
    assert '<meta name="description" content="Eine Gemeinschaft für Menschen mit MS.">' in html
    # A draft of the translation is the editor's, not the reader's.
    about.title = "Entwurf"
    about.save_revision()
    assert "Entwurf" not in client.get(site_pages[ABOUT].url, **GERMAN).content.decode()


def test_a_translations_title_is_escaped(client, site_pages, de):
    about = translation_of(site_pages[ABOUT], de)
    for payload in PAYLOADS:
        about.title = payload
        about.save_revision().publish()

        html = client.get(site_pages[ABOUT].url, **GERMAN).content.decode()

        assert payload not in html, payload


@pytest.mark.parametrize(
    "accept",
    ["de-AT,de;q=0.9", "DE", "<script>alert(1)</script>", "de;q=abc", "x" * 5000, "xx-YY, *"],
)
def test_any_accept_language_is_answered(client, site_pages, accept):
    response = client.get(site_pages[ABOUT].url, HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 200
    html = response.content.decode()
    assert h1(html) in (
        f"<h1>{english(lambda: SPECS[ABOUT].title)}</h1>",
        f'<h1 lang="de">{german(lambda: SPECS[ABOUT].title)}</h1>',
    )
    assert "<script>alert(1)</script>" not in html


# --- The footer -------------------------------------------------------------------------


def test_the_footer_names_the_pages_in_the_readers_language(client, site_pages):
    ordered = sorted(site_pages.values(), key=lambda page: page.path)
    in_english = [(page.url, english(lambda p=page: SPECS[p.setup_key].title)) for page in ordered]
    in_german = [(page.url, german(lambda p=page: SPECS[p.setup_key].title)) for page in ordered]
    assert in_german != in_english

    # The navigation is kept in the cache once for every language: read it in English
    # first, then in German, then in English again.
    for headers, expected in ((ENGLISH, in_english), (GERMAN, in_german), (ENGLISH, in_english)):
        html = client.get("/", **headers).content.decode()
        assert footer_links(html) == expected


def test_the_footer_follows_a_new_german_title_at_once(client, site_pages, de):
    client.get("/", **GERMAN)
    about = translation_of(site_pages[ABOUT], de)
    about.title = "Über uns"
    about.save_revision().publish()

    links = dict(footer_links(client.get("/", **GERMAN).content.decode()))

    assert links[site_pages[ABOUT].url] == "Über uns"


@pytest.mark.parametrize("extra", [0, 8])
def test_page_views_cost_a_fixed_number_of_queries_in_german(
    client, site_pages, home, de, django_assert_max_num_queries, extra
):
    for number in range(extra):
        page = home.add_child(
            instance=InformationPage(title=f"Extra {number}", slug=f"extra-{number}")
        )
        german_home = HomePage.objects.get(locale=de)
        german_home.add_child(
            instance=InformationPage(
                title=f"Mehr {number}",
                slug=f"mehr-{number}",
                translation_key=page.translation_key,
                locale=de,
            )
        )

    for key in (PRIVACY, GUIDELINES):
        # One more than in English: the translation.
        with django_assert_max_num_queries(PAGE_QUERIES + 1):
            response = client.get(site_pages[key].url, **GERMAN)
        assert response.status_code == 200
        with django_assert_max_num_queries(PAGE_QUERIES):
            assert client.get(site_pages[key].url, **ENGLISH).status_code == 200


# --- Never a page of its own ----------------------------------------------------------


def test_the_german_tree_has_no_address(client, site_pages, de):
    about = translation_of(site_pages[ABOUT], de)
    german_home = HomePage.objects.get(locale=de)
    assert about.url is None and german_home.url is None
    paths = {
        f"/{german_home.slug}/",
        f"/{german_home.slug}/{about.slug}/",
        about.url_path,  # "/home-de/about/"
        "/about-de/",
        "/de/about/",
        f"/{german_home.slug}/{translation_of(site_pages[PRIVACY], de).slug}/health-data/",
    }
    for path in paths:
        for headers in (GERMAN, ENGLISH):
            assert client.get(path, **headers).status_code == 404, path


def test_the_german_pages_are_in_no_sitemap_api_or_search(client, site_pages, de, settings):
    from tests.discovery.test_sitemap import BASE, crawl

    settings.KINDRED_BASE_URL = BASE

    about = translation_of(site_pages[ABOUT], de)
    about.body = [("paragraph", RichText(f"<p>{CANARY}</p>"))]
    about.save_revision().publish()
    german_ids = set(Page.objects.filter(locale=de).values_list("pk", flat=True))
    # It is live: the German reader reads it at the English address.
    assert CANARY in client.get(site_pages[ABOUT].url, **GERMAN).content.decode()

    found = crawl(Client())
    assert not [url for url in found.urls if "home-de" in url or "-de/" in url]
    assert len([url for url in found.urls if url.endswith("/about/")]) == 1
    assert CANARY not in "".join(found.bodies)

    for headers in (ENGLISH, GERMAN):
        listing = client.get("/api/v2/pages/", {"limit": 50}, **headers)
        assert listing.status_code == 200
        assert not german_ids & {item["id"] for item in listing.json()["items"]}
        for page_id in german_ids:
            assert client.get(f"/api/v2/pages/{page_id}/", **headers).status_code == 404
        typed = client.get("/api/v2/pages/", {"type": "core.InformationPage"}, **headers)
        assert typed.status_code in (200, 400)
        assert CANARY not in typed.content.decode()

        results = client.get("/search/", {"q": CANARY}, **headers)
        assert results.status_code == 200
        # The query is echoed (the box, the title); no result links or quotes the page.
        html = results.content.decode()
        assert not re.search(rf"<(a|mark)\b[^>]*>[^<]*{CANARY}", html)
        assert "home-de" not in html and f"{CANARY}</p>" not in html


def test_the_sitemaps_site_pages_are_the_sites_own_not_their_translations(site_pages, de):
    # The translations have no address: counted among the sitemap's pages, they
    # made chunks and last-modified dates of pages nobody can open.
    from discovery.selectors import site_pages as sitemap_site_pages

    listed = {entry.page.pk for entry in sitemap_site_pages()}
    translations = set(
        InformationPage.objects.filter(locale=de).live().values_list("pk", flat=True)
    )

    assert translations
    assert not listed & translations
