"""The star widget on a content page, as each kind of reader sees it, and what it costs."""

from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest
from bs4 import BeautifulSoup

from core.models import CommunitySettings
from ratings.selectors import page_context
from ratings.services import anonymous_key_for, rating_upsert
from tests.ratings.helpers import rate

pytestmark = pytest.mark.django_db

# A story page with the widget. Anonymous: the page's own queries, the
# discussion's, and two for ratings (the summary, the site setting). A member
# who may rate: also their own score and the readability check the endpoint
# applies (view restrictions, the page), and the notification bell's unread
# count. Measured on SQLite and PostgreSQL with the discussion as it stood; the
# property under test is that neither number moves when the ratings grow from
# 1 to 41.
# +3 each for sharing (a public item): view restrictions, the policy's rules, its default.
ANONYMOUS_DETAIL_QUERIES = 21
MEMBER_DETAIL_QUERIES = 29


def widget(html):
    return BeautifulSoup(html, "html.parser").select_one("[data-rating-widget]")


def give_ratings(page, scores):
    for number, score in enumerate(scores):
        rating_upsert(page=page, score=score, anonymous_key=anonymous_key_for(f"{number:043d}"))


def test_no_ratings_yet(client, story):
    box = widget(client.get(story.url).content.decode())

    assert "No ratings yet" in box.get_text()


def test_average_with_one_decimal_and_the_number_of_ratings(client, story):
    give_ratings(story, [5, 4, 4])  # 4.333…

    text = widget(client.get(story.url).content.decode()).get_text(" ", strip=True)

    assert "Rated 4.3 out of 5 from 3 ratings" in text


def test_a_single_rating_is_singular(client, story):
    give_ratings(story, [2])

    assert "from 1 rating" in widget(client.get(story.url).content.decode()).get_text()


def test_member_gets_an_accessible_form_with_their_own_rating(client, story, member):
    rating_upsert(page=story, score=3, user=member)
    client.force_login(member)

    box = widget(client.get(story.url).content.decode())

    assert "Your rating: 3 stars" in box.get_text()
    form = box.find("form")
    assert form["method"] == "post"
    assert form["action"] == f"/ratings/{story.pk}/"
    assert form.find("input", {"name": "csrfmiddlewaretoken"})
    fieldset = form.find("fieldset")
    assert fieldset.find("legend").get_text(strip=True) == "Change your rating"
    radios = fieldset.find_all("input", {"type": "radio", "name": "score"})
    assert [radio["value"] for radio in radios] == ["1", "2", "3", "4", "5"]
    labels = []
    for radio in radios:
        label = form.find("label", {"for": radio["id"]})
        labels.append(label.get_text(" ", strip=True).replace("★", "").strip())
        assert label.find(attrs={"aria-hidden": "true"}), "the glyphs are hidden from readers"
    assert labels == ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
    assert [radio.has_attr("checked") for radio in radios] == [False, False, True, False, False]
    assert form.find("button", {"type": "submit"})
    assert box.find(attrs={"role": "status"}), "JavaScript announces the result here"
    script = box.find("script")
    assert script["src"].endswith("js/ratings.js")
    assert not script.string, "no inline script"


def test_author_sees_the_summary_without_the_form(client, story, author):
    give_ratings(story, [4])
    client.force_login(author)

    box = widget(client.get(story.url).content.decode())

    assert "Rated 4.0 out of 5" in box.get_text()
    assert box.find("form") is None
    assert "You wrote this" in box.get_text()


def test_anonymous_visitor_is_invited_to_sign_in(client, story):
    box = widget(client.get(story.url).content.decode())

    assert box.find("form") is None
    link = box.find("a", string="Sign in to rate")
    assert link["href"] == f"/accounts/login/?next={quote(story.url, safe='')}"


def test_anonymous_visitor_gets_the_form_when_the_site_allows(story, anonymous_ratings):
    browser = Client()
    assert widget(browser.get(story.url).content.decode()).find("form")

    rate(browser, story, 5)
    box = widget(browser.get(story.url).content.decode())

    assert "Your rating: 5 stars" in box.get_text()
    assert "Rated 5.0 out of 5 from 1 rating" in box.get_text(" ", strip=True)
    other_browser = widget(Client().get(story.url).content.decode())
    assert "Your rating" not in other_browser.get_text()


def test_reading_a_page_creates_no_settings_row(client, story):
    client.get(story.url)

    assert not CommunitySettings.objects.exists()


def test_previews_offer_no_form(rf, story, member):
    request = rf.get(story.url)
    request.user = member
    request.is_preview = True  # what Wagtail sets when it serves a preview

    box = page_context(page=story, request=request)["rating_widget"]

    assert box["can_rate"] is False


def test_a_page_behind_a_view_restriction_offers_no_form(client, story, member):
    # The endpoint refuses restricted pages (readable_content), so the page
    # must not offer a form that would only answer 404.
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(member)

    response = client.get(story.url)

    assert response.status_code == 200
    assert widget(response.content.decode()).find("form") is None


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_detail_queries_do_not_grow_with_ratings(client, story, member, settings):
    # Renders compared: the page cache (issue 17) would serve the visitor's second visit.
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    rating_upsert(page=story, score=5, user=member)
    client.get(story.url)  # Wagtail caches the site's root paths after the first request
    member_client = Client()
    member_client.force_login(member)
    member_client.get(story.url)  # and the member's permissions, the address's route

    small = [count_queries(client, story.url)[0], count_queries(member_client, story.url)[0]]
    give_ratings(story, [4] * 40)
    anonymous_count, _ = count_queries(client, story.url)
    member_count, html = count_queries(member_client, story.url)

    assert "from 41 ratings" in html
    assert small == [anonymous_count, member_count]
    assert anonymous_count <= ANONYMOUS_DETAIL_QUERIES
    assert member_count <= MEMBER_DETAIL_QUERIES
