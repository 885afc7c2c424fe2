"""Safety in a real browser (issue 15): crisis signals, adverse events, "Report a side effect".

- Crisis: a member's comment with words suggesting they may harm themselves shows them
  help on the very next page (the emergency text before the helplines, numbers a phone
  can dial) and is held; an Editor is told at the top of the review queue, marks it handled
  with a note, approves the comment in the comment queue, and a visitor sees it.
- Adverse event: a comment naming a medicine and a side effect opens a case (the scan is
  queued with ``transaction.on_commit``: the live server commits every request, and the
  test settings run the "background" task backend immediately, so the case exists when
  the post's response arrives). The Pharmacovigilance user triages it in Safety › Inbox;
  its History shows the view and the change; the printable form shows its reference. An
  Editor sees no Safety menu and is refused the inbox.
- Report a side effect: a visitor follows the footer's link from an item, sends the form
  and gets a reference.

Each journey runs at 1280 px; the help and the report page are also checked at 360 px for
sideways scrolling. Deterministic: every step waits for what the page shows (an element,
an address), never for a time.
"""

import re

import pytest
from playwright.sync_api import expect

from core import roles
from safety.models import CrisisSignal, SafetyCase
from tests.discussion.conftest import with_consent
from tests.e2e.admin import admin_login
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
CRISIS = "Some nights I want to kill myself, I can't go on like this."
ADVERSE = "Since I started Tecfidera I get terrible flushing every evening."
HANDLED_NOTE = "Messaged the member; they are safe and have their nurse's support."
CASE_NOTE = "Asked the member for the dose and when the flushing started."
REFERENCE = re.compile(r"^KS-\d{6}$")


def sideways_scroll(page) -> int:
    """How far the page scrolls sideways (0 when nothing is wider than the screen)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def post_comment(page, post, text):
    """Post ``text`` through the item's comment form, and wait for the page to come back.

    The form's script posts in the background, then sends the browser to the new
    comment (``#c<id>``) and reloads there: the next page rendered. The writer is new, so
    every comment of theirs waits for a moderator (and a crisis holds one anyway).
    """
    page.goto(post.url)
    page.get_by_label("Add a comment").fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(post.url)}#c\d+$"))
    # The reloaded page: the writer sees their comment, held for a moderator.
    own = page.locator("article.comment-awaiting").filter(has_text=text)
    expect(own).to_contain_text("Awaiting moderation")


@pytest.fixture
def post(blog_index):
    return BlogPageFactory(parent=blog_index, title="Living with MS fatigue")


@pytest.fixture
def writer(portal):
    """A member who agreed to the guidelines and health-data processing (not yet trusted)."""
    return with_consent(UserFactory(group=roles.MEMBERS, display_name="NightOwl"))


@pytest.fixture
def pharmacovigilance(portal):
    return UserFactory(group=roles.PHARMACOVIGILANCE, display_name="Lena")


def expect_crisis_help(page):
    """The help at the top of the page: the emergency text before the helplines, numbers
    a phone can dial, and nothing wider than the screen."""
    help_panel = page.get_by_role("complementary", name="You are not alone")
    expect(help_panel).to_be_visible()
    expect(help_panel.locator(".crisis-emergency")).not_to_be_empty()
    expect(help_panel.locator(".helpline").first).to_be_visible()
    assert help_panel.evaluate(
        """panel => Boolean(panel.querySelector('.crisis-emergency').compareDocumentPosition(
             panel.querySelector('.helplines')) & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    phone_link = help_panel.locator("a[href^='tel:']").first
    expect(phone_link).to_be_visible()
    expect(phone_link).to_have_attribute("href", re.compile(r"^tel:\+?\d+$"))
    assert sideways_scroll(page) == 0


def test_crisis_help_then_a_moderator_handles_the_signal(new_page, post, writer, editor):
    member = new_page()
    member.set_viewport_size(DESKTOP)
    site_login(member, writer.email)
    post_comment(member, post, CRISIS)
    expect_crisis_help(member)
    assert CrisisSignal.objects.filter(handled_at__isnull=True).count() == 1

    # Held: another visitor does not see it.
    visitor = new_page()
    visitor.set_viewport_size(DESKTOP)
    visitor.goto(post.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(post.title)
    expect(visitor.get_by_text(CRISIS)).to_have_count(0)

    # An Editor is told at the top of the review queue, and handles it.
    moderator = new_page()
    moderator.set_viewport_size(DESKTOP)
    admin_login(moderator, editor)
    moderator.goto("/admin/review-queue/")
    expect(moderator.get_by_text("1 crisis signal waits for a moderator")).to_be_visible()
    moderator.get_by_role("link", name="Open crisis signals").click()
    expect(moderator).to_have_url(re.compile(r"/admin/safety/crisis/$"))
    signal = moderator.locator("li.crisis-signal").filter(has_text="Comment")
    expect(signal).to_have_count(1)
    expect(signal).to_contain_text(post.title)
    marked = signal.locator("mark.safety-match")
    expect(marked.first).to_be_visible()
    assert "kill myself" in " ".join(marked.all_inner_texts())
    signal.get_by_label("What was done").fill(HANDLED_NOTE)
    signal.get_by_role("button", name="Mark handled").click()
    expect(moderator.get_by_text("Signal handled.")).to_be_visible()
    expect(moderator.get_by_text("No crisis signal is waiting.")).to_be_visible()
    expect(moderator.locator(".crisis-list--handled")).to_contain_text(HANDLED_NOTE)
    expect(moderator.get_by_role("link", name="Crisis signals", exact=True)).to_be_visible()

    # The comment now waits in the comment queue, where the Editor approves it.
    moderator.goto("/admin/comment-moderation/")
    queued = moderator.locator("article.discussion-queue-item").filter(has_text=CRISIS)
    expect(queued).to_have_count(1)
    expect(queued.get_by_text("Held: possible crisis")).to_have_count(0)
    queued.get_by_role("button", name="Approve").click()
    expect(moderator.get_by_text("Comment approved: it is shown on the page.")).to_be_visible()
    expect(
        moderator.locator("article.discussion-queue-item").filter(has_text=CRISIS)
    ).to_have_count(0)

    # A visitor now sees it.
    visitor.goto(post.url)
    expect(visitor.locator("article.comment-body").filter(has_text=CRISIS)).to_be_visible()


def test_an_adverse_event_is_triaged_in_the_safety_inbox(
    new_page, post, writer, editor, pharmacovigilance
):
    member = new_page()
    member.set_viewport_size(DESKTOP)
    site_login(member, writer.email)
    post_comment(member, post, ADVERSE)
    # No help for words that are not a crisis.
    expect(member.locator("#crisis-help")).to_have_count(0)
    case = SafetyCase.objects.get()
    reference = case.reference

    # The Pharmacovigilance user finds the case in Safety › Inbox.
    safety = new_page()
    safety.set_viewport_size(DESKTOP)
    admin_login(safety, pharmacovigilance)
    safety.get_by_role("button", name="Safety", exact=True).click()
    safety.get_by_role("link", name="Inbox", exact=True).click()
    expect(safety).to_have_url(re.compile(r"/admin/safety/cases/$"))
    row = safety.get_by_role("row").filter(has_text=reference)
    expect(row).to_have_count(1)
    # Tecfidera is filed under its generic name; the event as the scan named it.
    expect(row.get_by_role("cell", name="Dimethyl fumarate", exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="Flushing", exact=True)).to_be_visible()

    # It opens with the medicine and the event marked, and is triaged.
    row.get_by_role("link", name=reference).click()
    expect(safety).to_have_url(re.compile(rf"/admin/safety/cases/edit/{case.pk}/$"))
    excerpt = safety.locator("blockquote.safety-excerpt")
    expect(excerpt.locator("mark.safety-match--medicine")).to_have_text("Tecfidera")
    expect(excerpt.locator("mark.safety-match--event")).to_contain_text("flushing")
    safety.get_by_role("combobox", name="Status*").select_option(label="Triaged")
    safety.get_by_role("combobox", name="Assignee").select_option(
        label=f"Lena ({pharmacovigilance.username})"
    )
    safety.get_by_role("button", name="Save", exact=True).click()
    expect(safety.locator(".messages .success")).to_be_visible()
    expect(safety.get_by_role("combobox", name="Status*")).to_have_value(SafetyCase.Status.TRIAGED)
    expect(safety.get_by_role("combobox", name="Assignee")).to_have_value(str(pharmacovigilance.pk))

    safety.get_by_label("Add a note").fill(CASE_NOTE)
    safety.get_by_role("button", name="Add the note").click()
    notes = safety.locator("#notes")
    expect(notes.get_by_role("heading", name="Notes (1)")).to_be_visible()
    expect(notes).to_contain_text(CASE_NOTE)

    # The History shows the views and the change.
    this_case = safety.get_by_role("navigation", name="This case")
    this_case.get_by_role("link", name="History").click()
    expect(safety).to_have_url(re.compile(rf"/admin/safety/cases/history/{case.pk}/$"))
    history = safety.get_by_role("table")
    for action in ("Safety case viewed", "Safety case changed", "Note added"):
        row = history.get_by_role("row").filter(
            has=safety.get_by_role("cell", name=action, exact=True)
        )
        expect(row.first).to_contain_text("Lena")

    # The printable form opens in a new tab with the reference.
    safety.get_by_role("navigation", name="Actions").get_by_role("link", name="Edit").click()
    expect(safety).to_have_url(re.compile(rf"/admin/safety/cases/edit/{case.pk}/$"))
    with safety.context.expect_page() as opened:
        this_case.get_by_role("link", name="Printable form").click()
    printed = opened.value
    expect(printed).to_have_url(re.compile(rf"/admin/safety/cases/{case.pk}/print/$"))
    expect(printed.locator("body")).to_contain_text(reference)

    # An Editor has no Safety menu and no way into the inbox.
    outsider = new_page()
    outsider.set_viewport_size(DESKTOP)
    admin_login(outsider, editor)
    # The sidebar is drawn by script: wait for an item the Editor has before looking.
    expect(outsider.get_by_role("link", name="Crisis signals", exact=True)).to_be_visible()
    expect(outsider.get_by_role("button", name="Safety", exact=True)).to_have_count(0)
    expect(outsider.get_by_role("link", name="Inbox", exact=True)).to_have_count(0)
    # Wagtail refuses by sending them to the dashboard with its message.
    for address in ("/admin/safety/cases/", f"/admin/safety/cases/edit/{case.pk}/"):
        outsider.goto(address)
        expect(outsider).to_have_url(re.compile(r"/admin/$"))
        expect(
            outsider.get_by_text("Sorry, you do not have permission to access this area.")
        ).to_be_visible()
        expect(outsider.get_by_text(reference)).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_visitor_reports_a_side_effect_from_an_item(page, post, viewport):
    page.set_viewport_size(viewport)
    page.goto(post.url)
    page.get_by_role("contentinfo").get_by_role("link", name="Report a side effect").click()
    expect(page).to_have_url(re.compile(r"/safety/report/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a side effect")
    assert sideways_scroll(page) == 0

    page.get_by_label("What happened?").fill(
        "My mother has had a rash on her arms since her second dose of Ocrevus."
    )
    page.get_by_role("button", name="Send to our pharmacovigilance team").click()
    expect(page).to_have_url(re.compile(r"/safety/report/sent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your report")
    reference = page.locator("#report-reference strong")
    expect(reference).to_have_text(REFERENCE)
    assert sideways_scroll(page) == 0
    case = SafetyCase.objects.get()
    assert reference.inner_text() == case.reference
    assert case.origin == SafetyCase.Origin.REPORTED


def test_the_crisis_help_fits_a_phone(page, post, writer):
    # Signed in at desktop width: on a phone the header's links are folded into its menu.
    page.set_viewport_size(DESKTOP)
    site_login(page, writer.email)
    page.set_viewport_size(PHONE)
    post_comment(page, post, CRISIS)
    expect_crisis_help(page)
    # Help shows once: the next page is the page again.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)
    expect(page.locator("#crisis-help")).to_have_count(0)
