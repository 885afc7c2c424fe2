"""A medical reviewer finds their queue from the site header, reads who wrote what and
how long it has waited, approves with a comment and is told what happens next; the
author then reads the comment on My contributions."""

import re
from datetime import timedelta

from django.utils import timezone

from wagtail.models import TaskState

import pytest
from playwright.sync_api import expect

from moderation.services import page_submit_for_review, review_approve
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.e2e

TITLE = "Cooling vests compared"
COMMENT = "Accurate. Cooling helps many people; I added that it is not a treatment."


def test_reviewer_follows_the_header_link_and_approves_with_a_comment(
    new_page, page, blog_index, editor, medic
):
    writer = UserFactory(group="Members", username="member-c8781cbd9ee8", display_name="Sam K")
    post = BlogPageFactory(parent=blog_index, author=writer, publish=False, title=TITLE)
    page_submit_for_review(page=post, user=writer)
    review_approve(page=post, user=editor)
    TaskState.objects.filter(pk=post.current_workflow_task_state.pk).update(
        started_at=timezone.now() - timedelta(days=2)
    )

    # The reviewer signs in on the site and sees what waits for them.
    site_login(page, medic.email)
    link = page.get_by_role("link", name=re.compile(r"^Review queue \(1"))
    expect(link).to_contain_text("Review queue (1")
    link.click()
    expect(page).to_have_url(re.compile(r"/admin/review-queue/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")

    # The row says what it is, who wrote it (never the username) and how long it waited.
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    for text in ("Blog post", "Sam K", "Medical review", "2 days"):
        expect(row).to_contain_text(text)
    expect(page.get_by_text(writer.username)).to_have_count(0)

    # Approve with a comment, in Wagtail's dialog.
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve with comment").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Comment").fill(COMMENT)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Approve with comment").click()

    expect(page).to_have_url(re.compile(r"/admin/review-queue/$"))
    expect(
        page.get_by_text(f"Approved: “{TITLE}” is published. The author will see your comment.")
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_have_count(0)

    # The author reads the comment on My contributions.
    author = new_page()
    site_login(author, writer.email)
    author.goto("/me/contributions/")
    row = author.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Published")
    expect(row).to_contain_text(COMMENT)
