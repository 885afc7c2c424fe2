"""The site's own pages: made once by setup_portal, editable in Wagtail, in every footer."""

import re

from django.test import RequestFactory
from django.urls import clear_script_prefix, reverse, set_script_prefix

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models import pages as wagtail_pages

import pytest

from core import consent
from core.context_processors import site_navigation
from core.languages import content_languages
from core.models import InformationPage
from core.selectors import site_links
from portal.setup import portal_setup
from portal.site_pages import (
    ABOUT,
    ACCESSIBILITY,
    CONTACT,
    GUIDELINES,
    HEALTH_DATA,
    PRIVACY,
    SITE_PAGES,
    TERMS,
)
from tests.factories import BlogPageFactory
from tests.spies import calls_of
from tests.xss import PAYLOADS, injected_markup

pytestmark = pytest.mark.django_db

# Measured on SQLite (8): Wagtail's routing (site, page, specific page), the
# header's sections with the footer's pages in one query, the page's own
# reads. It must not grow with the number of pages in the footer.
# +1 since issue 15: the sponsor's declaration in the footer, read once per site on a
# cold cache (safety.declarations; every test starts with an empty cache).
PAGE_QUERIES = 9
CONSENT_KINDS = {GUIDELINES: consent.GUIDELINES, HEALTH_DATA: consent.HEALTH_DATA}


def footer_links(html):
    """(href, text) of every link in the footer's page list."""
    footer = html[html.index('<footer class="site-footer">') :]
    listing = footer[: footer.index("</nav>")] if "</nav>" in footer else ""
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', listing)


def test_setup_makes_every_page_under_home_out_of_the_section_menu(site_pages, home):
    assert set(site_pages) == {spec.key for spec in SITE_PAGES}
    for spec in SITE_PAGES:
        page = site_pages[spec.key]
        assert page.live and not page.show_in_menus and page.show_in_footer
        assert page.title == spec.title
        parent = site_pages[spec.parent] if spec.parent else home
        assert page.get_parent().pk == parent.pk
        assert page.get_latest_revision() is not None, "editors see a history from the start"
    assert site_pages[ABOUT].url == "/about/"
    assert site_pages[PRIVACY].url == "/privacy/"


def test_consent_pages_live_at_the_addresses_consent_records_name(site_pages):
    for key, kind in CONSENT_KINDS.items():
        assert site_pages[key].consent_kind == kind
        assert site_pages[key].url == reverse(consent.CURRENT[kind].url_name)


def test_setup_twice_changes_nothing(site_pages):
    before = list(Page.objects.order_by("path").values_list("path", "slug", "title", "live"))
    revisions = {page.pk: page.latest_revision_id for page in site_pages.values()}

    portal_setup()

    assert list(Page.objects.order_by("path").values_list("path", "slug", "title", "live")) == (
        before
    )
    # The English pages (their German translations are tests/portal/test_site_pages_german.py's).
    originals = InformationPage.objects.exclude(setup_key="")
    assert {page.pk: page.latest_revision_id for page in originals} == revisions


def test_setup_keeps_every_editors_change(site_pages, home):
    about = site_pages[ABOUT]
    about.title, about.slug, about.show_in_footer = "Who we are", "who-we-are", False
    about.save_revision().publish()
    terms = site_pages[TERMS]
    terms.unpublish()
    contact = site_pages[CONTACT]
    contact.move(site_pages[PRIVACY], pos="last-child")

    portal_setup()

    # Each page and its German translation, once.
    assert InformationPage.objects.count() == len(SITE_PAGES) * len(content_languages()), (
        "nothing duplicated"
    )
    about.refresh_from_db()
    assert (about.title, about.slug, about.show_in_footer) == ("Who we are", "who-we-are", False)
    assert not InformationPage.objects.get(pk=terms.pk).live, "unpublished stays unpublished"
    moved = InformationPage.objects.get(pk=contact.pk)
    assert moved.get_parent().pk == site_pages[PRIVACY].pk


def test_setup_remakes_a_deleted_page_and_avoids_a_taken_address(site_pages, home):
    site_pages[ACCESSIBILITY].delete()
    # An editor has since used the address for a page of their own.
    home.add_child(instance=InformationPage(title="Accessibility help", slug="accessibility"))

    portal_setup()

    remade = InformationPage.objects.get(setup_key=ACCESSIBILITY)
    assert remade.live and remade.slug == "accessibility-2"
    assert InformationPage.objects.filter(slug="accessibility", locale=home.locale).count() == 1


def test_the_database_allows_one_page_per_setup_key_and_consent(site_pages):
    from django.db import IntegrityError, transaction

    others = InformationPage.objects.filter(pk=site_pages[ABOUT].pk)
    # Straight to the database, past Wagtail's validation: the constraint holds there.
    with pytest.raises(IntegrityError), transaction.atomic():
        others.update(setup_key=PRIVACY)
    with pytest.raises(IntegrityError), transaction.atomic():
        others.update(consent_kind=consent.GUIDELINES)
    # Pages of the editors' own have neither, as many as they like (and so have the
    # translations, found by their originals' translation_key).
    before = InformationPage.objects.filter(setup_key="", consent_kind="").count()
    assert before == len(SITE_PAGES) * (len(content_languages()) - 1)
    site_pages[ABOUT].get_parent().add_child(
        instance=InformationPage(title="Another", slug="another")
    )
    site_pages[ABOUT].get_parent().add_child(
        instance=InformationPage(title="And another", slug="and-another")
    )
    assert InformationPage.objects.filter(setup_key="", consent_kind="").count() == before + 2


@pytest.mark.parametrize("spec", SITE_PAGES, ids=lambda spec: spec.key)
def test_every_page_renders_with_its_text(client, site_pages, spec):
    response = client.get(site_pages[spec.key].url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{spec.title}</h1>" in html
    assert spec.intro in html.replace("&#x27;", "'")
    assert "Last updated" in html


def test_privacy_notice_says_what_is_kept_who_sees_it_how_long_and_how_to_leave(client, site_pages):
    html = client.get(site_pages[PRIVACY].url).content.decode().replace("&#x27;", "'")

    for heading in ("What we keep", "Who can see what", "How long we keep it"):
        assert f"<h2>{heading}</h2>" in html
    for stored in (
        "Your account",
        "Your profile",
        "What you write",
        "Ratings and comments",
        "Follows",
        "Notifications",
        "Your consents",
        "Searches",
        "Server logs",
    ):
        assert f"<b>{stored}</b>" in html, stored
    assert "without who searched" in html
    for audience in ("Everyone", "Members", "Only you", "Reviewers", "Administrators"):
        assert f"<b>{audience}</b>" in html, audience
    assert "Anonymous stories" in html
    # Honest about what is not built yet, and what to do meanwhile.
    assert "There is not yet a button to download everything" in html
    assert "withdraw your consent" in html


def test_consent_pages_show_the_current_versioned_text_inside_the_editors_page(client, site_pages):
    for key, kind in CONSENT_KINDS.items():
        page = site_pages[key]
        page.intro = "<p>Framing written by an editor.</p>"
        page.save_revision().publish()
        text = consent.CURRENT[kind]

        html = client.get(reverse(text.url_name)).content.decode().replace("&#x27;", "'")

        assert "Framing written by an editor." in html
        assert f"Version {text.version}" in html
        for heading, paragraphs in text.sections:
            assert f"<h2>{heading}</h2>" in html
            assert paragraphs[0] in html
        assert "<script" not in html, "like the sign-up form that links here"


def test_consent_text_stays_readable_when_its_page_is_unpublished(client, site_pages):
    site_pages[GUIDELINES].unpublish()
    text = consent.CURRENT[consent.GUIDELINES]

    response = client.get("/guidelines/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Version {text.version}" in html
    assert site_pages[GUIDELINES].intro not in html


def test_consent_addresses_only_answer_reads(client, site_pages):
    assert client.post("/guidelines/").status_code == 405
    assert client.head("/privacy/health-data/").status_code == 200


def test_signup_links_lead_to_the_pages(client, site_pages):
    html = client.get(reverse("account_signup")).content.decode()

    for key in CONSENT_KINDS:
        page = site_pages[key]
        assert f'href="{page.url}"' in html
        followed = client.get(page.url).content.decode()
        assert page.intro in followed, "the editors' page, not the bare text"


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_footer_links_the_site_pages(client, site_pages, blog_index, member, signed_in):
    if signed_in:
        client.force_login(member)
    post = BlogPageFactory(parent=blog_index, author=member)
    expected = [
        (page.url, page.title) for page in sorted(site_pages.values(), key=lambda p: p.path)
    ]
    paths = ["/", "/blogs/", post.url, "/search/?q=walking", site_pages[PRIVACY].url]
    paths.append(reverse("accounts:account") if signed_in else reverse("account_login"))

    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert footer_links(response.content.decode()) == expected, path


def test_footer_leaves_out_unpublished_hidden_and_restricted_pages(client, site_pages):
    site_pages[TERMS].unpublish()
    about = site_pages[ABOUT]
    about.show_in_footer = False
    about.save_revision().publish()
    PageViewRestriction.objects.create(
        page=site_pages[PRIVACY], restriction_type=PageViewRestriction.LOGIN
    )

    links = footer_links(client.get("/").content.decode())

    titles = [title for _href, title in links]
    assert titles == [site_pages[GUIDELINES].title, "Accessibility statement", "Contact"]


def test_footer_is_not_in_the_header_menu(client, site_pages):
    html = client.get("/").content.decode()
    header = html[: html.index("</header>")]

    for page in site_pages.values():
        assert f'href="{page.url}"' not in header


def test_footer_titles_are_escaped(client, site_pages):
    about = site_pages[ABOUT]
    for payload in PAYLOADS:
        about.title = payload
        about.save_revision().publish()

        html = client.get("/").content.decode()

        assert injected_markup(html) == [], payload


@pytest.mark.parametrize("extra", [0, 8])
def test_header_and_footer_cost_one_query_however_many_pages(
    site_pages, home, django_assert_num_queries, extra
):
    for number in range(extra):
        home.add_child(instance=InformationPage(title=f"Extra {number}", slug=f"extra-{number}"))
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    Site.clear_site_root_paths_cache()

    # The links, and the sites' root paths for their addresses (Wagtail keeps
    # those in the cache: read once).
    with django_assert_num_queries(2):
        links = site_links(site=site)
    with django_assert_num_queries(1):
        again = site_links(site=site)

    assert [page.nav_url for page in again.sections] == [page.url for page in links.sections]

    assert len(links.footer) == len(SITE_PAGES) + extra
    assert [section.slug for section in links.sections] == [
        "blogs",
        "expert-articles",
        "experiences",
        "questions",
        "communities",
    ]


def test_header_leaves_out_unpublished_hidden_and_restricted_sections(site_pages, sections):
    from core import roles

    sections[roles.BLOGS].unpublish()
    PageViewRestriction.objects.create(
        page=sections[roles.EXPERIENCES], restriction_type=PageViewRestriction.LOGIN
    )
    site = Site.objects.get(is_default_site=True)

    links = site_links(site=site)

    assert [section.slug for section in links.sections] == [
        "expert-articles",
        "questions",
        "communities",
    ]
    assert [page.pk for page in links.footer] == [
        page.pk for page in sorted(site_pages.values(), key=lambda p: p.path)
    ]


def test_footer_costs_nothing_when_a_response_does_not_show_it(
    site_pages, django_assert_num_queries
):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        context = site_navigation(request)
    assert "footer_pages" in context


@pytest.mark.parametrize("extra", [0, 8])
def test_page_views_cost_a_fixed_number_of_queries(
    client, site_pages, home, django_assert_max_num_queries, extra
):
    for number in range(extra):
        home.add_child(instance=InformationPage(title=f"Extra {number}", slug=f"extra-{number}"))

    for key in (PRIVACY, GUIDELINES):
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = client.get(site_pages[key].url)
        assert response.status_code == 200


def test_administrators_edit_the_page_and_are_told_what_is_versioned(client, site_pages, superuser):
    client.force_login(superuser)

    consent_form = client.get(reverse("wagtailadmin_pages:edit", args=[site_pages[GUIDELINES].pk]))
    plain_form = client.get(reverse("wagtailadmin_pages:edit", args=[site_pages[ABOUT].pk]))

    assert consent_form.status_code == plain_form.status_code == 200
    version = consent.CURRENT[consent.GUIDELINES].version
    assert f"version {version}" in consent_form.content.decode()
    assert "members are asked to agree again" in consent_form.content.decode()
    assert "members are asked to agree again" not in plain_form.content.decode()
    for html in (consent_form.content.decode(), plain_form.content.decode()):
        assert 'name="consent_kind"' not in html and 'name="setup_key"' not in html


def test_reviewers_cannot_edit_the_site_pages(client, site_pages, editor):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[site_pages[PRIVACY].pk]))

    assert response.status_code in (302, 403)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_header_and_footer_links_are_the_pages_addresses_without_reversing_them(
    client, site_pages, sections, member, signed_in, monkeypatch
):
    if signed_in:
        client.force_login(member)
    client.get("/")  # the links are worked out and kept here
    reversed_ = calls_of(monkeypatch, wagtail_pages, "reverse")

    # A page that links no other page of the tree itself.
    path = reverse("accounts:account") if signed_in else reverse("account_login")
    html = client.get(path).content.decode()
    assert reversed_ == []

    start = html.index('aria-label="Sections"')
    header = html[start : html.index("</nav>", start)]
    in_menus = Site.objects.get(is_default_site=True).root_page.get_children().live().in_menu()
    assert re.findall(r'href="([^"]*)"', header) == [page.url for page in in_menus]
    assert len(in_menus) == len(sections) + 1  # and the community directory
    assert [href for href, _title in footer_links(html)] == [
        page.url for page in sorted(site_pages.values(), key=lambda p: p.path)
    ]


def test_the_links_addresses_follow_the_script_prefix(site_pages):
    from core.context_processors import _cached_links

    site = Site.objects.select_related("root_page").get(is_default_site=True)
    plain = _cached_links(site)
    set_script_prefix("/kindred/")
    try:
        prefixed = _cached_links(site)
    finally:
        clear_script_prefix()
    assert [page.nav_url for page in prefixed.footer] == [
        "/kindred" + page.nav_url for page in plain.footer
    ]
    assert _cached_links(site).footer[0].nav_url == plain.footer[0].nav_url
