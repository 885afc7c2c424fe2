"""The benchmark scripts' pure parts, and the load test's journeys through the test client.

Nothing here is timed: the figures come from running the scripts (benchmarks/README.md).
What is checked is what the scripts compute from what they read (wrk's output, Locust's
CSV, the email file backend's files) and that every request the load test's people make
is one the site accepts — forms found, CSRF tokens carried (the client enforces them),
the review queue's approve button working — so a change to a form cannot turn the load
test's figures into a count of errors unnoticed.
"""

import random

from django.core import mail
from django.test import Client

from wagtail.models import TaskState

import pytest

from benchmarks import journeys, load, pages
from benchmarks.serve import form_matching, forms_in
from blogs.models import BlogPage
from core import roles
from discussion.models import PageComment
from ratings.models import Rating
from social.models import MemberFollow
from tests.authoring.conftest import with_consent
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.factories.users import TEST_PASSWORD

WRK_OUTPUT = """\
Running 15s test @ http://127.0.0.1:18201/blogs/a-post/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    2.01ms  41.30ms   90.12%
    Req/Sec     1.21k   101.22     1.40k    71.00%
  Latency Distribution
     50%  850.00us
     75%    3.50ms
     90%    5.10ms
     99%    1.20s
  36210 requests in 15.01s, 0.98GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 12
Requests/sec:   2412.39
Transfer/sec:     66.80MB
"""


def test_wrk_output_is_read_with_its_units():
    result = pages.parse_wrk(WRK_OUTPUT)

    assert result.requests_per_second == 2412.39
    assert result.p50_ms == pytest.approx(0.85)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests == 36210
    assert result.non_2xx_3xx == 12
    assert result.socket_errors == 5


def test_unreadable_wrk_output_is_refused():
    with pytest.raises(ValueError, match="unreadable"):
        pages.parse_wrk("wrk: connection refused\n")


def test_page_arguments_default_to_the_issues_measurement():
    args = pages.parse_args([])

    assert (args.threads, args.connections, args.duration, args.rounds, args.workers) == (
        2,
        8,
        "15s",
        2,
        2,
    )
    assert args.duration_seconds == 15
    assert [page.key for page in args.pages] == [page.key for page in pages.PAGES]


def test_page_arguments_choose_pages_and_refuse_unknown_ones(capsys):
    args = pages.parse_args(["-d", "3s", "--only", "home,member-feed"])

    assert args.duration_seconds == 3
    assert [page.key for page in args.pages] == ["home", "member-feed"]
    with pytest.raises(SystemExit):
        pages.parse_args(["--only", "home,nonsense"])
    assert "nonsense" in capsys.readouterr().err


def test_bare_runs_alternate_with_kindreds_pages():
    chosen = pages.PAGES[:5]

    order = pages.schedule(chosen, rounds=2, bare_every=2)

    first_round = [target for number, target in order if number == 1]
    assert first_round == [
        "bare-ok",
        chosen[0].key,
        chosen[1].key,
        "bare-ok",
        chosen[2].key,
        chosen[3].key,
        "bare-ok",
        chosen[4].key,
        "bare-template",
        "bare-ok",
    ]
    assert [target for number, target in order if number == 2] == first_round


def _run(target, rps, round_number=1):
    return pages.Run(
        target=target,
        round=round_number,
        load_average=0.5,
        result=pages.WrkResult(requests_per_second=rps, p50_ms=2.0, p99_ms=9.0, requests=100),
        cpu_ms_per_request=0.4,
    )


def test_table_gives_ratios_to_bare_ok_and_to_bakerydemo():
    report = pages.Report(
        started="now",
        commit="abc",
        machine="m",
        cache="file",
        wrk="wrk",
        workers=2,
        paths={},
        in_process={
            "item": pages.InProcess(
                queries=20, median_ms=21.5, cached_queries=0, cached_median_ms=0.3
            )
        },
        cache_hits={"item": (5, 5)},
        runs=[
            _run("bare-ok", 2400, 1),
            _run("bare-ok", 2600, 2),
            _run("item", 1900, 1),
            _run("item", 2100, 2),
        ],
    )

    table = pages.format_table(report, [pages.PAGES[0]])

    item_row = next(line for line in table.splitlines() if line.startswith("| item page"))
    cells = [cell.strip() for cell in item_row.strip("|").split("|")]
    # Mean 2000 req/s over the rounds; bare "ok" mean 2500; bakerydemo 40-47 req/s.
    assert cells[1] == "1900–2100"
    assert cells[4] == "0.40 ms"
    assert cells[5] == "5/5"
    assert cells[6] == "20"
    assert cells[7] == "21.5 ms / 0.30 ms (0 q)"
    assert cells[8] == f"{2000 / 47:.1f}–{2000 / 40:.1f}×"
    assert cells[9] == "80%"
    bare_row = next(line for line in table.splitlines() if line.startswith('| bare Django "ok"'))
    assert bare_row.startswith('| bare Django "ok" | 2400–2600 |') and "100 %" in bare_row
    goals = pages.format_goals(report)
    assert "10× bakerydemo (~435) met" in goals
    assert "80% of bare" in goals and "70 % met" in goals


def test_goal_is_reported_missed_below_seventy_percent_of_bare():
    report = pages.Report(
        "now", "abc", "m", "file", "wrk", 2, {}, runs=[_run("bare-ok", 3000), _run("home", 2000)]
    )

    assert "home: 2000 req/s; 10× bakerydemo (~435) met; 67% of bare" in pages.format_goals(report)
    assert "70 % missed" in pages.format_goals(report)


LOCUST_CSV = """\
Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,\
80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,item,900,1,3,4.1,1,80,20000,15.0,0.0,3,4,4,5,6,9,12,20,70,80,80
POST,rate,40,0,50,52,30,120,0,0.7,0.0,50,55,60,60,80,100,110,120,120,120,120
POST,rate [429 throttled],10,0,20,21,10,30,0,0.2,0.0,20,20,20,20,25,30,30,30,30,30,30
POST,review approve [already decided],2,0,40,40,40,40,0,0.0,0.0,40,40,40,40,40,40,40,40,40,40,40
POST,review approve,8,0,90,95,60,200,0,0.1,0.0,90,95,100,100,150,200,200,200,200,200,200
,Aggregated,960,1,3,6.0,1,200,0,16.0,0.0,3,4,5,5,8,12,40,60,150,200,200
"""


def test_locust_rows_fold_throttled_and_already_decided_into_their_endpoint(tmp_path):
    stats = tmp_path / "run_stats.csv"
    stats.write_text(LOCUST_CSV)

    summary = load.summarise(load.read_locust_stats(stats))

    by_name = {entry["name"]: entry for entry in summary["endpoints"]}
    assert set(by_name) == {"item", "rate", "review approve"}
    assert (by_name["rate"]["requests"], by_name["rate"]["throttled"]) == (50, 10)
    assert (by_name["review approve"]["requests"], by_name["review approve"]["taken"]) == (10, 2)
    assert (summary["requests"], summary["errors"], summary["throttled"]) == (960, 1, 10)
    assert summary["error_rate"] == pytest.approx(1 / 960)
    assert (summary["p50"], summary["p95"], summary["p99"]) == (3, 12, 60)
    text = load.format_run("plain", summary, None, {"item": {"hit": 850, "stored": 50}})
    assert "| rate | 50 | 0.7 | 50 ms | 100 ms | 120 ms | 0 | 10 | — |" in text
    assert "| item | 900 | 15.0 | 3 ms | 9 ms | 20 ms | 1 | 0 | 850/900 |" in text
    assert "1 of 960 requests = 0.10% (goal < 0.5 %: met)" in text


def test_load_arguments_and_accounts_per_kind():
    args = load.parse_args(["-u", "40", "-t", "30s", "--runs", "restart"])

    assert (args.users, args.seconds, args.run_names) == (40, 30, ["restart"])
    assert load.parse_args([]).run_names == ["plain", "restart"]
    # 15 % members, 3 % writers, 2 % reviewers of 40 people, rounded up, plus a spare.
    assert load.accounts_needed(40) == {"members": 7, "writers": 3, "reviewers": 2}
    assert load.accounts_needed(100) == {"members": 16, "writers": 4, "reviewers": 3}


def test_emails_written_by_the_file_backend_are_matched_to_the_outbox(tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    ids = ["<a1@kindred.example>", "<b2@kindred.example>", "<c3@kindred.example>"]
    with mail.get_connection() as connection:
        connection.send_messages(
            [
                mail.EmailMessage("One", "x", to=["a@example.org"], headers={"Message-ID": ids[0]}),
                mail.EmailMessage("Two", "x", to=["b@example.org"], headers={"Message-ID": ids[1]}),
                mail.EmailMessage("Two", "x", to=["b@example.org"], headers={"Message-ID": ids[1]}),
                mail.EmailMessage(
                    "Other", "x", to=["c@example.org"], headers={"Message-ID": "<zz@else>"}
                ),
            ]
        )

    delivered = load.delivered_message_ids(tmp_path)
    checked = load.check_emails({ids[0]: "sent", ids[1]: "sent", ids[2]: "queued"}, delivered)

    assert sorted(delivered) == sorted([ids[0], ids[1], ids[1], "<zz@else>"])
    assert checked["missing"] == [ids[2]]
    assert checked["duplicates"] == [ids[1]]
    assert (checked["delivered_once"], checked["sent_rows"], checked["outside_outbox"]) == (1, 2, 1)


def test_forms_are_read_as_a_browser_sends_them():
    html = """
    <form action="/ratings/7/" method="post"><input type="hidden" name="csrfmiddlewaretoken"
      value="tok"><input type="radio" name="score" value="2"><input type="radio" name="score"
      value="4" checked><input type="checkbox" name="off" value="1"><textarea name="note">Hi
    </textarea><select name="kind"><option value="a">A</option><option value="b" selected>B
    </option></select><button name="action" value="submit">Go</button></form>
    <form method="post"><input name="q" value="x"></form>
    """

    rating, own = forms_in(html, base="/blogs/post/")

    assert rating["action"] == "/ratings/7/" and rating["method"] == "post"
    assert rating["fields"] == {
        "csrfmiddlewaretoken": "tok",
        "score": "4",
        "note": "Hi\n    ",
        "kind": "b",
    }
    assert rating["buttons"] == [("action", "submit")]
    assert own["action"] == "/blogs/post/"
    assert form_matching(html, r"/ratings/\d+/")["fields"]["score"] == "4"
    assert form_matching(html, r"/comments/") is None


class ClientBrowser:
    """``journeys.Browser`` on Django's test client, CSRF enforced as in production."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.answers = []
        self.errors = []

    def _answer(self, name, response, expect, taken):
        outcome = journeys.classify(response.status_code, expect=expect, taken=taken)
        self.answers.append((name, response.status_code, outcome))
        return journeys.Answer(response.status_code, response.content.decode(), outcome)

    def get(self, path, *, name, expect=(200,), taken=()):
        return self._answer(name, self.client.get(path), expect, taken)

    def post(self, path, data, *, name, expect=journeys.POSTED, taken=()):
        return self._answer(name, self.client.post(path, data), expect, taken)

    def csrf_token(self):
        cookie = self.client.cookies.get("csrftoken")
        return cookie.value if cookie else ""

    def error(self, name, message):
        self.errors.append((name, message))


def _no_errors(browser):
    assert browser.errors == []
    assert [answer for answer in browser.answers if answer[2] != journeys.OK] == []


def test_classify_sorts_throttles_and_races_apart_from_errors():
    assert journeys.classify(200, expect=(200,)) == journeys.OK
    assert journeys.classify(429, expect=(200,)) == journeys.THROTTLED
    assert journeys.classify(404, expect=(302,), taken=(404,)) == journeys.TAKEN
    assert journeys.classify(404, expect=(200,)) == journeys.ERROR
    assert journeys.classify(500, expect=(200,), taken=(404,)) == journeys.ERROR


@pytest.fixture
def catalogue(blog_index, member):
    post = BlogPageFactory(parent=blog_index, author=member, title="Pacing my week")
    other = with_consent(UserFactory(group=roles.MEMBERS, display_name="Followed One"))
    profile = ProfileFactory(user=other, visibility="everyone")
    return journeys.Catalogue(
        items=[{"path": post.url, "id": post.pk}],
        listings=["/", blog_index.url],
        feeds=[f"/feeds/{blog_index.slug}/rss/"],
        profiles=[profile.handle],
        password=TEST_PASSWORD,
    )


def test_visitor_journeys_read_and_search(catalogue):
    browser = ClientBrowser()
    rng = random.Random(1)

    for journey in (
        journeys.read_item,
        journeys.read_listing,
        journeys.read_feed,
        journeys.search,
        journeys.autocomplete,
    ):
        journey(browser, catalogue, rng)

    _no_errors(browser)
    assert len(browser.answers) == 5


def test_member_journeys_sign_in_rate_comment_and_follow(catalogue):
    rater = with_consent(UserFactory(group=roles.MEMBERS, display_name="Rater"))
    browser = ClientBrowser()
    rng = random.Random(2)

    assert journeys.sign_in(browser, rater.username, TEST_PASSWORD)
    journeys.rate(browser, catalogue, rng)
    journeys.comment(browser, catalogue, rng)
    journeys.follow(browser, catalogue, rng)
    journeys.member_feed(browser, catalogue, rng)

    _no_errors(browser)
    post_id = catalogue.items[0]["id"]
    assert Rating.objects.filter(user=rater, page_id=post_id).count() == 1
    assert PageComment.objects.filter(user=rater, object_pk=str(post_id)).count() == 1
    assert MemberFollow.objects.filter(follower=rater).count() == 1


def test_writer_submits_and_both_reviewers_approve_through_the_queue(catalogue, editor, medic):
    writer = with_consent(UserFactory(group=roles.MEMBERS, display_name="Writer"))
    rng = random.Random(3)
    writing = ClientBrowser()
    assert journeys.sign_in(writing, writer.username, TEST_PASSWORD)

    journeys.write(writing, catalogue, rng)

    _no_errors(writing)
    page = BlogPage.objects.get(author=writer)
    assert not page.live
    for reviewer in (editor, medic):
        reviewing = ClientBrowser()
        assert journeys.sign_in(reviewing, reviewer.username, TEST_PASSWORD)
        journeys.review(reviewing, catalogue, rng)
        _no_errors(reviewing)
        assert [name for name, *_ in reviewing.answers][-2:] == ["review queue", "review approve"]
    page.refresh_from_db()
    assert page.live
    decisions = TaskState.objects.filter(workflow_state__object_id=str(page.pk))
    approved_by = [state.finished_by_id for state in decisions if state.status == "approved"]
    assert sorted(approved_by) == sorted([editor.pk, medic.pk])


def test_a_page_without_the_expected_form_is_an_error(catalogue):
    browser = ClientBrowser()  # not signed in: the item page has no comment form

    journeys.comment(browser, catalogue, random.Random(4))

    assert browser.errors == [("comment", "no form matching /comments/\\d+/$")]
