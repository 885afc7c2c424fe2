"""The load test's people, for Locust (started headless by benchmarks/load.py).

    KINDRED_LOAD_CATALOGUE=catalogue.json locust -f benchmarks/locustfile.py --headless \
        -u 100 -r 20 -t 60s --host http://127.0.0.1:18211

The mix the issue asks for, by Locust's user weights: 80 % visitors reading and
searching, 15 % members reading, rating, commenting and following, 5 % members writing
(3 %) and reviewers approving (2 %). What each does is in benchmarks/journeys.py; this
file only binds it to Locust's HTTP client and its statistics:

- a 429 (a throttle of the site) is reported under "<endpoint> [429 throttled]", and a
  review decision on an item another reviewer has just decided under "<endpoint>
  [already decided]": neither counts as an error, both are visible in the report;
- any other unexpected status, a connection error or a missing form is an error.

Accounts come from the catalogue (load.py makes them: one per member, writer and
reviewer user, so no single account's posting or rating throttle decides the result).
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from locust import HttpUser, between, events, task  # noqa: E402

from benchmarks import journeys  # noqa: E402
from benchmarks.serve import unsecure_cookies  # noqa: E402

CACHE_HEADER = "X-Kindred-Cache"
_catalogue_file = os.environ.get("KINDRED_LOAD_CATALOGUE", "")
CATALOGUE = (
    journeys.Catalogue.from_dict(json.loads(Path(_catalogue_file).read_text()))
    if _catalogue_file
    else journeys.Catalogue()
)
_next_account = {kind: itertools.count() for kind in ("members", "writers", "reviewers")}
# X-Kindred-Cache answers per endpoint ({"item": {"hit": 90, "stored": 10}}), written when
# Locust stops to KINDRED_LOAD_CACHE_REPORT for load.py's report.
CACHE_ANSWERS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


@events.quitting.add_listener
def _write_cache_answers(environment, **kwargs):
    target = os.environ.get("KINDRED_LOAD_CACHE_REPORT", "")
    if target:
        Path(target).write_text(json.dumps(CACHE_ANSWERS, indent=1))


def _account(kind: str) -> str:
    accounts = getattr(CATALOGUE, kind)
    return accounts[next(_next_account[kind]) % len(accounts)]


class LocustBrowser:
    """``journeys.Browser`` on a Locust user's HTTP client (a requests session)."""

    def __init__(self, user: HttpUser):
        self.user = user
        self.client = user.client

    def _request(self, method, path, *, name, expect, taken, data=None):
        with self.client.request(
            method, path, name=name, data=data, catch_response=True, allow_redirects=False
        ) as response:
            # The session and CSRF cookies are Secure (production settings); the run is
            # plain http on 127.0.0.1, where a browser behind a TLS proxy would send them.
            unsecure_cookies(self.client.cookies)
            if method == "GET":
                CACHE_ANSWERS[name][response.headers.get(CACHE_HEADER, "none").lower()] += 1
            outcome = journeys.classify(response.status_code, expect=expect, taken=taken)
            if outcome == journeys.OK:
                response.success()
            elif outcome == journeys.THROTTLED:
                response.request_meta["name"] = f"{name} [429 throttled]"
                response.success()
            elif outcome == journeys.TAKEN:
                response.request_meta["name"] = f"{name} [already decided]"
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
            return journeys.Answer(response.status_code, response.text or "", outcome)

    def get(self, path, *, name, expect=(200,), taken=()):
        return self._request("GET", path, name=name, expect=expect, taken=taken)

    def post(self, path, data, *, name, expect=journeys.POSTED, taken=()):
        return self._request("POST", path, name=name, expect=expect, taken=taken, data=data)

    def csrf_token(self):
        return self.client.cookies.get("csrftoken", "")

    def error(self, name, message):
        self.user.environment.events.request.fire(
            request_type="CHECK",
            name=name,
            response_time=0,
            response_length=0,
            exception=AssertionError(message),
            context={},
        )


class _Person(HttpUser):
    abstract = True
    account_kind = ""

    def on_start(self):
        self.browser = LocustBrowser(self)
        self.rng = random.Random()  # noqa: S311 - choosing pages, not secrets
        if self.account_kind:
            journeys.sign_in(self.browser, _account(self.account_kind), CATALOGUE.password)

    def _do(self, journey):
        journey(self.browser, CATALOGUE, self.rng)


class Visitor(_Person):
    """Reads and searches, never signed in: what a newsletter brings."""

    weight = 80
    wait_time = between(0.5, 2)

    @task(6)
    def item(self):
        self._do(journeys.read_item)

    @task(4)
    def listing(self):
        self._do(journeys.read_listing)

    @task(1)
    def feed(self):
        self._do(journeys.read_feed)

    @task(2)
    def search(self):
        self._do(journeys.search)

    @task(1)
    def autocomplete(self):
        self._do(journeys.autocomplete)


class Member(_Person):
    """A signed-in member: reads, rates, comments, follows, looks at their feed."""

    weight = 15
    wait_time = between(2, 6)
    account_kind = "members"

    @task(5)
    def read(self):
        journeys.member_read(self.browser, CATALOGUE, self.rng)

    @task(2)
    def feed(self):
        self._do(journeys.member_feed)

    @task(1)
    def rate(self):
        self._do(journeys.rate)

    @task(1)
    def comment(self):
        self._do(journeys.comment)

    @task(1)
    def follow(self):
        self._do(journeys.follow)


class Writer(_Person):
    """A member writing a blog post on the site's form and submitting it for review."""

    weight = 3
    wait_time = between(10, 20)
    account_kind = "writers"

    @task
    def write(self):
        self._do(journeys.write)


class Reviewer(_Person):
    """An editorial or medical reviewer approving from the review queue."""

    weight = 2
    wait_time = between(3, 8)
    account_kind = "reviewers"

    @task
    def review(self):
        self._do(journeys.review)
