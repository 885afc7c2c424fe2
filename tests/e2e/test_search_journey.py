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
    box = page.get_by_role("combobox", name="Search Kindred")
    box.fill("cooling ve")
    suggestion = page.get_by_role("option", name=re.compile("Cooling vests that work"))
    expect(suggestion).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target.url) + "$"))

    box = page.get_by_role("combobox", name="Search Kindred")
    box.fill("cooling")
    box.press("Enter")
    expect(page.locator(".search-summary")).to_have_text(re.compile("15 results"))
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_text("Filter", exact=True).click()
    page.locator('ul[data-facet="type"] a', has_text="Blog post").click()
    expect(page.locator(".search-summary")).to_have_text(re.compile("14 results"))
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"type=blog.*page=2|page=2.*type=blog"))
    expect(page.locator(".search-hit")).to_have_count(2)


def test_the_suggestions_follow_the_aria_combobox_pattern(page, portal, blog_index):
    first = BlogPageFactory(parent=blog_index, title="Steroid courses explained")
    second = BlogPageFactory(parent=blog_index, title="Steroids and sleep")
    BlogPageFactory(parent=blog_index, title="Something else")

    page.goto("/")
    box = page.get_by_role("combobox", name="Search Kindred")
    listbox_id = box.get_attribute("aria-controls")
    listbox = page.locator(f"#{listbox_id}")
    # Closed: a combobox that says so, controlling a listbox that exists.
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox).to_be_hidden()

    box.fill("ster")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    # Options hold text only: nothing interactive inside them (axe: nested-interactive).
    assert listbox.locator("a, button, input, [tabindex]").count() == 0
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))

    # The focus stays in the box; the active option is announced through it.
    box.press("ArrowDown")
    expect(box).to_be_focused()
    first_id = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowDown")  # wraps round
    expect(box).to_have_attribute("aria-activedescendant", first_id)

    # Escape closes the list and keeps the words.
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("ster")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))

    # Down opens it again; a click on an option opens that title.
    box.press("ArrowDown")
    expect(options).to_have_count(2)
    titles = [options.nth(index).inner_text() for index in range(2)]
    chosen = second if "Steroids and sleep" in titles[1] else first
    options.nth(1).click()
    expect(page).to_have_url(re.compile(re.escape(chosen.url) + "$"))


def test_the_search_page_has_one_box_and_puts_results_before_filters_on_a_phone(
    new_page, portal, blog_index, story_index
):
    for number in range(4):
        BlogPageFactory(parent=blog_index, title=f"Garden diary {number}", tags=["gardening"])
    ExperienceStoryPageFactory(parent=story_index, title="Garden therapy", tags=["energy"])

    phone = new_page()
    phone.set_viewport_size({"width": 360, "height": 640})
    phone.goto("/search/?q=garden")
    # One search box and one search landmark (axe: landmark-unique), with suggestions.
    expect(phone.get_by_role("search")).to_have_count(1)
    expect(phone.get_by_role("combobox")).to_have_count(1)
    expect(phone.get_by_role("searchbox")).to_have_count(0)
    facets = phone.locator(".search-facets")
    expect(facets).to_be_hidden()
    first_hit = phone.locator(".search-hit").first
    expect(first_hit).to_be_in_viewport()
    hit_top = first_hit.bounding_box()["y"]
    assert hit_top < 640
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # The filters open on demand, below the toggle, and are links that work without script.
    phone.get_by_text("Filter", exact=True).click()
    expect(facets).to_be_visible()
    phone.locator('ul[data-facet="tag"] a', has_text="gardening").click()
    expect(phone.locator(".search-summary")).to_have_text(re.compile("4 results"))
    # The active filter shows, removable, while the filters are closed.
    active = phone.get_by_role("list", name="Active filters")
    expect(active).to_contain_text("gardening")
    expect(phone.locator(".search-facets")).to_be_hidden()

    wide = new_page()
    wide.set_viewport_size({"width": 1280, "height": 800})
    wide.goto("/search/?q=garden")
    expect(wide.locator(".search-facets")).to_be_visible()
    expect(wide.get_by_role("search")).to_have_count(1)
    facet_box = wide.locator(".search-facets").bounding_box()
    hit_box = wide.locator(".search-hit").first.bounding_box()
    # A column beside the results, not above them.
    assert facet_box["x"] + facet_box["width"] <= hit_box["x"]
    assert abs(facet_box["y"] - hit_box["y"]) < 200
