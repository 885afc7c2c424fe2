"""A member's data rights in a real browser (issue 16), at a phone's width and a desktop's.

- Download my data: the member asks on their account page; the copy is built at once
  (the test settings run the "background" task backend immediately), the email's link
  opens a page with a Download button, the browser receives one zip holding the member's
  own item, and the same link answers "used" afterwards.
- Who saw my data: an Editor opens the member's item in review in the admin; the member's
  /me/access/ then shows the role, what and why, not the Editor's name.
- Delete my account: the member reads what will happen, gives the password and the
  choice, is signed out, and signing in again cancels the request.

Deterministic: every step waits for what the page shows, never for a time.
"""

import re
import zipfile

from django.core import mail

import pytest
from playwright.sync_api import expect

from compliance.models import ErasureRequest
from core import roles
from moderation.services import page_submit_for_review
from tests.discussion.conftest import with_consent
from tests.e2e.admin import admin_login
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
LINK = re.compile(r"https?://\S+/me/data/download/\S+/")


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def member(portal):
    return with_consent(UserFactory(group=roles.MEMBERS, display_name="Marigold"))


@pytest.fixture
def draft(blog_index, member):
    """An item of the member's in review: not public, so an Editor opening it is recorded."""
    post = BlogPageFactory(
        parent=blog_index, title="My first relapse diary", author=member, publish=False
    )
    page_submit_for_review(page=post, user=member)
    return post


def download_link(email):
    for message in reversed(mail.outbox):
        if email in message.to and (match := LINK.search(message.body)):
            return match.group(0)
    raise AssertionError("no download link in the outbox")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_a_member_downloads_their_data_once(new_page, member, draft, viewport, tmp_path):
    page = new_page()
    site_login(page, member.email)
    page.set_viewport_size(viewport)
    page.goto("/me/account/")
    page.get_by_role("button", name="Prepare a copy of my data").click()
    expect(page.get_by_role("heading", name="Download my data")).to_be_visible()
    assert sideways_scroll(page) == 0

    link = download_link(member.email)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    assert sideways_scroll(page) == 0
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    archive = tmp_path / "copy.zip"
    download_info.value.save_as(archive)
    with zipfile.ZipFile(archive) as copy:
        index = copy.read("index.html").decode()
    assert "My first relapse diary" in index and "Marigold" in index

    # The link worked once: the file is gone from the server.
    response = page.goto(link)
    assert response.status == 410


def test_the_member_sees_that_an_editor_opened_their_item(new_page, member, draft, editor):
    reviewer = new_page()
    admin_login(reviewer, editor)
    reviewer.goto(f"/admin/pages/{draft.pk}/edit/")
    expect(reviewer.get_by_role("textbox", name="Title")).to_have_value("My first relapse diary")

    for viewport in (PHONE, DESKTOP):
        page = new_page()
        site_login(page, member.email)
        page.set_viewport_size(viewport)
        page.goto("/me/account/")
        page.get_by_role("link", name="See who saw your data").click()
        row = page.locator("table.access-log tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Editors")
        expect(row).to_contain_text("An item of yours in review")
        expect(row).to_contain_text("Review")
        expect(row).not_to_contain_text(editor.public_name)
        assert sideways_scroll(page) == 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_a_member_asks_to_be_deleted_and_signing_in_cancels_it(new_page, member, viewport):
    page = new_page()
    site_login(page, member.email)
    page.set_viewport_size(viewport)
    page.goto("/me/account/")
    page.get_by_role("link", name="See what deleting my account does").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete my account")
    assert sideways_scroll(page) == 0

    # A wrong password changes nothing.
    page.get_by_label("Keep them without my name").check()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account in 7 days").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been changed")
    assert not ErasureRequest.objects.filter(user=member).exists()

    page.get_by_label("Keep them without my name").check()
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Delete my account in 7 days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account will be deleted")
    request = ErasureRequest.objects.get(user=member)
    assert request.status == ErasureRequest.Status.PENDING
    assert request.published_items == ErasureRequest.Published.KEEP_ANONYMOUS

    # Signed out: the account page asks to sign in.
    page.goto("/me/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.set_viewport_size(DESKTOP)  # the sign-in check looks for the header's links
    site_login(page, member.email)
    expect(page.get_by_text("your account will not be deleted")).to_be_visible()
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.CANCELLED


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_the_data_protection_officer_reads_the_records(new_page, member, draft, editor, viewport):
    """The ledger, the access log and the audit trail, reached from the admin's Reports."""
    officer = UserFactory(group=roles.DATA_PROTECTION, display_name="Priya")
    reviewer = new_page()
    admin_login(reviewer, editor)
    reviewer.goto(f"/admin/pages/{draft.pk}/edit/")
    expect(reviewer.get_by_role("textbox", name="Title")).to_have_value("My first relapse diary")

    page = new_page()
    admin_login(page, officer)
    page.set_viewport_size(viewport)
    checks = [
        # (address, what a row of this member's shows)
        ("/admin/consent-ledger/", "Processing of health information"),
        ("/admin/audit/access/", "Editors"),
        ("/admin/reports/audit-trail/", "Workflow: start"),
    ]
    for address, shown in checks:
        page.goto(address)
        expect(page.locator("#listing-results tbody")).to_contain_text(shown)
        assert sideways_scroll(page) == 0, address
    # No content for the officer: the item in review is named by its id only.
    expect(page.locator("#listing-results tbody")).not_to_contain_text("My first relapse diary")
