"""What only a browser can tell about the layout: rows that line up, boxes that fit, fonts.

The HTML structure behind each of these is checked without a browser in
tests/portal/test_layout.py; here Chromium lays the pages out at 360 and
1280 px wide and the tests measure what it drew.
"""

from django.conf import settings
from django.test import Client

import pytest

from moderation.services import page_submit_for_review
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 360, 1280
QUOTE = "Spend energy like money: budget it before the day begins."


@pytest.fixture
def writer(portal):
    return UserFactory(group="Members", display_name="PacingPat")


@pytest.fixture
def open_as(new_page, live_server):
    """``open_as(user, width, path)``: a page signed in as ``user`` (or a visitor for None)."""

    def open_page(user, width, path):
        page = new_page()
        page.set_viewport_size({"width": width, "height": 800})
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            page.context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        response = page.goto(path)
        assert response.status == 200, path
        return page

    return open_page


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def contributions(writer, blog_index):
    """A published item, a draft and one in review, with long titles that wrap."""
    BlogPageFactory(
        parent=blog_index,
        author=writer,
        title="Choosing a disease-modifying therapy: the questions I took to clinic",
    )
    BlogPageFactory(
        parent=blog_index, author=writer, title="Physio, pilates and small wins", publish=False
    )
    in_review = BlogPageFactory(
        parent=blog_index,
        author=writer,
        title="Sleep, night-time spasms and a new bedtime routine",
        publish=False,
    )
    page_submit_for_review(page=in_review, user=writer)


CELL_BOXES = """() => Array.from(document.querySelectorAll('main table tbody tr')).map(
  row => Array.from(row.children).map(cell => {
    const box = cell.getBoundingClientRect();
    return [Math.round(box.top), Math.round(box.bottom), getComputedStyle(cell).display];
  }))"""


def test_my_contributions_rows_line_up_on_a_wide_screen(open_as, writer, contributions):
    page = open_as(writer, DESKTOP, "/me/contributions/")

    rows = page.evaluate(CELL_BOXES)

    assert len(rows) == 3
    for cells in rows:
        # Every cell of a row is a table cell spanning the whole row: same top,
        # same bottom, so the row's border is one straight line.
        assert {display for _, _, display in cells} == {"table-cell"}
        assert len({(top, bottom) for top, bottom, _ in cells}) == 1, cells


def test_my_contributions_fit_a_phone(open_as, writer, contributions):
    page = open_as(writer, PHONE, "/me/contributions/")

    assert scroll_width(page) <= PHONE
    for title in page.locator(".contribution-title a").all():
        box = title.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    # Each row reads as a card with its labels.
    assert (
        page.locator("td[data-label=State]").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        == '"State: "'
    )


def test_the_preview_bar_buttons_share_one_line(open_as, writer, blog_index):
    draft = BlogPageFactory(parent=blog_index, author=writer, publish=False)

    page = open_as(writer, DESKTOP, f"/me/contributions/{draft.pk}/preview/")
    bar = page.get_by_role("region", name="Preview")
    edit = bar.get_by_role("link", name="Edit").bounding_box()
    submit = bar.get_by_role("button", name="Submit for review").bounding_box()
    link = bar.get_by_role("link", name="My contributions").bounding_box()

    # One row, the two buttons the same height, the link centred beside them.
    assert abs(edit["y"] - submit["y"]) <= 1 and abs(edit["height"] - submit["height"]) <= 1
    assert edit["x"] < submit["x"] < link["x"]
    middle = submit["y"] + submit["height"] / 2
    assert abs(link["y"] + link["height"] / 2 - middle) <= 2

    # A phone may wrap them, but they stay inside the bar and the screen.
    phone = open_as(writer, PHONE, f"/me/contributions/{draft.pk}/preview/")
    assert scroll_width(phone) <= PHONE
    phone_bar = phone.get_by_role("region", name="Preview").bounding_box()
    for control in phone.get_by_role("region", name="Preview").locator("a, button").all():
        box = control.bounding_box()
        assert (
            phone_bar["x"] <= box["x"]
            and box["x"] + box["width"] <= phone_bar["x"] + phone_bar["width"]
        )


def test_comment_boxes_use_the_page_font(open_as, writer, blog_index):
    from tests.discussion.conftest import with_consent

    with_consent(writer)
    post = BlogPageFactory(parent=blog_index)
    page = open_as(writer, DESKTOP, post.url)

    fonts = page.evaluate(
        """() => [getComputedStyle(document.body).fontFamily,
                  getComputedStyle(document.querySelector('#comment-new')).fontFamily]"""
    )

    assert fonts[0] == fonts[1]
    assert "monospace" not in fonts[1]


def test_a_quote_has_one_bar(open_as, blog_index):
    post = BlogPageFactory(
        parent=blog_index,
        body=[("quote", {"text": QUOTE, "attribution": "My occupational therapist"})],
    )
    page = open_as(None, DESKTOP, post.url)

    bars = page.evaluate(
        """text => Array.from(document.querySelectorAll('.body *')).filter(element =>
             element.textContent.includes(text) &&
             parseFloat(getComputedStyle(element).borderLeftWidth) > 0).length""",
        QUOTE,
    )

    assert bars == 1


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_footer_sits_at_the_foot_of_a_short_page(open_as, writer, width):
    # A member with nothing written: My contributions is a heading and a line.
    page = open_as(writer, width, "/me/contributions/")

    footer = page.locator("footer.site-footer").bounding_box()
    height = page.evaluate("window.innerHeight")

    assert abs(footer["y"] + footer["height"] - height) <= 1
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert scroll_width(page) <= width


def test_card_titles_look_the_same_at_either_heading_level(open_as, blog_index):
    # Under the page's h1 the card titles are h2, under a section's h2 they
    # are h3 (tests/portal/test_layout.py); the reader sees no difference.
    BlogPageFactory(parent=blog_index)
    style = """() => {
      const title = document.querySelector('.card-title'), s = getComputedStyle(title);
      return [title.tagName, s.fontSize, s.fontWeight, s.lineHeight, s.marginTop, s.marginBottom];
    }"""

    looks = {}
    for path in ("/", "/blogs/"):
        for width in (PHONE, DESKTOP):
            tag, *look = open_as(None, width, path).evaluate(style)
            looks[(path, width)] = (tag, look)

    assert looks[("/", DESKTOP)][0] == "H3" and looks[("/blogs/", DESKTOP)][0] == "H2"
    for width in (PHONE, DESKTOP):
        assert looks[("/", width)][1] == looks[("/blogs/", width)][1]
