"""Analytics in a real browser: an Editor reads both pages, the charts show, the figures
open as a table, the period filter works, and nothing breaks the admin's
Content-Security-Policy; a Medical reviewer finds no Reports › analytics."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from core import roles
from tests.analytics.conftest import EDITORIAL, review_step
from tests.e2e.admin import admin_login
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.e2e


def watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return problems


def test_an_editor_reads_the_analytics_with_charts_tables_and_a_period(
    new_page, blog_index, editor
):
    author = UserFactory(group=roles.MEMBERS)
    draft = BlogPageFactory(parent=blog_index, author=author, publish=False, title="Long wait")
    review_step(page=draft, stage=EDITORIAL, started=timezone.now() - timedelta(hours=80))
    page = new_page()
    problems = watch_csp(page)
    admin_login(page, editor)

    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Review analytics").click()
    expect(page).to_have_url(re.compile(r"/admin/analytics/review/$"))
    expect(page.get_by_role("heading", name="Items waiting for review, day by day")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Items waiting for review"))
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.get_by_role("link", name="Long wait")).to_be_visible()

    page.goto("/admin/analytics/community/")
    page.get_by_label("Weeks").fill("3")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"weeks=3"))
    section = page.locator("section").filter(has_text="Whole site: week by week")
    section.get_by_text("The figures as a table").click()
    # The week rows and the header: three weeks.
    expect(section.get_by_role("row")).to_have_count(4)
    expect(section.get_by_role("link", name="Download the figures (CSV)")).to_be_visible()
    assert problems == []


def test_a_medical_reviewer_finds_no_analytics(new_page, medic):
    page = new_page()
    admin_login(page, medic)

    reports = page.get_by_role("button", name="Reports")
    if reports.count():
        reports.click()
    expect(page.get_by_role("link", name="Review analytics")).to_have_count(0)
    page.goto("/admin/analytics/community/")
    expect(page.get_by_text("Active members")).to_have_count(0)
