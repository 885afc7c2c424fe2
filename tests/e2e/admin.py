"""Driving the Wagtail admin as a reviewer, shared by the browser journeys."""

import re

from playwright.sync_api import expect

from tests.factories.users import TEST_PASSWORD


def admin_login(page, user):
    # Everyone signs in through the site's one (throttled) sign-in form;
    # the admin sends people there and back.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    page.get_by_label("Email or username").fill(user.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def admin_logout(page, user):
    # The account menu at the foot of the sidebar is labelled the way Wagtail's
    # sidebar names its user: first name, else username (not get_full_name).
    name = user.first_name or user.get_username()
    page.get_by_role("button", name=name, exact=True).click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def review_row(page, title):
    """The dashboard's "Awaiting your review" row for ``title``."""
    panel = page.get_by_role("region", name="Awaiting your review")
    return panel.get_by_role("row").filter(has_text=title)


def approve_on_dashboard(page, title, *, comment=None):
    """Approve ``title`` from the dashboard, with a comment (a modal) or without."""
    row = review_row(page, title)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Actions").click()
    if comment is None:
        # A plain form post that redirects back to the dashboard.
        with page.expect_navigation():
            row.get_by_role("button", name="Approve", exact=True).click()
    else:
        row.get_by_role("button", name="Approve with comment").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Comment").fill(comment)
        # The modal posts in the background, then sends the browser back to the dashboard.
        with page.expect_navigation():
            dialog.get_by_role("button", name="Approve with comment").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(review_row(page, title)).to_have_count(0)
