"""The review journey in a real browser.

An editor logs into the admin and approves an expert's article, a medical
reviewer approves it, and a visitor then sees it on the Expert articles index,
with the medical reviewer named on the article.
"""

import re

from wagtail.models import TaskState

import pytest
from playwright.sync_api import expect

from moderation.services import page_submit_for_review
from tests.e2e.admin import admin_login, admin_logout, approve_on_dashboard
from tests.factories import ExpertArticlePageFactory

pytestmark = pytest.mark.e2e

TITLE = "Understanding fatigue in MS"
EDITORIAL_COMMENT = "Tone and third-party privacy checked."


def test_editor_and_medic_approve_then_visitor_reads_article(
    new_page, page, expert_index, expert, editor, medic
):
    article = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, title=TITLE
    )
    page_submit_for_review(page=article, user=expert)
    article_path = f"{expert_index.url}{article.slug}/"

    # Editorial review: the editor finds it on the dashboard and approves it.
    admin_login(page, editor)
    approve_on_dashboard(page, TITLE, comment=EDITORIAL_COMMENT)
    admin_logout(page, editor)

    # One approval is not enough: the public sees neither the listing entry nor the page.
    visitor = new_page()
    visitor.goto(expert_index.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Expert articles")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
    response = visitor.goto(article_path)
    assert response.status == 404

    # Medical review: the medic sees it waiting and approves it, which publishes it.
    admin_login(page, medic)
    approve_on_dashboard(page, TITLE)
    admin_logout(page, medic)

    # A visitor, new to the site, finds the article in the section and reads it.
    visitor = new_page()
    visitor.goto(expert_index.url)
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(re.compile(re.escape(article_path) + "$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text(f"Medically reviewed by {medic.public_name}")).to_be_visible()

    article.refresh_from_db()
    assert article.live
    assert article.medically_reviewed_by == medic
    steps = TaskState.objects.filter(workflow_state__object_id=str(article.pk)).order_by(
        "started_at"
    )
    assert [(s.status, s.finished_by, s.comment) for s in steps] == [
        (TaskState.STATUS_APPROVED, editor, EDITORIAL_COMMENT),
        (TaskState.STATUS_APPROVED, medic, ""),
    ]
