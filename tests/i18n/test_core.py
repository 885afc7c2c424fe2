"""The site's frame and reading pages in German (issue 18): header, navigation, footer,
home, sections, items, tags, search, errors, pagination, feeds and the staff reports.

Every page is asked for by a German visitor (``Accept-Language: de``) or by a member
whose saved language is German, and must read as German (``tests.german``). The test
data is German too, so only interface text is left to find.
"""

import json

from django.test import Client

import pytest

from core import roles
from core.models import CommunityMembership
from core.refusals import Refused
from core.responses import refusal_response
from tests.factories import (
    BlogPageFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    UserFactory,
)
from tests.factories.communities import CommunityMembershipFactory
from tests.german import ENGLISH, GERMAN, assert_german, german_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_site(home, sections):
    """The site's own intros (content, from setup_portal) in German."""
    from core.models import CommunityIndexPage

    for page in [home, *sections.values(), *CommunityIndexPage.objects.all()]:
        specific = page.specific
        type(specific).objects.filter(pk=page.pk).update(intro="<p>Willkommen hier.</p>")
    return home, sections


@pytest.fixture
def items(german_site, blog_index, expert_index, story_index, member, expert):
    return {
        "blog": german_item(
            BlogPageFactory,
            parent=blog_index,
            author=member,
            title="Müde im Frühling",
            tags=["müdigkeit"],
        ),
        "expert": german_item(
            ExpertArticlePageFactory,
            parent=expert_index,
            author=expert,
            title="Schübe verstehen",
            credentials="Neurologin",
            tags=["müdigkeit"],
        ),
        "story": german_item(
            ExperienceStoryPageFactory,
            parent=story_index,
            author=member,
            title="Mein erstes Jahr",
            tags=["alltag"],
        ),
    }


@pytest.fixture
def german_member(member):
    member.language = "de"
    member.save(update_fields=["language"])
    client = Client()
    client.force_login(member)
    return client


def test_the_home_page_header_and_footer_are_german_for_a_visitor(items, home):
    response = Client().get(home.url, **GERMAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html and "Anmelden" in html
    assert "Am besten bewertet" in html or "Neu in" in html
    assert_german(response)


def test_the_home_page_is_german_for_a_german_member(items, home, german_member):
    response = german_member.get(home.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meine Beiträge" in html and "Abmelden" in html
    assert_german(response)


@pytest.mark.parametrize("section", [roles.BLOGS, roles.EXPERT_ARTICLES, roles.EXPERIENCES])
def test_each_section_index_is_german(items, sections, section, german_member):
    url = sections[section].url
    assert_german(Client().get(url, **GERMAN))
    assert_german(german_member.get(url))


@pytest.mark.parametrize("kind", ["blog", "expert", "story"])
def test_each_kind_of_item_is_german_for_a_visitor_and_a_member(items, kind, german_member):
    url = items[kind].url
    visitor = Client().get(url, **GERMAN)
    assert visitor.status_code == 200
    assert_german(visitor)
    response = german_member.get(url)
    assert response.status_code == 200
    assert_german(response)


def test_an_items_type_audience_and_review_status_are_german(items):
    html = Client().get(items["expert"].url, **GERMAN).content.decode()
    assert "Fachartikel" in html
    assert "Öffentlich: Alle können dies lesen" in html
    assert "Nicht medizinisch geprüft" in html
    assert "Dies ersetzt nicht den Rat Ihres Behandlungsteams." in html


def test_a_members_only_items_teaser_is_german(german_site, blog_index, member):
    item = german_item(
        BlogPageFactory, parent=blog_index, author=member, title="Nur für uns", audience="members"
    )
    response = Client().get(item.url, **GERMAN)
    assert "Nur Mitglieder von Kindred können dies lesen." in response.content.decode()
    assert_german(response)


def test_a_tag_page_is_german(items):
    response = Client().get("/tags/müdigkeit/", **GERMAN)
    assert response.status_code == 200
    assert "Thema „müdigkeit“" in response.content.decode()
    assert_german(response)


def test_a_section_filtered_by_a_tag_is_german(items, blog_index):
    response = Client().get(blog_index.url + "?tag=müdigkeit", **GERMAN)
    assert "Angezeigt werden Beiträge zum Thema" in response.content.decode()
    assert_german(response)
    response = Client().get(blog_index.url + "?tag=unbekannt", **GERMAN)
    assert "Hier gibt es keine veröffentlichten Beiträge zu diesem Thema." in (
        response.content.decode()
    )
    assert_german(response)


def test_pagination_says_page_2_of_5_in_german(german_site, blog_index, member):
    for number in range(49):
        german_item(BlogPageFactory, parent=blog_index, author=member, title=f"Tagebuch {number}")
    response = Client().get(blog_index.url + "?page=2", **GERMAN)
    html = response.content.decode()
    assert "Seite 2 von 5" in html
    assert ">Neuere<" in html and ">Ältere<" in html
    assert_german(response)


def test_search_with_results_none_and_hostile_input_is_german(items):
    search = "/search/"
    found = Client().get(search, {"q": "Frühling"}, **GERMAN)
    assert found.status_code == 200
    html = found.content.decode()
    assert "1 Ergebnis für „Frühling“" in html
    assert_german(found, allowed=("Frühling",))

    nothing = Client().get(search, {"q": "Zzyzx"}, **GERMAN)
    assert nothing.status_code == 200
    assert "Nichts gefunden." in nothing.content.decode()
    assert_german(nothing, allowed=("Zzyzx",))

    hostile = '"><script>alert(1)</script>'
    response = Client().get(search, {"q": hostile, "type": "nonsense", "page": "x"}, **GERMAN)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    assert_german(response, allowed=("alert",))

    empty = Client().get(search, **GERMAN)
    assert "Geben Sie oben ein oder zwei Wörter ein" in empty.content.decode()
    assert_german(empty)


def test_search_results_plurals_in_german(items):
    response = Client().get("/search/", {"q": "Frühling Schübe"}, **GERMAN)
    assert "2 Ergebnisse für „Frühling Schübe“" in response.content.decode()


def test_search_autocomplete_json_has_no_english_interface_text(items):
    response = Client().get("/search/autocomplete/", {"q": "Früh"}, **GERMAN)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert set(data) == {"results"}
    # The titles are content; the type of each is said in German.
    for result in data["results"]:
        assert_german(str(result.get("type", "")))


def test_the_404_page_is_german_with_its_status(german_site):
    response = Client().get("/keine-solche-seite/", **GERMAN)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    assert_german(response)


def test_the_429_page_is_german(german_site, rf):
    from django.template.response import TemplateResponse

    request = rf.get("/accounts/login/", **GERMAN)
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    request.user = AnonymousUser()
    with translation.override("de"):
        response = TemplateResponse(request, "429.html", status=429).render()
    assert response.status_code == 429
    assert "Bitte warten Sie einen Moment" in response.content.decode()
    assert_german(response.content.decode())


def test_the_500_and_503_pages_speak_the_requests_language():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("de"):
        page_500 = render_to_string("500.html")
        page_503 = render_to_string("503.html", {"sent": True})
    assert '<html lang="de">' in page_500 and '<html lang="de">' in page_503
    assert_german(page_500)
    assert_german(page_503)
    with translation.override("en-gb"):
        assert '<html lang="en-gb">' in render_to_string("500.html")
        assert "Something went wrong on our side" in render_to_string("500.html")


def test_a_busy_database_answers_a_german_reader_in_german(german_site):
    from django.db import OperationalError
    from django.test import RequestFactory
    from django.utils import translation

    from portal.middleware import DatabaseBusyMiddleware

    middleware = DatabaseBusyMiddleware(lambda request: None)
    busy = OperationalError("database is locked")
    with translation.override("de"):
        as_json = middleware.process_exception(
            RequestFactory().post("/x/", HTTP_ACCEPT="application/json"), busy
        )
        page = middleware.process_exception(RequestFactory().post("/x/"), busy)
    assert as_json.status_code == page.status_code == 503
    assert "nichts gespeichert" in json.loads(as_json.content)["error"]
    assert_german(page.content.decode())


def test_a_refusal_is_german_as_json_and_as_a_page(rf):
    from django.utils import translation

    request = rf.post("/x/", HTTP_ACCEPT="application/json")
    with translation.override("de"):
        response = refusal_response(request, Refused(), template="404.html")
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "Das ist nicht möglich."
    with translation.override("en-gb"):
        response = refusal_response(request, Refused(), template="404.html")
    assert json.loads(response.content)["error"] == "This is not possible."


def test_the_community_less_navigation_is_german_for_visitors_and_members(
    german_site, home, german_member
):
    for response in (Client().get(home.url, **GERMAN), german_member.get(home.url)):
        html = response.content.decode()
        assert 'aria-label="Bereiche"' in html
        assert "Über Kindred" in html or "Nebenwirkung" in html
        assert_german(response)


def test_the_unread_count_in_the_menu_has_german_plurals(german_site, home, member, german_member):
    from social.models import Notification

    actor = UserFactory(display_name="Anna")
    kind = Notification.Kind.values[0]
    Notification.objects.create(recipient=member, kind=kind, actor=actor)
    html = german_member.get(home.url).content.decode()
    assert "1 ungelesene Benachrichtigung<" in html
    Notification.objects.create(recipient=member, kind=kind, actor=actor)
    response = german_member.get(home.url)
    assert "2 ungelesene Benachrichtigungen" in response.content.decode()
    assert_german(response)
    member.language = "en-gb"
    member.save(update_fields=["language"])
    assert "2 unread notifications" in german_member.get(home.url).content.decode()


def test_the_communities_directory_and_a_community_are_german(
    german_site, community_index, member, german_member
):
    community = CommunityPageFactory(
        parent=community_index,
        title="Neu diagnostiziert",
        intro="<p>Menschen im ersten Jahr.</p>",
        rules="<p>Seien Sie freundlich.</p>",
    )
    assert_german(Client().get(community_index.url, **GERMAN))
    assert_german(Client().get(community.url, **GERMAN))
    CommunityMembershipFactory(community=community, user=member)
    response = german_member.get(community.url)
    html = response.content.decode()
    assert "1 Mitglied<" in html or "1 Mitglied ·" in html
    assert_german(response)
    assert_german(german_member.get(community_index.url))
    assert CommunityMembership.objects.filter(user=member).exists()


@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_the_feeds_interface_text_is_german(items, blog_index, feed):
    for url in (f"/feeds/{blog_index.slug}/{feed}/", f"/feeds/tags/müdigkeit/{feed}/"):
        response = Client().get(url, **GERMAN)
        assert response.status_code == 200
        assert_german(response.content.decode(), allowed=("expert-articles",))


def test_the_analytics_and_search_reports_are_german_for_german_staff(portal, superuser):
    superuser.language = "de"
    superuser.save(update_fields=["language"])
    staff = Client()
    staff.force_login(superuser)
    for url in (
        "/admin/analytics/review/",
        "/admin/analytics/community/",
        "/admin/reports/search/popular/",
        "/admin/reports/search/no-results/",
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="de"' in html
    review = staff.get("/admin/analytics/review/").content.decode()
    assert "Beiträge, die auf Prüfung warten, Tag für Tag" in review
    assert "Die Zahlen als Tabelle" in review
    community = staff.get("/admin/analytics/community/").content.decode()
    assert "Gesamte Website: Woche für Woche" in community
    assert "Beliebte Suchanfragen" in staff.get("/admin/reports/search/popular/").content.decode()


def test_pages_are_stored_apart_by_language_in_the_page_cache(items, home):
    url = items["blog"].url
    in_german = Client().get(url, **GERMAN)
    english = Client().get(url, **ENGLISH)
    assert in_german.status_code == english.status_code == 200
    assert "Nicht medizinisch geprüft" in in_german.content.decode()
    assert "Not medically reviewed" in english.content.decode()
    # Asked again, each from the cache, each still in its own language.
    again_german = Client().get(url, **GERMAN)
    again_english = Client().get(url, **ENGLISH)
    assert again_german.content == in_german.content
    assert again_english.content == english.content
    # The switcher's cookie beats the browser's language, and is stored apart too.
    cookie_client = Client(**ENGLISH)
    cookie_client.cookies["kindred_language"] = "de"
    by_cookie = cookie_client.get(url, **ENGLISH)
    assert "Nicht medizinisch geprüft" in by_cookie.content.decode()
    assert_german(by_cookie)
    english_cookie = Client()
    english_cookie.cookies["kindred_language"] = "en-gb"
    assert "Not medically reviewed" in english_cookie.get(url, **GERMAN).content.decode()


def test_the_english_pages_stay_english(items, home):
    html = Client().get(home.url, **ENGLISH).content.decode()
    assert "Skip to content" in html and "Sign in" in html
    html = Client().get(items["expert"].url, **ENGLISH).content.decode()
    assert "Not medically reviewed" in html and "Public: everyone can read this" in html
