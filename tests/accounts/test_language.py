"""Choosing the interface language (issue 18, accounts.language): the switcher, the member's
saved choice, and who wins.

The order, strongest first: a member's saved language, the switcher's cookie, the
browser's Accept-Language, the site's default (en-gb).
"""

from django.conf import settings
from django.test import Client

import pytest

pytestmark = pytest.mark.django_db

SWITCH = "/language/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _language(response) -> str:
    return response["Content-Language"]


# --- The footer's links (visitors): GET sets this browser's cookie and goes back -------


def test_a_visitor_link_sets_the_cookie_and_goes_back(home):
    response = Client().get(SWITCH, {"language": "de", "next": "/tags/fatigue/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/tags/fatigue/?page=2"
    morsel = response.cookies[COOKIE]
    assert morsel.value == "de"
    assert morsel["max-age"] == 365 * 24 * 60 * 60
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_cookie_then_chooses_the_language_over_the_browser(home):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert _language(browser.get(home.url)) == "en-gb"

    browser.get(SWITCH, {"language": "de", "next": home.url})

    assert _language(browser.get(home.url)) == "de"
    assert '<html lang="de">' in browser.get(home.url).content.decode()


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de"),
        ("de-AT", "de"),
        ("en-US,en;q=0.9", "en-gb"),
        ("fr-FR,fr;q=0.9", "en-gb"),
        ("", "en-gb"),
        ("*", "en-gb"),
        ("x" * 5000, "en-gb"),
        ("de;q=abc,,;;", "en-gb"),
    ],
)
def test_without_a_choice_the_browser_decides(home, accept, expected):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get(home.url)

    assert response.status_code == 200
    assert _language(response) == expected


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        "/" + "a" * 3000,
        "",
    ],
)
def test_a_next_address_off_this_site_goes_home_instead(home, next_url):
    response = Client().get(SWITCH, {"language": "de", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "query",
    [
        {"language": "fr"},
        {"language": "de-AT"},  # served as German when a browser asks, but not offered
        {"language": ""},  # "follow my browser" is a member's account setting
        {"language": "x" * 1000},
        {"language": "<script>alert('xss-lang')</script>"},
        {},
    ],
)
def test_a_language_not_offered_is_refused_with_the_choices(home, query):
    response = Client().get(SWITCH, {**query, "next": "/"})

    assert response.status_code == 400
    assert COOKIE not in response.cookies
    body = response.content.decode()
    assert "That language is not available" in body
    assert f'href="{SWITCH}?language=de&amp;next=/"' in body
    assert "<script>alert('xss-lang')" not in body


def test_without_next_the_switcher_goes_back_to_the_page_it_was_clicked_on(home):
    """The footer carries no address (a page's own path must not appear in it)."""
    here = "http://testserver/tags/fatigue/?page=2#list"
    response = Client().get(SWITCH, {"language": "de"}, HTTP_REFERER=here)

    assert response["Location"] == "/tags/fatigue/?page=2#list"


@pytest.mark.parametrize(
    "referer",
    ["https://evil.example/page/", "//evil.example/", "javascript:alert(1)", "x" * 3000, ""],
)
def test_a_referer_from_elsewhere_goes_home(home, referer):
    response = Client().get(SWITCH, {"language": "de"}, HTTP_REFERER=referer)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_no_page_carries_its_own_address_in_the_switcher(home):
    """Two 404s for different made-up addresses are the same bytes (privacy tests compare
    a hidden item's 404 with a missing one's)."""
    first = Client().get("/made-up/1/").content
    second = Client().get("/made-up/2/").content

    assert first == second


def test_only_get_and_post_are_answered(home):
    assert Client().put(SWITCH, {"language": "de"}).status_code == 405
    assert Client().delete(SWITCH).status_code == 405


# --- A member's choice: saved on the account, by a POST with a CSRF token --------------


def test_a_member_saves_a_language_and_reads_in_it_everywhere(member, home):
    browser = Client()
    browser.force_login(member)

    response = browser.post(SWITCH, {"language": "de", "next": "/me/account/#language"})

    assert response.status_code == 302
    assert response["Location"] == "/me/account/#language"
    member.refresh_from_db()
    assert member.language == "de"
    assert response.cookies[COOKIE].value == "de"
    # Another device: no cookie, an English browser; the saved choice wins.
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    elsewhere.force_login(member)
    assert _language(elsewhere.get(home.url)) == "de"


def test_the_saved_choice_beats_the_cookie_and_the_browser(member, home):
    member.language = "de"
    member.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    browser.force_login(member)
    browser.cookies[COOKIE] = "en-gb"

    assert _language(browser.get(home.url)) == "de"


def test_following_the_browser_again_clears_the_choice_and_the_cookie(member, home):
    member.language = "de"
    member.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    browser.force_login(member)

    response = browser.post(SWITCH, {"language": "", "next": "/"})

    member.refresh_from_db()
    assert member.language == ""
    assert response.cookies[COOKIE].value == ""  # deleted
    assert response.cookies[COOKIE]["max-age"] == 0
    assert _language(browser.get(home.url)) == "en-gb"


def test_a_members_footer_link_sets_only_the_cookie(member, home):
    browser = Client()
    browser.force_login(member)

    browser.get(SWITCH, {"language": "de", "next": "/"})

    member.refresh_from_db()
    assert member.language == ""


def test_a_saved_language_the_site_no_longer_offers_is_ignored(member, home):
    member.language = "fr"
    member.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(member)

    response = browser.get(home.url)

    assert response.status_code == 200
    assert _language(response) == "de"


def test_the_post_needs_a_csrf_token(member, home):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    response = browser.post(SWITCH, {"language": "de", "next": "/"})

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.language == ""


def test_a_refused_post_changes_nothing(member, home):
    browser = Client()
    browser.force_login(member)

    for value in ("fr", "x" * 100, "<b>de</b>"):
        assert browser.post(SWITCH, {"language": value, "next": "/"}).status_code == 400

    member.refresh_from_db()
    assert member.language == ""


def test_the_account_page_offers_the_choice(member, home):
    browser = Client()
    browser.force_login(member)

    body = browser.get("/me/account/").content.decode()

    assert 'action="/language/"' in body
    assert '<option value="" selected>' in body
    assert '<option value="de" lang="de">Deutsch</option>' in body


# --- The footer ------------------------------------------------------------------------


def test_a_visitors_footer_has_links_and_no_token(home):
    body = Client().get(home.url).content.decode()

    switcher = body[body.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="/language/?language=de"' in switcher
    assert 'aria-current="true" lang="en-gb">English' in switcher
    assert "csrfmiddlewaretoken" not in switcher


def test_a_members_footer_has_buttons_that_save(member, home):
    browser = Client()
    browser.force_login(member)

    body = browser.get(home.url).content.decode()

    switcher = body[body.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'method="post" action="/language/"' in switcher
    assert 'name="language" value="de"' in switcher
    assert "csrfmiddlewaretoken" in switcher


def test_the_members_language_costs_no_query(
    member, home, django_assert_num_queries, django_assert_max_num_queries
):
    browser = Client()
    browser.force_login(member)
    browser.get(home.url)
    with django_assert_max_num_queries(40) as english:
        browser.get(home.url)
    member.language = "de"
    member.save()

    with django_assert_num_queries(len(english.captured_queries)):
        browser.get(home.url)


def test_each_language_is_named_in_itself_on_a_german_page(home):
    """Django's own tag would offer "Englisch" on a German page; readers look for "English"."""
    body = Client(HTTP_ACCEPT_LANGUAGE="de").get(home.url).content.decode()

    switcher = body[body.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'hreflang="en-gb" rel="nofollow">English</a>' in switcher
    assert "Englisch" not in switcher
    assert 'aria-current="true" lang="de">Deutsch' in switcher
