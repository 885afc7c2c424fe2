"""Rating and discussing in a real browser, and an editor removing a reported comment.

A member rates a story and sees the average change in place, replies to a
comment, and reports another; an editor removes the reported comment in the
admin's comment queue, and it disappears from the page.
"""

import re

import pytest
from playwright.sync_api import expect

from ratings.services import rating_upsert
from tests.discussion.conftest import add_comment, with_consent
from tests.e2e.admin import admin_login
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory

pytestmark = pytest.mark.e2e

HELPFUL = "Cooling vests helped me through July."
OFFENSIVE = "Nobody wants to read your moaning."
REPLY = "Thank you, I will ask my MS nurse about one."


def test_member_rates_replies_and_reports_then_editor_removes(
    new_page, page, blog_index, story_index, editor
):
    author = UserFactory(display_name="StoryTeller")
    story = ExperienceStoryPageFactory(
        parent=story_index, author=author, title="Summer heat and me"
    )
    member = with_consent(UserFactory(group="Members", display_name="CoolHeads"))
    # Trusted already (three visible comments elsewhere), so the reply shows at once.
    elsewhere = BlogPageFactory(parent=blog_index)
    for _ in range(3):
        add_comment(elsewhere, member)
    rating_upsert(page=story, score=2, user=UserFactory())
    add_comment(story, UserFactory(display_name="Helper"), HELPFUL)
    add_comment(story, UserFactory(display_name="Grump"), OFFENSIVE)

    site_login(page, member.email)
    page.goto(story.url)

    # Rate: the average changes in place (2 from one rating, then 3 from two).
    summary = page.locator("[data-rating-summary]")
    expect(summary).to_contain_text("2.0")
    page.get_by_label("4 stars").check()
    page.get_by_role("button", name="Save rating").click()
    expect(summary).to_contain_text("3.0")
    expect(summary).to_contain_text("2 ratings")
    expect(page.locator("[data-rating-yours]")).to_contain_text("Your rating: 4 stars")

    # Reply to the helpful comment.
    helpful = page.locator("article.comment-body").filter(has_text=HELPFUL)
    helpful.locator("summary", has_text="Reply").click()
    helpful.get_by_role("textbox").fill(REPLY)
    helpful.get_by_role("button", name="Post reply").click()
    # The script posts the reply, then reloads the page at the new comment;
    # wait for that rather than reloading over the request in flight.
    expect(page).to_have_url(re.compile(r"#c\d+$"))
    expect(page.locator(".comment-replies").filter(has_text=REPLY)).to_be_visible()

    # Report the offensive one.
    page.locator("article.comment-body").filter(has_text=OFFENSIVE).get_by_role(
        "link", name="Report"
    ).click()
    page.get_by_label("Abusive or harassing").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".messages")).to_be_visible()

    # The editor removes it from the admin's comment queue.
    reviewer = new_page()
    admin_login(reviewer, editor)
    reviewer.goto("/admin/comment-moderation/")
    reported = reviewer.locator("article.discussion-queue-item").filter(has_text=OFFENSIVE)
    expect(reported).to_contain_text("Abusive")
    reported.get_by_role("button", name="Remove").click()
    expect(
        reviewer.locator("article.discussion-queue-item").filter(has_text=OFFENSIVE)
    ).to_have_count(0)

    # It has gone from the page, for the member and for a visitor.
    page.goto(story.url)
    expect(page.get_by_text(OFFENSIVE)).to_have_count(0)
    expect(page.get_by_text(HELPFUL)).to_be_visible()
    visitor = new_page()
    visitor.goto(story.url)
    expect(visitor.get_by_text(OFFENSIVE)).to_have_count(0)
    expect(visitor.get_by_text(REPLY)).to_be_visible()
    expect(visitor.get_by_role("link", name=re.compile("Sign in to join"))).to_be_visible()
