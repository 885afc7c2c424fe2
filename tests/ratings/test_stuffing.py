"""Visitor ratings are hard to stuff (issue 10, finding 14).

With ratings from visitors allowed, a visitor is known by a signed browser
token (``kindred_rater``): one rating per token per item, at most a few new
visitor ratings per item per hour across all addresses, a few attempts per
address per hour, and never a visitor rating from a browser a member has
signed in on (so an author cannot sign out and rate their own item).
"""

from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

from ratings.browser import BROWSER_COOKIE, BROWSER_COOKIE_SALT
from ratings.models import Rating, RatingSummary
from ratings.services import anonymous_key_for, rating_upsert
from tests.factories import ExperienceStoryPageFactory, UserFactory
from tests.factories.users import TEST_PASSWORD
from tests.ratings.helpers import assert_summary_matches_ratings, rate

pytestmark = pytest.mark.django_db

ITEM_BUSY = "many ratings from visitors in the last hour"
SIGN_IN_TO_RATE = "A member has signed in on this browser"
INVALID_TOKEN = "could not verify"


@pytest.fixture
def item_limit(settings):
    """A small per-item cap; every other throttle far above what a test sends."""
    settings.RATINGS_THROTTLE_RATES = {
        "member": "10000/m",
        "client": "10000/m",
        "anonymous_client": "10000/h",
        "anonymous_item": "5/h",
    }


def sign_in(browser, user):
    """Sign in through the real sign-in form, as a browser does (cookies and all)."""
    response = browser.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, "signed in"
    return response


def sign_out(browser):
    browser.post("/accounts/logout/")
    assert "_auth_user_id" not in browser.session


def widget(browser, page):
    html = browser.get(page.url).content.decode()
    return BeautifulSoup(html, "html.parser").select_one("[data-rating-widget]")


# --- Per-item and per-address limits ------------------------------------------------


def test_thirty_addresses_without_a_token_store_at_most_the_item_limit(
    story, anonymous_ratings, item_limit
):
    answers = [
        rate(Client(REMOTE_ADDR=f"198.51.100.{number}"), story, 5).status_code
        for number in range(1, 31)
    ]

    assert answers == [303] * 5 + [429] * 25
    assert Rating.objects.count() == 5
    assert assert_summary_matches_ratings(story).count == 5


def test_the_item_cap_is_a_clear_429_that_stores_nothing(story, anonymous_ratings, item_limit):
    for number in range(5):
        rate(Client(REMOTE_ADDR=f"203.0.113.{number}"), story, 4)
    summary_before = RatingSummary.objects.get(page=story)

    form = rate(Client(REMOTE_ADDR="192.0.2.1"), story, 1)
    json = rate(Client(REMOTE_ADDR="192.0.2.2"), story, 1, json=True)

    assert form.status_code == 429
    assert ITEM_BUSY in form.content.decode()
    assert story.title in form.content.decode(), "the answer links back to the item"
    assert BROWSER_COOKIE not in form.cookies, "a refused vote leaves nothing behind"
    assert json.status_code == 429
    assert ITEM_BUSY in json.json()["error"]
    assert Rating.objects.count() == 5
    summary = RatingSummary.objects.get(page=story)
    assert (summary.count, summary.total) == (summary_before.count, summary_before.total)


def test_the_item_cap_leaves_other_items_members_and_changed_votes_alone(
    story, story_index, author, anonymous_ratings, item_limit, member
):
    first = Client(REMOTE_ADDR="203.0.113.1")
    rate(first, story, 2)
    for number in range(2, 6):
        rate(Client(REMOTE_ADDR=f"203.0.113.{number}"), story, 4)
    assert rate(Client(), story, 4).status_code == 429

    other_item = ExperienceStoryPageFactory(parent=story_index, author=author)
    assert rate(Client(), other_item, 4).status_code == 303
    member_browser = Client()
    member_browser.force_login(member)
    assert rate(member_browser, story, 4).status_code == 303
    # Changing a vote is not a new vote.
    assert rate(first, story, 5).status_code == 303
    assert Rating.objects.filter(page=story).count() == 6
    assert_summary_matches_ratings(story)


def test_the_per_address_limit_still_holds(story, anonymous_ratings, settings):
    settings.RATINGS_THROTTLE_RATES = {"anonymous_client": "3/h", "anonymous_item": "100/h"}

    answers = [rate(Client(REMOTE_ADDR="198.51.100.7"), story, 4).status_code for _ in range(5)]

    assert answers == [303, 303, 303, 429, 429]
    assert Rating.objects.count() == 3


def test_one_token_across_many_addresses_is_one_vote(story, anonymous_ratings, item_limit):
    browser = Client()
    for number in range(1, 21):
        response = rate(browser, story, number % 5 + 1, REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 303

    rating = Rating.objects.get()
    assert rating.score == 20 % 5 + 1
    raw_id = browser.cookies[BROWSER_COOKIE].value.split(":")[0]
    assert rating.anonymous_key == anonymous_key_for(raw_id)


# --- The author's own browser -------------------------------------------------------


def test_the_authors_browser_cannot_rate_their_item_signed_out(story, author, anonymous_ratings):
    browser = Client()
    signed_in = sign_in(browser, author)
    assert signed_in.cookies[BROWSER_COOKIE]["httponly"] is True, "signing in issues a token"
    sign_out(browser)

    form = rate(browser, story, 5)
    json = rate(browser, story, 5, json=True)

    assert form.status_code == 403
    assert SIGN_IN_TO_RATE in form.content.decode()
    assert json.status_code == 403
    assert SIGN_IN_TO_RATE in json.json()["error"]
    assert json.json()["login_url"].startswith("/accounts/login/?next=")
    assert not Rating.objects.exists()
    # The page offers that browser a way to sign in, not a form.
    box = widget(browser, story)
    assert box.find("form") is None
    assert box.find("a", string="Sign in to rate")
    assert SIGN_IN_TO_RATE in box.get_text()


def test_a_token_from_before_signing_in_is_bound_and_its_own_item_vote_withdrawn(
    story, author, anonymous_ratings
):
    browser = Client()
    assert rate(browser, story, 5).status_code == 303, "rated as a visitor first"
    token = browser.cookies[BROWSER_COOKIE].value

    sign_in(browser, author)
    assert not Rating.objects.exists(), "the author's visitor vote is withdrawn"
    assert RatingSummary.objects.get(page=story).count == 0
    sign_out(browser)

    assert browser.cookies[BROWSER_COOKIE].value == token, "the same token, now bound"
    assert rate(browser, story, 5).status_code == 403
    assert not Rating.objects.exists()


def test_the_authors_token_copied_to_another_browser_is_refused(story, author, anonymous_ratings):
    authors_browser = Client()
    sign_in(authors_browser, author)
    stolen = authors_browser.cookies[BROWSER_COOKIE].value

    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    elsewhere.cookies[BROWSER_COOKIE] = stolen
    response = rate(elsewhere, story, 5, json=True)

    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_a_visitors_other_browser_may_rate(story, author, anonymous_ratings):
    authors_browser = Client()
    sign_in(authors_browser, author)
    sign_out(authors_browser)

    assert rate(Client(), story, 4).status_code == 303
    assert Rating.objects.get().score == 4


def test_the_refusal_does_not_depend_on_who_wrote_the_item(
    story, story_index, member, anonymous_ratings
):
    # The rule is "a member signed in here", never "the author signed in here":
    # a refusal that differed by item would tell whoever uses a shared browser
    # which anonymous stories its members wrote.
    someone_elses = ExperienceStoryPageFactory(parent=story_index, author=UserFactory())
    browser = Client()
    sign_in(browser, member)
    sign_out(browser)

    answers = [rate(browser, page, 4, json=True) for page in (story, someone_elses)]

    assert [answer.status_code for answer in answers] == [403, 403]
    assert answers[0].json()["error"] == answers[1].json()["error"]


def test_a_signed_in_author_still_cannot_rate_their_item(client, story, author, anonymous_ratings):
    client.force_login(author)

    assert rate(client, story, 5).status_code == 403
    assert not Rating.objects.exists()


def test_a_members_vote_replaces_their_browsers_visitor_vote(story, member, anonymous_ratings):
    browser = Client()
    rate(browser, story, 1)
    sign_in(browser, member)

    response = rate(browser, story, 5, json=True)

    assert response.json()["count"] == 1, "one person, one vote"
    assert Rating.objects.get().user == member
    assert_summary_matches_ratings(story)


# --- Forged, tampered and hostile tokens --------------------------------------------


def _signed(value, salt=BROWSER_COOKIE_SALT):
    return signing.get_cookie_signer(salt=BROWSER_COOKIE + salt).sign(value)


def _forgeries(genuine):
    raw_id, signature = genuine.split(":", 1)
    edited = f"{raw_id[:-1]}{'A' if raw_id[-1] != 'A' else 'B'}"
    return {
        "edited id": f"{edited}:{signature}",
        "no signature": raw_id,
        "forged signature": f"{raw_id}:forged-signature",
        "oversized": "x" * 5000,
        "script": "<script>alert(1)</script>",
        "non-ascii": "ünïcødé:¤",
        "signed for another purpose": _signed(raw_id, salt="other.purpose"),
        "signed but not an id": _signed("<b>" * 20),
        "signed list": _signed(str([raw_id, raw_id])),
    }


@pytest.mark.parametrize("as_json", [False, True])
def test_forged_or_tampered_tokens_are_refused_with_400(
    story, anonymous_ratings, generous_throttles, as_json
):
    owner = Client()
    rate(owner, story, 5)
    genuine = owner.cookies[BROWSER_COOKIE].value

    for label, forged in _forgeries(genuine).items():
        forger = Client()
        forger.cookies[BROWSER_COOKIE] = forged
        response = rate(forger, story, 1, json=as_json)

        assert response.status_code == 400, label
        body = response.json()["error"] if as_json else response.content.decode()
        assert INVALID_TOKEN in body, label
        assert response.cookies[BROWSER_COOKIE].value == "", f"{label}: the bad token is removed"

    assert Rating.objects.get().score == 5, "the owner's vote is untouched"
    assert_summary_matches_ratings(story)


def test_after_a_refused_token_the_browser_can_rate_afresh(story, anonymous_ratings):
    browser = Client()
    browser.cookies[BROWSER_COOKIE] = "tampered"
    assert rate(browser, story, 3).status_code == 400

    assert rate(browser, story, 3).status_code == 303
    assert Rating.objects.get().score == 3


def test_a_tampered_token_is_ignored_while_signed_in(story, member, anonymous_ratings):
    browser = Client()
    browser.force_login(member)
    browser.cookies[BROWSER_COOKIE] = "tampered"

    assert rate(browser, story, 3).status_code == 303
    assert Rating.objects.get().user == member


@pytest.mark.parametrize("score", ["6", "abc", ["3", "4"], "x" * 10_000, None])
def test_hostile_scores_from_a_visitor_are_400_and_store_nothing(story, anonymous_ratings, score):
    browser = Client()
    response = browser.post(
        f"/ratings/{story.pk}/",
        {} if score is None else {"score": score},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert not Rating.objects.exists()
    assert not RatingSummary.objects.filter(count__gt=0).exists()


def test_someone_elses_token_changes_only_that_browsers_vote(story, anonymous_ratings):
    owner = Client()
    rate(owner, story, 5)
    copier = Client(REMOTE_ADDR="192.0.2.99")
    copier.cookies[BROWSER_COOKIE] = owner.cookies[BROWSER_COOKIE].value

    rate(copier, story, 1)

    assert Rating.objects.count() == 1, "a copied token is never a second vote"


def test_no_address_or_browser_id_is_stored(story, anonymous_ratings, member):
    browser = Client(REMOTE_ADDR="198.51.100.77")
    rate(browser, story, 4)
    raw_id = browser.cookies[BROWSER_COOKIE].value.split(":")[0]
    sign_in(browser, member)

    from ratings.models import RaterBrowser

    stored = [*Rating.objects.values_list(), *RaterBrowser.objects.values_list()]
    text = repr(stored)
    assert raw_id not in text
    assert "198.51.100.77" not in text


# --- What it costs ------------------------------------------------------------------

# A visitor's vote (throttles live in the cache): the site setting, the page
# and its readability, the browser's links to members, the summary row
# (create-if-missing, lock), the rating read and write, for a new vote the
# item's recent visitor ratings, the summary write, and the session's
# messages. Measured on SQLite; what matters is that it does not grow.
ENDPOINT_QUERIES = 13
# The item page as a visitor with a token: as test_widget's anonymous count,
# plus the visitor's own score, the browser's links and the readability check.
# +3 for sharing (a public item): view restrictions, the policy's rules, its default.
VISITOR_DETAIL_QUERIES = 25


def test_a_visitors_vote_costs_the_same_however_many_ratings(
    story, anonymous_ratings, settings, django_assert_max_num_queries
):
    settings.RATINGS_THROTTLE_RATES = {"anonymous_client": "100/h", "anonymous_item": "100/h"}
    returning = Client()
    rate(returning, story, 3)
    counts = []
    for more, new_score in ((0, 5), (30, 2)):
        for number in range(more):
            rating_upsert(page=story, score=4, anonymous_key=anonymous_key_for(f"{number:043d}"))
        with CaptureQueriesContext(connection) as new_vote:
            assert rate(Client(), story, 4).status_code == 303
        with CaptureQueriesContext(connection) as changed_vote:
            assert rate(returning, story, new_score).status_code == 303
        counts.append((len(new_vote), len(changed_vote)))

    assert counts[0] == counts[1], "the cost does not grow with the ratings"
    assert max(counts[0]) <= ENDPOINT_QUERIES


def test_the_item_page_costs_the_same_however_many_ratings(
    story, anonymous_ratings, django_assert_max_num_queries
):
    browser = Client()
    rate(browser, story, 3)
    browser.get(story.url)  # Wagtail caches the site's root paths after the first request
    with django_assert_max_num_queries(VISITOR_DETAIL_QUERIES):
        assert browser.get(story.url).status_code == 200
    for number in range(30):
        rating_upsert(page=story, score=4, anonymous_key=anonymous_key_for(f"{number:043d}"))
    with django_assert_max_num_queries(VISITOR_DETAIL_QUERIES):
        html = browser.get(story.url).content.decode()
    assert "from 31 ratings" in html
    assert "Your rating: 3 stars" in html
