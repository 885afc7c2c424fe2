"""Page structure that the layout depends on, checked in the HTML the test client gets.

The browser-only half (what lines up, what fits 360 px) is in
tests/e2e/test_layout.py.
"""

from datetime import UTC, datetime, timedelta

from django.template.defaultfilters import date as format_date
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from moderation.services import page_submit_for_review
from social.templatetags.social_tags import relative_time
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

CONTRIBUTIONS = "/me/contributions/"
# Measured on SQLite; the same with 1 and 12 items of each state.
# +1 since issue 15: the sponsor's declaration in the footer, read once per site on a
# cold cache (safety.declarations; every test starts with an empty cache).
CONTRIBUTIONS_QUERIES = 14


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def writer(portal):
    return UserFactory(group="Members", display_name="PacingPat")


# --- My contributions ----------------------------------------------------------------


def contribution_rows(page):
    return page.select("table.contributions tbody tr")


def title_link(row):
    return row.select_one("th[scope=row] a")


def test_contribution_titles_open_the_item(client, writer, blog_index, story_index):
    live = BlogPageFactory(parent=blog_index, author=writer, title="Out there")
    draft = BlogPageFactory(parent=blog_index, author=writer, title="Still mine", publish=False)
    in_review = ExperienceStoryPageFactory(
        parent=story_index, author=writer, title="With the editors", publish=False
    )
    page_submit_for_review(page=in_review, user=writer)
    BlogPageFactory(parent=blog_index, title="Someone else's")
    client.force_login(writer)

    rows = contribution_rows(soup(client.get(CONTRIBUTIONS)))

    links = {title_link(row).get_text(strip=True): title_link(row)["href"] for row in rows}
    assert links == {
        "Out there": live.url,
        "Still mine": f"/me/contributions/{draft.pk}/preview/",
        "With the editors": f"/me/contributions/{in_review.pk}/preview/",
    }
    # The preview the title leads to answers the author.
    assert client.get(links["Still mine"]).status_code == 200


def test_a_contribution_title_link_for_someone_else_answers_as_missing(client, writer, blog_index):
    theirs = BlogPageFactory(parent=blog_index, title="Their draft", publish=False)
    client.force_login(writer)

    assert client.get(f"/me/contributions/{theirs.pk}/preview/").status_code == 404
    assert client.get("/me/contributions/999999/preview/").status_code == 404


def test_contribution_actions_sit_inside_plain_cells(client, writer, blog_index):
    # A cell that is itself a flex box ("actions") stops being a table cell,
    # so its row's borders and heights no longer line up.
    BlogPageFactory(parent=blog_index, author=writer)
    BlogPageFactory(parent=blog_index, author=writer, publish=False)
    client.force_login(writer)

    rows = contribution_rows(soup(client.get(CONTRIBUTIONS)))

    assert len(rows) == 2
    for row in rows:
        cells = row.find_all(["th", "td"], recursive=False)
        assert len(cells) == 5
        assert all("actions" not in cell.get("class", []) for cell in cells)
        actions = cells[-1].select_one(".row-actions")
        assert actions is not None
        assert actions.find_all("form") == cells[-1].find_all("form")
        # Phones stack each row as a card and label its cells from data-label.
        labels = [cell.get("data-label") for cell in cells[1:4]]
        assert labels == ["Kind", "Who can read it", "State"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_titles_are_inert_in_my_contributions(client, writer, blog_index, payload):
    BlogPageFactory(parent=blog_index, author=writer, title=payload, slug="hostile")
    BlogPageFactory(parent=blog_index, author=writer, title=payload, slug="x", publish=False)
    client.force_login(writer)

    response = client.get(CONTRIBUTIONS)

    assert_harmless(response.content.decode(), CONTRIBUTIONS)
    titles = [title_link(row).get_text() for row in contribution_rows(soup(response))]
    assert titles == [payload, payload]


@pytest.mark.parametrize("count", [1, 12])
def test_contributions_cost_the_same_whatever_the_number_of_items(
    client, writer, blog_index, story_index, django_assert_max_num_queries, count
):
    for number in range(count):
        BlogPageFactory(parent=blog_index, author=writer, title=f"Live {number}")
        BlogPageFactory(parent=blog_index, author=writer, title=f"Draft {number}", publish=False)
        story = ExperienceStoryPageFactory(
            parent=story_index, author=writer, title=f"Review {number}", publish=False
        )
        page_submit_for_review(page=story, user=writer)
    client.force_login(writer)

    with django_assert_max_num_queries(CONTRIBUTIONS_QUERIES):
        response = client.get(CONTRIBUTIONS)

    assert len(contribution_rows(soup(response))) == 3 * count


# --- the rating widget's place ----------------------------------------------------------


def position(page, selector):
    """The index of the first element matching ``selector`` in document order."""
    element = page.select_one(selector)
    assert element is not None, selector
    return page.find_all(True).index(element)


@pytest.fixture
def items(blog_index, expert_index, story_index):
    """One published item of each type, by someone else than the reader."""
    from tests.factories import ExpertArticlePageFactory

    return [
        BlogPageFactory(parent=blog_index),
        ExpertArticlePageFactory(parent=expert_index),
        ExperienceStoryPageFactory(parent=story_index),
    ]


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_rating_widget_follows_the_text_and_precedes_the_discussion(client, writer, items, who):
    if who == "member":
        client.force_login(writer)

    for item in items:
        page = soup(client.get(item.url))

        assert page.select_one(".content-page header [data-rating-widget]") is None, item.url
        rating = position(page, "[data-rating-widget]")
        assert position(page, ".content-page .body") < rating, item.url
        assert rating < position(page, "#comments"), item.url
        # After whatever an item type adds below its text (references, notes).
        widget = page.select_one("[data-rating-widget]")
        for part in page.select(".content-page > *"):
            if part.name != "header" and part is not widget:
                assert page.find_all(True).index(part) < rating, (item.url, part.name)


# --- the preview bar ---------------------------------------------------------------------


def test_the_preview_bar_keeps_its_buttons_in_one_row(client, writer, blog_index):
    # A <form> inside a <p> makes the browser close the paragraph before the
    # form, which split the bar's buttons over three lines.
    draft = BlogPageFactory(parent=blog_index, author=writer, publish=False)
    client.force_login(writer)

    page = soup(client.get(f"/me/contributions/{draft.pk}/preview/"))

    bar = page.select_one(".preview-bar")
    assert bar.select("p form") == []
    actions = bar.select_one(".actions")
    assert actions.name == "div"
    names = [element.get_text(strip=True) for element in actions.select("a, button")]
    assert names == ["Edit", "Submit for review", "My contributions"]


def test_no_listing_or_member_page_puts_a_form_inside_a_paragraph(
    client, writer, blog_index, story_index
):
    # The same mistake anywhere on the pages these templates build.
    mine = BlogPageFactory(parent=blog_index, author=writer, tags=["shared"])
    draft = BlogPageFactory(parent=blog_index, author=writer, publish=False)
    other = ExperienceStoryPageFactory(parent=story_index, tags=["shared"])
    preview = f"/me/contributions/{draft.pk}/preview/"
    client.force_login(writer)

    paths = ["/", "/blogs/", "/tags/shared/", "/feed/", CONTRIBUTIONS, preview, mine.url, other.url]
    for path in paths:
        assert soup(client.get(path)).select("p form") == [], path


# --- relative times -----------------------------------------------------------------------


NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "words"),
    [
        (timedelta(seconds=0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=-40), "just now"),  # a clock a little ahead
        (timedelta(seconds=60), "1\xa0minute\xa0ago"),
        (timedelta(minutes=5, seconds=30), "5\xa0minutes\xa0ago"),
        (timedelta(hours=3, minutes=20), "3\xa0hours\xa0ago"),
        (timedelta(days=2, hours=5), "2\xa0days\xa0ago"),
        (timedelta(days=6, hours=23), "6\xa0days\xa0ago"),
        (timedelta(days=8), "6 March 2026"),
    ],
)
def test_relative_times_read_as_people_say_them(elapsed, words):
    # Said whole and kept on one line (issue 18: "5 minutes ago" is one phrase to
    # translate, "vor 5 Minuten" in German, so no space in it may break).
    assert relative_time(NOW - elapsed, NOW) == words


def test_relative_time_of_nothing_is_empty():
    assert relative_time(None, NOW) == ""


def test_notifications_say_just_now_not_zero_minutes_ago(client, portal):
    from social.models import Notification
    from social.services import follow_create
    from tests.social.helpers import person

    writer = person("PacingPat")
    for name in ("Fresh F", "Hours H", "Old O"):
        follow_create(follower=person(name), followee=writer)
    now = timezone.now()
    Notification.objects.filter(actor__display_name="Hours H").update(
        created_at=now - timedelta(hours=3, minutes=5)
    )
    Notification.objects.filter(actor__display_name="Old O").update(
        created_at=now - timedelta(days=30)
    )
    client.force_login(writer)

    page = soup(client.get("/notifications/"))

    times = [time.get_text() for time in page.select(".notification time")]
    assert times == [
        "just now",
        "3\xa0hours\xa0ago",
        format_date(timezone.localtime(now - timedelta(days=30)), "j F Y"),
    ]
    assert "0\xa0minutes" not in str(page)


# --- heading order on listings --------------------------------------------------------------


def heading_levels(page):
    return [int(heading.name[1]) for heading in page.select("main h1, main h2, main h3, main h4")]


def assert_outline(levels, where):
    """Starts at h1 and never skips a level going down (axe-core's heading-order)."""
    assert levels and levels[0] == 1, (where, levels)
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, (where, levels)


LISTINGS = ["/", "/blogs/", "/expert-articles/", "/experiences/", "/tags/shared/", "/blogs/?tag=x"]


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_listing_headings_follow_the_outline(client, writer, items, who):
    from social.services import follow_create
    from tests.factories import ProfileFactory
    from tests.social.helpers import EVERYONE, person

    author = person("Author A", visibility=EVERYONE)
    for item in items:
        item.author = author
        item.tags.add("shared", "x")
        item.save_revision().publish()
    ProfileFactory(user=writer, visibility=EVERYONE)
    follow_create(follower=writer, followee=author)
    paths = [*LISTINGS, author.profile.get_absolute_url()]
    if who == "member":
        client.force_login(writer)
        paths.append("/feed/")

    for path in paths:
        page = soup(client.get(path))
        assert page.select("main .card-title"), path
        assert_outline(heading_levels(page), path)
