"""Parallel votes: one member's 50 simultaneous requests leave one rating and an exact summary.

These need a database that runs transactions concurrently with row locks:
SQLite serialises every writer on a file lock (and ignores SELECT ... FOR
UPDATE), so it can neither show the race nor prove the lock. CI runs the
suite on PostgreSQL, where they run; locally use
``export DATABASE_URL="$(scripts/postgres start)"``.
"""

import json
import re
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from ratings.models import Rating, RatingSummary
from ratings.services import anonymous_key_for, rating_upsert
from tests.concurrency import needs_postgresql, run_together
from tests.ratings.helpers import assert_summary_matches_ratings

PARALLEL = 50

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]

TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_fifty_parallel_requests_from_one_member_leave_one_rating(
    live_server, client, story, member, generous_throttles
):
    # The member's real session, and the CSRF token from the page's own form.
    client.force_login(member)
    session_id = client.cookies["sessionid"].value
    page = requests.get(live_server.url + story.url, cookies={"sessionid": session_id}, timeout=30)
    assert page.status_code == 200
    token = TOKEN_IN_FORM.search(page.text).group(1)
    cookies = f"sessionid={session_id}; csrftoken={page.cookies['csrftoken']}"

    # Connect all fifty first, one after another: the test server listens with
    # a short backlog, and fifty simultaneous connects would be refused before
    # any request reached Django. The requests themselves go out together.
    address = urlsplit(live_server.url)
    connections_open = []
    for _ in range(PARALLEL):
        http = HTTPConnection(address.hostname, address.port, timeout=60)
        http.connect()
        connections_open.append(http)

    def vote(number):
        http = connections_open[number]
        body = urlencode({"score": number % 5 + 1, "csrfmiddlewaretoken": token})
        http.request(
            "POST",
            f"/ratings/{story.pk}/",
            body=body,
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
            },
        )
        response = http.getresponse()
        answer = (response.status, json.loads(response.read()))
        http.close()
        return answer

    answers = run_together(PARALLEL, vote)

    assert [status for status, _ in answers] == [200] * PARALLEL
    assert Rating.objects.count() == 1
    rating = Rating.objects.get()
    assert rating.user_id == member.pk
    summary = assert_summary_matches_ratings(story)
    assert (summary.count, summary.total) == (1, rating.score)
    assert all(data["count"] == 1 for _, data in answers)


def test_fifty_first_votes_on_an_unrated_page_all_count(story):
    # Every thread races to create the summary row; none may be lost or fail.
    def vote(number):
        rating_upsert(
            page=story, score=number % 5 + 1, anonymous_key=anonymous_key_for(f"{number:043d}")
        )

    run_together(PARALLEL, vote)

    assert Rating.objects.count() == PARALLEL
    assert RatingSummary.objects.count() == 1
    summary = assert_summary_matches_ratings(story)
    assert summary.count == PARALLEL
    assert summary.total == sum(number % 5 + 1 for number in range(PARALLEL))


def test_one_member_voting_in_parallel_through_the_service(story, member):
    results = run_together(
        PARALLEL, lambda number: rating_upsert(page=story, score=number % 5 + 1, user=member)
    )

    assert Rating.objects.count() == 1
    assert len({rating.pk for rating, _ in results}) == 1
    summary = assert_summary_matches_ratings(story)
    assert summary.count == 1
