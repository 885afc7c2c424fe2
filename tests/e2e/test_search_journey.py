"""Search in a real browser: suggestions while typing, then results, a filter and paging."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import BlogPageFactory, ExperienceStoryPageFactory

pytestmark = pytest.mark.e2e


def test_a_visitor_picks_a_suggestion_then_filters_and_pages_results(
    page, portal, blog_index, story_index
):
    target = BlogPageFactory(parent=blog_index, title="Cooling vests that work")
    for number in range(13):
        BlogPageFactory(parent=blog_index, title=f"Cooling tips {number}")
    ExperienceStoryPageFactory(parent=story_index, title="Cooling down after a relapse")

    page.goto("/")
    box = page.get_by_role("searchbox", name="Search Kindred")
    box.fill("cooling ve")
    suggestion = page.locator("#site-search-suggestions a", has_text="Cooling vests that work")
    expect(suggestion).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target.url) + "$"))

    box = page.get_by_role("searchbox", name="Search Kindred")
    box.fill("cooling")
    box.press("Enter")
    expect(page.locator(".search-summary")).to_have_text(re.compile("15 results"))
    page.locator('ul[data-facet="type"] a', has_text="Blog post").click()
    expect(page.locator(".search-summary")).to_have_text(re.compile("14 results"))
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"type=blog.*page=2|page=2.*type=blog"))
    expect(page.locator(".search-hit")).to_have_count(2)
