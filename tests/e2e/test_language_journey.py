"""Kindred in German in a real browser (issue 18): the browser's language, the footer
switcher, and a member's saved choice on another device.

A German browser gets German pages with nothing English left (tests/german.py),
at phone and desktop width; the footer switches to English and back, remembered by
this browser; a member who saves German on the account page reads German on a
second, English browser after signing in there.
"""

import re

from wagtail.rich_text import RichText

import pytest
from playwright.sync_api import expect

from tests.discussion.conftest import with_consent
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.users import TEST_PASSWORD
from tests.german import assert_german

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser_in(browser, live_server):
    """A fresh browser context whose Accept-Language is ``locale``, kept on the live server."""
    contexts = []
    outside = re.compile(rf"^(?!{re.escape(live_server.url.rstrip('/') + '/')}).*")

    def open_page(locale, viewport=DESKTOP):
        context = browser.new_context(base_url=live_server.url, locale=locale, viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(outside, lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width}px wide at {page.viewport_size}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_german_browser_reads_german_and_switches_to_english(
    browser_in, blog_index, member, viewport
):
    item = BlogPageFactory(
        parent=blog_index,
        author=member,
        title="Müde im Alltag",
        tags=["müdigkeit"],
        summary="Was geholfen hat, und was nicht.",
        body=[("paragraph", RichText("<p>Manche Tage sind schwerer als andere.</p>"))],
    )
    page = browser_in("de-DE", viewport)

    page.goto(item.url)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_german(page.content())
    _fits(page)

    switcher = page.get_by_role("navigation", name="Sprache")
    expect(switcher.locator("[aria-current]")).to_have_text("Deutsch")
    switcher.get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(re.escape(item.url) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_a_members_saved_language_follows_them_to_another_browser(browser_in, home):
    member = with_consent(UserFactory(group="Members", display_name="Anna"))
    page = browser_in("en-GB")
    site_login(page, member.email)

    page.goto("/me/account/")
    page.get_by_role("combobox", name="Language").select_option("de")
    page.get_by_role("button", name="Save language").click()

    expect(page.get_by_text("Ihre Sprache ist gespeichert.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_german(page.content())
    member.refresh_from_db()
    assert member.language == "de"

    # The sign-in page is English for this English browser; once signed in, German.
    elsewhere = browser_in("en-GB", PHONE)
    elsewhere.goto("/accounts/login/")
    elsewhere.get_by_label("Email or username").fill(member.email)
    elsewhere.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    elsewhere.get_by_role("button", name="Sign in").click()
    expect(elsewhere.locator("html")).to_have_attribute("lang", "de")
    elsewhere.goto("/feed/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "de")
    assert_german(elsewhere.content())
    _fits(elsewhere)


def test_the_review_queues_german_heading_fits_a_small_phone(browser_in, editor):
    # "Prüfwarteschlange" is one word, wider than 320 px in the admin's heading: it
    # was cut off until the catalogue gave it places to break (soft hyphens).
    editor.language = "de"
    editor.save(update_fields=["language"])
    page = browser_in("de-DE", {"width": 320, "height": 640})
    page.goto("/accounts/login/?next=/admin/review-queue/")
    page.locator("input[name=login]").fill(editor.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/admin/review-queue/$"))

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("Prüf.?warte.?schlange"))
    overflow = heading.evaluate("node => node.scrollWidth - node.clientWidth")
    right = heading.evaluate("node => node.getBoundingClientRect().right")
    assert overflow <= 0 and right <= 320, (overflow, right)
