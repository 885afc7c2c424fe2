"""What the load test's simulated people do, as plain functions on a small ``Browser``.

benchmarks/locustfile.py runs them through Locust's HTTP client against the production
server; tests/benchmarks/test_scripts.py runs the same functions through Django's test
client, so the requests (forms, CSRF tokens, the review flow) are checked without a
server and without importing Locust (which patches the standard library with gevent).

Each request has a ``name`` (the endpoint in the report) and the statuses that mean
it worked (``expect``). The browser sorts every answer into one of:

- ``ok``: an expected status;
- ``throttled``: 429, a throttle of the site refusing a rate (counted on its own: it is
  the site working as designed, not an error);
- ``taken``: a status in ``taken`` (two reviewers deciding the same item at once: the
  second finds it gone from their queue and gets the same 404 as for a missing one);
- ``error``: anything else, and a page without the form a journey expected.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from typing import Protocol

OK, THROTTLED, TAKEN, ERROR = "ok", "throttled", "taken", "error"

SEARCHES = [
    "fatigue",
    "relapse",
    "walking",
    "heat",
    "sleep",
    "vitamin d",
    "balance",
    "cooling vest",
    "fatige",  # a typo: "Did you mean"
    "work and ms",
]
PREFIXES = ["fat", "rel", "wal", "sle", "hea", "bal"]

# A form post answers with the page (200, a form with errors shown) or a redirect to the
# next page (302, 303: "see other" after a POST).
POSTED = (200, 302, 303)

_APPROVE_URL = re.compile(r'data-workflow-action-url="([^"]*/approve/\d+/)"')


@dataclass
class Answer:
    status: int
    text: str
    outcome: str = OK


class Browser(Protocol):
    """A signed-in or anonymous browser: keeps cookies, reports every request by name."""

    def get(
        self, path: str, *, name: str, expect: tuple[int, ...] = (200,), taken: tuple[int, ...] = ()
    ) -> Answer: ...

    def post(
        self,
        path: str,
        data: dict[str, str],
        *,
        name: str,
        expect: tuple[int, ...] = POSTED,
        taken: tuple[int, ...] = (),
    ) -> Answer: ...

    def csrf_token(self) -> str: ...

    def error(self, name: str, message: str) -> None: ...


def classify(status: int, *, expect: tuple[int, ...], taken: tuple[int, ...] = ()) -> str:
    """Which outcome (see the module docstring) an answer with ``status`` is."""
    if status in expect:
        return OK
    if status == 429:
        return THROTTLED
    if status in taken:
        return TAKEN
    return ERROR


@dataclass
class Catalogue:
    """What the simulated people choose from, read from the site before the run (load.py)."""

    items: list[dict] = field(default_factory=list)  # {"path": ..., "id": ...}, public items
    listings: list[str] = field(default_factory=list)  # home, sections, tags, directory
    feeds: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)  # handles of profiles members may see
    members: list[str] = field(default_factory=list)  # usernames, one per member user
    writers: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    password: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> Catalogue:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


def _form(browser: Browser, answer: Answer, pattern: str, *, name: str, path: str) -> dict | None:
    """The form of ``answer`` (the page at ``path``) whose action matches ``pattern``.

    A form without an action posts to its own page, as in a browser. A page without the
    form is reported as an error.
    """
    from benchmarks.serve import form_matching

    if answer.outcome != OK:
        return None
    form = form_matching(answer.text, pattern, base=path)
    if form is None:
        browser.error(name, f"no form matching {pattern}")
    return form


# --- visitors: reading and searching ----------------------------------------------------------


def read_item(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer:
    return browser.get(rng.choice(catalogue.items)["path"], name="item")


def read_listing(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer:
    path = rng.choice(catalogue.listings)
    name = "home" if path == "/" else "tag page" if path.startswith("/tags/") else "listing"
    return browser.get(path, name=name)


def read_feed(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer:
    return browser.get(rng.choice(catalogue.feeds), name="feed (RSS/Atom)")


def search(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer:
    return browser.get(f"/search/?q={rng.choice(SEARCHES)}", name="search")


def autocomplete(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer:
    return browser.get(f"/search/autocomplete/?q={rng.choice(PREFIXES)}", name="autocomplete")


# --- members: signing in, reading, rating, commenting, following ------------------------------


def sign_in(browser: Browser, username: str, password: str) -> bool:
    """Sign in through the one sign-in form, as a person does; True if it worked."""
    page = browser.get("/accounts/login/", name="sign-in form")
    form = _form(browser, page, r"/accounts/login/", name="sign-in form", path="/accounts/login/")
    if form is None:
        return False
    data = {**form["fields"], "login": username, "password": password}
    answer = browser.post("/accounts/login/", data, name="sign in", expect=(302,))
    return answer.outcome == OK


def member_read(browser: Browser, catalogue: Catalogue, rng: random.Random) -> tuple[Answer, str]:
    path = rng.choice(catalogue.items)["path"]
    return browser.get(path, name="item (member)"), path


def member_feed(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer:
    return browser.get("/feed/", name="personal feed")


def rate(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer | None:
    """Open an item and give it stars through the item page's rating form."""
    page, path = member_read(browser, catalogue, rng)
    form = _form(browser, page, r"/ratings/\d+/", name="rate", path=path)
    if form is None:
        return None
    data = {**form["fields"], "score": str(rng.randint(1, 5))}
    return browser.post(form["action"], data, name="rate")


def comment(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer | None:
    """Open an item and post a comment through its comment form."""
    page, path = member_read(browser, catalogue, rng)
    form = _form(browser, page, r"/comments/\d+/$", name="comment", path=path)
    if form is None:
        return None
    text = rng.choice(
        [
            "Thank you for writing this, it helps to read.",
            "Pacing has helped me too, especially in the afternoons.",
            "I had the same question for my nurse last month.",
        ]
    )
    data = {**form["fields"], "comment": f"{text} ({uuid.uuid4().hex[:6]})"}
    return browser.post(form["action"], data, name="comment")


def follow(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer | None:
    """Open a member's profile and press Follow (or Unfollow, if already following)."""
    handle = rng.choice(catalogue.profiles)
    path = f"/members/{handle}/"
    page = browser.get(path, name="profile")
    form = _form(browser, page, r"/members/[^/]+/(un)?follow/$", name="follow", path=path)
    if form is None:
        return None
    return browser.post(form["action"], form["fields"], name="follow / unfollow")


# --- writers and reviewers ---------------------------------------------------------------------


def write(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer | None:
    """Write a blog post on the site's authoring form and submit it for review."""
    page = browser.get("/write/blog/", name="authoring form")
    form = _form(browser, page, r"/write/blog/", name="authoring form", path="/write/blog/")
    if form is None:
        return None
    token = uuid.uuid4().hex[:8]
    data = {
        **form["fields"],
        "title": f"Load test notes {token}",
        "summary": "What a week of pacing taught me about my energy.",
        "body": "I kept a diary of my energy this week.\n\nMornings were best; "
        "I moved the shopping to Tuesdays and rested after lunch.",
        "tags": "fatigue, pacing",
        # Required since issue 12: who may read it (a visitor's page, like most blog posts).
        "audience": "everyone",
        "action": "submit",
    }
    return browser.post(form["action"], data, name="authoring submit")


def review(browser: Browser, catalogue: Catalogue, rng: random.Random) -> Answer | None:
    """Open the review queue and approve one item waiting there (the dashboard's button)."""
    queue = browser.get("/admin/review-queue/", name="review queue")
    if queue.outcome != OK:
        return None
    waiting = _APPROVE_URL.findall(queue.text)
    if not waiting:
        return None
    return browser.post(
        rng.choice(waiting),
        {"csrfmiddlewaretoken": browser.csrf_token()},
        name="review approve",
        taken=(404,),
    )
