"""The star widget's script speaks the page's language (issue 18).

A German member rates an item with JavaScript on: the summary, their own rating
and the status, all written by ratings.js, are German, with the average as German
writes it (4,5) and the right plurals; nothing English is left on the page.
"""

import re

from wagtail.rich_text import RichText

import pytest
from playwright.sync_api import expect

from ratings.models import Rating, RatingSummary
from ratings.services import anonymous_key_for
from tests.discussion.conftest import with_consent
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import ExperienceStoryPageFactory, UserFactory
from tests.factories.users import TEST_PASSWORD
from tests.german import assert_german

pytestmark = pytest.mark.e2e


@pytest.fixture
def german_page(browser, live_server):
    """A page in a fresh browser context that asks for German, kept on the live server."""
    outside = re.compile(rf"^(?!{re.escape(live_server.url.rstrip('/') + '/')}).*")
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.route(outside, lambda route: route.abort())
    yield context.new_page()
    context.close()


def test_a_german_member_rates_and_reads_the_summary_in_german(german_page, story_index):
    author = UserFactory(group="Members", display_name="Die Autorin")
    item = ExperienceStoryPageFactory(
        parent=story_index,
        author=author,
        title="Mit Müdigkeit leben",
        summary="Was geholfen hat und was nicht.",
        body=[("paragraph", RichText("<p>Manche Tage sind schwerer als andere.</p>"))],
    )
    Rating.objects.create(page=item, anonymous_key=anonymous_key_for("z" * 43), score=4)
    RatingSummary.objects.create(page_id=item.pk, count=1, total=4)
    member = with_consent(UserFactory(group="Members", display_name="Sonnenblume"))
    member.language = "de"
    member.save()
    page = german_page

    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse oder Benutzername").fill(member.email)
    page.get_by_label("Passwort", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(item.url)
    widget = page.locator("[data-rating-widget]")
    expect(widget.locator("[data-rating-summary]")).to_have_text(
        "★ Bewertet mit 4,0 von 5 Sternen aus 1 Bewertung"
    )
    widget.locator('input[name="score"][value="5"]').check()
    widget.get_by_role("button", name="Bewertung speichern").click()

    # Written by the script in place, from the endpoint's German JSON.
    summary = widget.locator("[data-rating-summary]")
    expect(summary).to_have_text("★ Bewertet mit 4,5 von 5 Sternen aus 2 Bewertungen")
    expect(summary.locator("strong")).to_have_text("4,5")
    expect(widget.locator("[data-rating-yours]")).to_have_text("Ihre Bewertung: 5 Sterne")
    expect(widget.locator("legend")).to_have_text("Ihre Bewertung ändern")
    expect(widget.locator("[data-rating-status]")).to_contain_text("5 Sterne")
    assert page.url.endswith(item.url)
    assert_german(page.content())
