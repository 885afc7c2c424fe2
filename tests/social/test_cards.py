"""Listing cards carry no follow controls; profiles and the item page's byline keep them.

One stray click on a card's Unfollow pill used to end a follow from any
listing. Following is a decision about a person, so it is offered where the
person is in view: their profile, and the byline of the item being read.
"""

from django.test import Client

import pytest
from bs4 import BeautifulSoup

from social.services import follow_create
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory
from tests.social.helpers import EVERYONE, MEMBERS, person, url

pytestmark = pytest.mark.django_db

# Measured on SQLite; the same for 2 and 12 authors. One query fewer than with
# follow buttons on cards: with public profiles the bylines no longer need to
# know whom the reader follows. Signed in: the session, the user, the user
# bar's permission reads and the notification bell come on top. Home: +3 for the
# Questions section (issue 13): measured on PostgreSQL, one more than on SQLite.
# +1 since issue 15: the sponsor's declaration in the footer, read once per site on a
# cold cache (safety.declarations; every test starts with an empty cache).
SIGNED_IN_QUERIES = {"/blogs/": 18, "/tags/shared/": 16, "/": 30, "/feed/": 13}

FOLLOW_ACTION = "/follow/"
UNFOLLOW_ACTION = "/unfollow/"


def cards(html):
    """Every listing card on the page, as BeautifulSoup elements."""
    return BeautifulSoup(html, "html.parser").select("article.card")


def follow_controls(element):
    """Follow or unfollow forms and buttons inside ``element``."""
    forms = [
        form
        for form in element.find_all("form")
        if FOLLOW_ACTION in form.get("action", "") or UNFOLLOW_ACTION in form.get("action", "")
    ]
    return forms + element.select(".follow-button")


@pytest.fixture
def carol(portal):
    return person("Carol C", visibility=EVERYONE)


@pytest.fixture
def listed(alice, bob, carol, blog_index, story_index):
    """Bob (followed by Alice), Carol (not followed) and Alice herself, all on every listing."""
    follow_create(follower=alice, followee=bob)
    follow_create(follower=alice, followee=carol)
    posts = {
        "bob": BlogPageFactory(parent=blog_index, author=bob, tags=["shared"]),
        "carol": BlogPageFactory(parent=blog_index, author=carol, tags=["shared"]),
        "alice": BlogPageFactory(parent=blog_index, author=alice, tags=["shared"]),
        "story": ExperienceStoryPageFactory(parent=story_index, author=bob, tags=["shared"]),
    }
    return posts


@pytest.mark.parametrize(
    "path",
    ["/", "/blogs/", "/experiences/", "/tags/shared/", "/feed/", "bob-profile", "own-profile"],
)
def test_no_card_offers_follow_or_unfollow(client, alice, bob, listed, path):
    client.force_login(alice)
    path = {"bob-profile": url(bob), "own-profile": url(alice)}.get(path, path)

    response = client.get(path)

    assert response.status_code == 200
    found = cards(response.content.decode())
    assert found, f"{path} lists no cards, so the test would prove nothing"
    for card in found:
        assert follow_controls(card) == [], card.select_one(".card-title").get_text(strip=True)


def test_the_item_page_byline_keeps_its_follow_button(client, alice, listed):
    client.force_login(alice)

    followed = client.get(listed["bob"].url).content.decode()
    unfollowed_yet = person("Dan D", visibility=MEMBERS)
    dans = BlogPageFactory(parent=listed["bob"].get_parent(), author=unfollowed_yet)
    not_followed = client.get(dans.url).content.decode()
    own = client.get(listed["alice"].url).content.decode()

    byline = BeautifulSoup(followed, "html.parser").select_one(".content-page .card-meta")
    assert byline.select_one('button[aria-label="Unfollow Bob B"]') is not None
    assert 'aria-label="Follow Dan D"' in not_followed
    # Never a button for oneself.
    assert "follow-button" not in own


def test_the_profile_keeps_its_follow_button(client, alice, bob, carol, listed):
    client.force_login(alice)

    page = BeautifulSoup(client.get(url(bob)).content.decode(), "html.parser")

    actions = page.select_one(".member-actions")
    assert actions is not None
    assert actions.select_one('button[aria-label="Unfollow Bob B"]') is not None
    # The profile's own listing still has none.
    assert all(follow_controls(card) == [] for card in cards(str(page)))


def test_visitors_see_no_follow_control_anywhere_on_listings(listed):
    visitor = Client()
    for path in ["/", "/blogs/", "/tags/shared/"]:
        html = visitor.get(path).content.decode()
        assert cards(html)
        assert "follow-button" not in html


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("path", list(SIGNED_IN_QUERIES))
def test_signed_in_listings_cost_the_same_whatever_the_number_of_authors(
    client, alice, blog_index, django_assert_max_num_queries, count, path
):
    for number in range(count):
        author = person(f"Author {number}", visibility=EVERYONE)
        BlogPageFactory(parent=blog_index, author=author, tags=["shared"])
        follow_create(follower=alice, followee=author)
    client.force_login(alice)

    with django_assert_max_num_queries(SIGNED_IN_QUERIES[path]):
        response = client.get(path)

    assert response.status_code == 200
    # The home page shows the latest three of each section; the others up to twelve.
    assert len(cards(response.content.decode())) == min(count, 3 if path == "/" else 12)
