"""A member's whole journey in a real browser, from sign-up to a published story.

Sign up, confirm the email from the outbox, complete the profile, write a
story, preview it, submit it; an editor and a medical reviewer approve it in
the admin; the member sees "Published" in My contributions and the story is
on the site under the member's display name.
"""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from experience_stories.models import ExperienceStoryPage
from tests.e2e.admin import admin_login, admin_logout, approve_on_dashboard
from tests.e2e.site import confirmation_link, site_sign_up

pytestmark = pytest.mark.e2e

DISPLAY_NAME = "RiverWalker"
EMAIL = "river.walker@example.org"
PASSWORD = "a long walk by the river"
TITLE = "The year I learned to rest"


def test_member_signs_up_writes_and_sees_their_story_published(
    new_page, page, portal, editor, medic
):
    mail.outbox.clear()

    # Sign up.
    site_sign_up(page, display_name=DISPLAY_NAME, email=EMAIL, password=PASSWORD)

    # Confirm the address from the email, which signs the member in.
    page.goto(confirmation_link(EMAIL))
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_role("link", name="My contributions")).to_be_visible()

    # Complete the profile.
    page.goto("/me/profile/")
    page.get_by_label("Bio").fill("Walking by the river most mornings.")
    page.get_by_label("Everyone, including visitors").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".messages")).to_contain_text("saved")

    # Write a story, preview it, submit it.
    page.goto("/write/")
    page.get_by_role("link", name="Experience story", exact=True).click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary").fill("Resting before I am tired changed everything.")
    page.get_by_label("Body").fill(
        "## Before\n\nI pushed through **every** day.\n\n## After\n\nNow I rest first."
    )
    page.get_by_label("Tags").fill("fatigue, pacing")
    # A story is for members of Kindred unless its writer chooses otherwise.
    expect(page.get_by_label("Members of Kindred (signed-in members only)")).to_be_checked()
    page.get_by_label("Everyone (public, also found by search engines)").check()
    page.get_by_role("button", name="Save and preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("Only you can see it")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name="After")).to_be_visible()
    preview.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(re.compile(r"/me/contributions/$"))
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Awaiting editorial review")

    # The editor and then the medical reviewer approve it in the admin.
    reviewer = new_page()
    admin_login(reviewer, editor)
    approve_on_dashboard(reviewer, TITLE, comment="Warm and clear.")
    admin_logout(reviewer, editor)
    page.reload()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text(
        "Awaiting medical review"
    )
    admin_login(reviewer, medic)
    approve_on_dashboard(reviewer, TITLE)
    admin_logout(reviewer, medic)

    # The member sees it published, and so does everyone else, under their name.
    page.reload()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Published")
    row.get_by_role("link", name="View", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".audience")).to_have_text("Public: everyone can read this")

    visitor = new_page()
    visitor.goto("/experiences/")
    card = visitor.locator("article.card").filter(has_text=TITLE)
    expect(card).to_contain_text(DISPLAY_NAME)
    card.get_by_role("link", name=TITLE).click()
    expect(visitor.locator(".byline")).to_contain_text(DISPLAY_NAME)

    story = ExperienceStoryPage.objects.get(title=TITLE)
    assert story.live
    assert story.author.email == EMAIL
    assert story.owner == story.author
