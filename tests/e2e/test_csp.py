"""No page of Kindred breaks its Content-Security-Policy in a real Chromium (issue 10, finding 10).

The demo content is seeded, then the main pages are opened and used as a
visitor, a member, an editor and an administrator: the home page, an item with
comments, search with its suggestions, a profile, the sign-in page, a missing
page; the member rates, comments and submits the writing form; the editor and
the administrator open the admin dashboard and the page editor. Any
Content-Security-Policy violation fails the test, however it shows itself: a
``securitypolicyviolation`` event in the page, a "Refused to…" console error,
or a report posted to the report endpoint. The pages must still work: the
rating, comment, suggestion and writing scripts are exercised, not only loaded.

Deterministic: every check waits for something on the page (a text, an
address), and violations are collected on the same connection as the page's
own answers, so none arrives after the test has looked.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from core.models import ContentPage
from discussion.models import PageComment
from portal.demo.seed import DEMO_PASSWORD, demo_seed
from social.models import Profile, ProfileVisibility

pytestmark = pytest.mark.e2e

# Registered before any of the page's scripts run, in every frame and after every navigation.
LISTEN = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.kindredCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || '-'} on ` +
    `${location.pathname} (${event.sourceFile || '-'}:${event.lineNumber})` +
    (event.sample ? ` sample: ${event.sample}` : '')
  );
});
"""


class Watch:
    """Collects every CSP violation seen by the pages of one browser context."""

    def __init__(self, context):
        self.problems = []
        context.expose_function("kindredCspViolation", self._violation)
        context.add_init_script(LISTEN)

    def _violation(self, text):
        self.problems.append(f"event: {text}")

    def page(self, page):
        page.on("console", self._console)
        page.on("request", self._request)
        return page

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.problems.append(f"console {message.type}: {text[:300]}")

    def _request(self, request):
        if request.url.split("?")[0].endswith(settings.CSP_REPORT_PATH):
            self.problems.append(f"report posted: {(request.post_data or '')[:300]}")


@pytest.fixture
def watched(browser, live_server, new_page):
    """``watched()``: a fresh person's page whose CSP violations land in ``watches``."""
    watches = []

    def open_page():
        page = new_page()
        watch = Watch(page.context)
        watches.append(watch)
        return watch.page(page)

    open_page.watches = watches
    return open_page


def _settle(page):
    # A round trip through the page after it loaded: the violation events of
    # its markup and scripts were dispatched before this answer comes back.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => resolve()))")


def _visit(page, path, text=None, status=200):
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    if text:
        expect(page.locator("body")).to_contain_text(text)
    _settle(page)


def _sign_in(page, username, *, landing):
    page.goto(f"/accounts/login/?next={landing}")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(landing) + "$"))
    _settle(page)


def _commented_item(member):
    """A published item with visible comments that ``member`` did not write (so may rate)."""
    commented = PageComment.objects.filter(is_public=True, is_removed=False).values("object_pk")
    return (
        ContentPage.objects.live()
        .exclude(author=member)
        .filter(pk__in=[int(row["object_pk"]) for row in commented])
        .order_by("pk")
        .first()
    )


def test_no_page_breaks_the_content_security_policy(watched, live_server):
    accounts, _created = demo_seed()
    # The demo's comments were all written a moment ago: date member1's an hour
    # back, so the comment below is not refused as too soon after the last one.
    PageComment.objects.filter(user=accounts["member1"]).update(
        submit_date=timezone.now() - timedelta(hours=1)
    )
    item = _commented_item(accounts["member1"])
    assert item is not None, "the demo content has no commented item to rate"
    public_profile = (
        Profile.objects.filter(visibility=ProfileVisibility.EVERYONE).order_by("pk").first()
    )

    # A visitor.
    visitor = watched()
    _visit(visitor, "/", "Top rated")
    # The watch sees a violation (an inline style attribute, added by a script),
    # and the browser reports it to the endpoint; wait for that report before
    # forgetting this planted one, so it cannot arrive later.
    with visitor.expect_request(lambda request: settings.CSP_REPORT_PATH in request.url):
        visitor.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
        )
    _settle(visitor)
    [own_watch] = watched.watches
    assert any("style-src-attr" in problem for problem in own_watch.problems), own_watch.problems
    assert any("report posted" in problem for problem in own_watch.problems)
    own_watch.problems.clear()
    _visit(visitor, item.url, item.title)
    _visit(visitor, "/search/?q=fatigue", "fatigue")
    _visit(visitor, public_profile.get_absolute_url(), public_profile.user.public_name)
    _visit(visitor, "/accounts/login/", "Sign in")
    _visit(visitor, "/accounts/signup/", "Join")
    _visit(visitor, "/no-such-page/", status=404)
    # The suggestions script runs: typing shows suggestions.
    _visit(visitor, "/")
    visitor.get_by_role("combobox", name="Search Kindred").fill(item.title[:6])
    expect(visitor.get_by_role("option").first).to_be_visible()
    _settle(visitor)

    # A member: rates, comments and writes.
    member = watched()
    _sign_in(member, "member1", landing="/")
    _visit(member, item.url, item.title)
    member.get_by_label("4 stars").check()
    member.get_by_role("button", name="Save rating").click()
    expect(member.locator("[data-rating-yours]")).to_contain_text("Your rating: 4 stars")
    member.get_by_label("Add a comment").fill("Thank you for writing this down.")
    member.get_by_role("button", name="Post comment").click()
    # The comment script posts in the background, then reloads at the new comment.
    expect(member).to_have_url(re.compile(r"#c\d+$"))
    # The script sets the address first and reloads after it, so the address alone
    # does not mean the reload is over: wait for the comment, which only the reloaded
    # page has, before evaluating anything in the page.
    new_comment = member.url.rsplit("#", 1)[1]
    expect(member.locator(f"article#{new_comment}")).to_contain_text(
        "Thank you for writing this down."
    )
    _settle(member)
    _visit(member, "/search/?q=fatigue", "fatigue")
    _visit(member, accounts["member1"].profile.get_absolute_url())
    _visit(member, "/me/profile/", "Profile")
    _visit(member, "/write/blog/")
    member.get_by_label("Title", exact=True).fill("Pacing through a heatwave")
    member.get_by_label("Summary").fill("What helped me keep going in July.")
    body = member.get_by_label("Body")
    body.fill("Fans, cold towels and rest.")
    body.select_text()
    # The writing toolbar's script runs: Bold wraps the selection.
    member.get_by_role("button", name="Bold").click()
    expect(body).to_have_value(re.compile(r"\*\*"))
    member.get_by_role("button", name="Save and preview").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Pacing through a heatwave")
    _settle(member)

    # An editor: the site with Wagtail's user bar, and the admin.
    editor = watched()
    _sign_in(editor, "editor", landing="/admin/")
    expect(editor.get_by_role("region", name="Awaiting your review")).to_be_visible()
    _visit(editor, "/", "Top rated")
    _visit(editor, item.url, item.title)

    # An administrator: the dashboard and the page editor.
    admin = watched()
    _sign_in(admin, "admin", landing="/admin/")
    _visit(admin, f"/admin/pages/{item.pk}/edit/", item.title)
    _visit(admin, f"/admin/pages/{item.get_parent().pk}/", item.title)

    problems = list(dict.fromkeys(p for watch in watched.watches for p in watch.problems))
    assert not problems, f"{len(problems)} CSP problems:\n" + "\n".join(problems)
