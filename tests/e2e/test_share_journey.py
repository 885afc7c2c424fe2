"""Sharing an item in a real browser (issue 14), under the site's default policy.

A visitor opens a public expert article, finds the Share section and shares it
on X: the button posts to Kindred, which counts the share and sends the browser
on to X's share address. X is never contacted: the browser's request to it is
intercepted and answered here, and the address it asked for is checked. The
Content-Security-Policy's ``form-action`` must let that redirect through, so
any CSP violation (an event in the page, a console message, a report posted)
fails the test. On Mastodon the reader names their server, goes through
Kindred's continue page, and finds their server remembered on the next visit.
A blog post whose author did not consent offers no sharing, carries no card
and asks search engines not to index it. The Share section fits 360 and
1280 px wide screens.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from sharing.models import ShareCount, SharingSettings
from tests.factories import BlogPageFactory, ExpertArticlePageFactory

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 360, 1280
TITLE = "Fatigue in MS: what the evidence says"
MASTODON_SERVER = "mastodon.example"
# As long as a step may take (tests/e2e/conftest.py: TIMEOUT_MS).
WAIT_MS = 15_000
X_PAGE = "<!doctype html><html lang=en><title>X (stand-in)</title><p>Post this?</p></html>"

# Registered before any of the page's scripts run, in every frame and after every navigation.
LISTEN_FOR_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.kindredShareCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || '-'} on ${location.href}`
  );
});
"""


class CspWatch:
    """Every Content-Security-Policy violation one browser context shows, however it shows it."""

    def __init__(self, page):
        self.problems = []
        page.context.expose_function("kindredShareCspViolation", self._violation)
        page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
        page.on("console", self._console)
        page.on("request", self._request)

    def _violation(self, text):
        self.problems.append(f"event: {text}")

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.problems.append(f"console {message.type}: {message.text[:300]}")

    def _request(self, request):
        if urlsplit(request.url).path == settings.CSP_REPORT_PATH:
            self.problems.append(f"report posted: {(request.post_data or '')[:300]}")


@pytest.fixture
def visitor(new_page):
    """A visitor's page (not signed in) whose CSP violations are collected in ``.csp``."""
    page = new_page()
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.csp = CspWatch(page)
    return page


@pytest.fixture
def article(expert_index, expert):
    """A published public expert article, its author consenting; the policy is the default."""
    assert not SharingSettings.objects.exists()  # the model's default: allowed, with consent
    return ExpertArticlePageFactory(
        parent=expert_index,
        author=expert,
        title=TITLE,
        summary="Why it happens, how it is measured and what helps.",
        may_be_shared=True,
    )


def settle(page):
    """A round trip through the page after it loaded: its violation events have been sent."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => resolve()))")


def wait_until(page, condition, timeout_ms=WAIT_MS):
    """Let the browser's events in (a route, a console message) until ``condition()`` holds."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still waiting after {timeout_ms} ms")


def card_meta(page):
    """The Open Graph and Twitter meta tags in the page's head, as (key, content) pairs."""
    return page.evaluate(
        """() => Array.from(document.head.querySelectorAll(
              'meta[property^="og:"], meta[name^="og:"], meta[property^="twitter:"], '
              + 'meta[name^="twitter:"]'))
            .map(m => [m.getAttribute('property') || m.getAttribute('name'),
                       m.getAttribute('content')])"""
    )


def overflow(page):
    return page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")


def test_a_visitor_shares_an_article_on_x(visitor, article, live_server, expert):
    intercepted = []

    def stand_in_for_x(route):
        intercepted.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=X_PAGE)

    # Page routes come before the context's, which abort everything off the live server.
    visitor.route("https://x.com/**", stand_in_for_x)

    response = visitor.goto(article.url)
    assert response.status == 200
    share = visitor.get_by_role("region", name="Share")
    expect(share).to_be_visible()
    expect(share).to_contain_text("never who wrote it")
    # The card is there, and says nothing about the author.
    card = dict(card_meta(visitor))
    assert card["og:title"] == TITLE
    assert card["og:url"] == f"{live_server.url}{article.url}"
    assert not any(expert.display_name in content for content in card.values())
    settle(visitor)

    share.get_by_role("button", name="Share on X", exact=True).click()
    # Either X's address is asked for or the policy blocks the redirect: say which at once.
    wait_until(visitor, lambda: intercepted or visitor.csp.problems)
    assert visitor.csp.problems == []
    expect(visitor).to_have_url(re.compile(r"^https://x\.com/intent/post\?"))
    expect(visitor.locator("body")).to_contain_text("Post this?")
    settle(visitor)

    assert len(intercepted) == 1, intercepted
    address = urlsplit(intercepted[0])
    assert (address.scheme, address.netloc, address.path) == ("https", "x.com", "/intent/post")
    query = parse_qs(address.query)
    assert query["url"] == [f"{live_server.url}{article.url}?via=share"]
    assert query["text"] == [TITLE]
    row = ShareCount.objects.get(page_id=article.pk, network="x", day=timezone.localdate())
    assert row.count == 1
    assert ShareCount.objects.count() == 1
    assert visitor.csp.problems == []


def test_an_item_that_may_not_be_shared_offers_nothing_and_is_not_indexed(
    visitor, blog_index, member
):
    # Under the default policy a member's post is shared only with its author's consent.
    post = BlogPageFactory(parent=blog_index, author=member, title="My first relapse")
    assert post.may_be_shared is False

    response = visitor.goto(post.url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("My first relapse")
    expect(visitor.get_by_role("region", name="Share")).to_have_count(0)
    expect(visitor.get_by_role("button", name=re.compile(r"^Share on"))).to_have_count(0)
    expect(visitor.locator("form[action^='/share/']")).to_have_count(0)
    assert card_meta(visitor) == []
    expect(visitor.locator("link[rel=canonical]")).to_have_count(0)
    robots = visitor.locator("head meta[name=robots]")
    expect(robots).to_have_count(1)
    assert "noindex" in robots.get_attribute("content")
    settle(visitor)
    assert visitor.csp.problems == []


def test_a_mastodon_share_continues_on_kindred_and_the_server_is_remembered(
    visitor, article, live_server
):
    visitor.goto(article.url)
    share = visitor.get_by_role("region", name="Share")
    server = share.get_by_label("Your Mastodon server")
    expect(server).to_have_value("")
    server.fill(MASTODON_SERVER)
    share.get_by_role("button", name="Share on Mastodon").click()

    # Kindred's own continue page: a plain link to the reader's server, nothing contacted yet.
    expect(visitor).to_have_url(re.compile(r"/share/continue/\?t="))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Share by Mastodon")
    link = visitor.get_by_role("link", name="Continue to Mastodon")
    href = link.get_attribute("href")
    address = urlsplit(href)
    assert (address.scheme, address.netloc, address.path) == (
        "https",
        MASTODON_SERVER,
        "/share",
    ), href
    assert parse_qs(address.query)["text"] == [f"{TITLE} {live_server.url}{article.url}?via=share"]
    assert (
        ShareCount.objects.get(page_id=article.pk, network="mastodon", day=timezone.localdate())
    ).count == 1
    settle(visitor)

    # Back on the item, the server the reader typed is filled in (this browser's storage).
    visitor.goto(article.url)
    expect(
        visitor.get_by_role("region", name="Share").get_by_label("Your Mastodon server")
    ).to_have_value(MASTODON_SERVER)
    visitor.reload()
    expect(
        visitor.get_by_role("region", name="Share").get_by_label("Your Mastodon server")
    ).to_have_value(MASTODON_SERVER)
    settle(visitor)
    assert visitor.csp.problems == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_share_section_fits_the_screen(visitor, article, width):
    visitor.set_viewport_size({"width": width, "height": 800})
    visitor.goto(article.url)
    share = visitor.get_by_role("region", name="Share")
    share.scroll_into_view_if_needed()
    expect(share).to_be_visible()

    scroll_width, inner_width = overflow(visitor)
    assert scroll_width <= inner_width == width, (scroll_width, inner_width)
    section = share.bounding_box()
    assert section["x"] >= 0 and section["x"] + section["width"] <= width, section
    controls = share.locator("button, input:not([type=hidden]), label").all()
    assert len(controls) >= 8  # a button per network, and the Mastodon server's field
    for control in controls:
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            control.evaluate("element => element.outerHTML"),
            box,
        )
    settle(visitor)
    assert visitor.csp.problems == []
