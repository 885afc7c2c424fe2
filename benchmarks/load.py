"""Load test: Locust against Kindred's production server, bounded in time.

    pip install -e '.[bench]'        # Locust (make bench does both)
    .venv/bin/python benchmarks/load.py                     # both runs, 100 users, 60 s each
    .venv/bin/python benchmarks/load.py -u 50 -t 20s --runs plain
    .venv/bin/python benchmarks/load.py --redis             # a throwaway redis-server as the cache

Two runs, each on a fresh copy of the demo site (benchmarks/serve.py, like pages.py):

- ``plain``: gunicorn (production settings, portal/gunicorn.conf.py) and the background
  worker, as `make serve` runs them; Locust headless with the people of
  benchmarks/locustfile.py (80 % visitors, 15 % members, 3 % writers, 2 % reviewers).
- ``restart``: the same, but halfway through the worker is stopped (SIGTERM, as a deploy
  does; ``--stop-signal KILL`` for a crash) and a new one started ``--restart-after``
  seconds later.

After each run the tasks queue is left to drain, then checked: every email the site
decided to send (a row of the outbox, core.mail) is ``sent`` and its Message-ID is in the
file backend's directory exactly once; no background task is left ready, running or
failed. The report: requests/s, p50/p95/p99 and errors per endpoint, throttled requests
(429) apart, the error rate against the goal (< 0.5 %), and the checks.

Accounts: the demo's reviewers and members are a handful; the run adds its own members,
writers, editorial and medical reviewers (same password as the demo's, established
members: joined a year ago), one per simulated person, so that one account's throttles
(posting, rating) do not decide the result. Throttles per client address still apply:
every simulated person comes from 127.0.0.1.

Each run runs in a child process of its own (``--child``), so that Django is set up once
per database.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import serve  # noqa: E402
from benchmarks.pages import duration_seconds, machine_description  # noqa: E402

GOAL_ERROR_RATE = 0.005
RUNS = ("plain", "restart")
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
# Locust's user weights (benchmarks/locustfile.py), for the number of accounts to make.
WEIGHTS = {"members": 15, "writers": 3, "reviewers": 2}
TOTAL_WEIGHT = 100


# --- pure parts (tested in tests/benchmarks/test_scripts.py) ------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Locust against Kindred's production server.")
    parser.add_argument("-u", "--users", type=int, default=100, help="people (default 100)")
    parser.add_argument(
        "-r", "--spawn-rate", type=float, default=20, help="people started a second (default 20)"
    )
    parser.add_argument("-t", "--time", default="60s", help="length of each run (default 60s)")
    parser.add_argument(
        "--runs", choices=[*RUNS, "both"], default="both", help="which runs (default both)"
    )
    parser.add_argument(
        "--restart-after",
        type=float,
        default=15.0,
        help="seconds between stopping and starting the worker (default 15)",
    )
    parser.add_argument(
        "--stop-signal",
        choices=["TERM", "KILL"],
        default="TERM",
        help="how the worker is stopped midway (default TERM: a deploy)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn workers (default 0: portal/gunicorn.conf.py's own, as make serve runs it)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "") or os.environ.get("CACHE_URL", ""),
        help="the servers' cache (default REDIS_URL; empty: the production file cache)",
    )
    parser.add_argument("--redis", action="store_true", help="start a throwaway redis-server")
    parser.add_argument("--seeded", type=Path, help="copy this prepared site (pages.py --prepare)")
    parser.add_argument("--workdir", type=Path, help="the runs' directory (default: a new one)")
    parser.add_argument("--keep", action="store_true", help="keep the runs' directory")
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=240,
        help="seconds to wait for the worker to empty the queue after a run (default 240)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--child", choices=RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--child-result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.seconds = duration_seconds(args.time)
    if args.users < 1 or args.spawn_rate <= 0 or args.seconds <= 0:
        parser.error("--users, --spawn-rate and --time must be positive")
    args.run_names = list(RUNS) if args.runs == "both" else [args.runs]
    return args


def accounts_needed(users: int) -> dict[str, int]:
    """Accounts per kind for ``users`` people: one per person of that kind, and a spare."""
    return {
        kind: max(2, math.ceil(users * weight / TOTAL_WEIGHT) + 1)
        for kind, weight in WEIGHTS.items()
    }


def read_locust_stats(path: Path) -> list[dict]:
    """The rows of Locust's ``<prefix>_stats.csv`` as dicts of numbers (the last: Aggregated)."""
    rows = []
    with path.open(newline="") as file:
        for row in csv.DictReader(file):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": _number(row["50%"]),
                    "p95": _number(row["95%"]),
                    "p99": _number(row["99%"]),
                }
            )
    return rows


def _number(text: str) -> float | None:
    return None if text in ("", "N/A") else float(text)


def summarise(rows: list[dict]) -> dict:
    """Per endpoint: requests, errors and the throttled/already-decided answers beside them."""
    endpoints: dict[str, dict] = {}
    aggregated = next((row for row in rows if row["name"] == "Aggregated"), None)
    for row in rows:
        if row["name"] == "Aggregated":
            continue
        match = re.fullmatch(r"(.*) \[(429 throttled|already decided)\]", row["name"])
        base = match.group(1) if match else row["name"]
        entry = endpoints.setdefault(
            base,
            {"name": base, "requests": 0, "errors": 0, "throttled": 0, "taken": 0, "row": None},
        )
        entry["requests"] += row["requests"]
        entry["errors"] += row["failures"]
        if match and match.group(2) == "429 throttled":
            entry["throttled"] += row["requests"]
        elif match:
            entry["taken"] += row["requests"]
        else:
            entry["row"] = row
    total = sum(entry["requests"] for entry in endpoints.values())
    errors = sum(entry["errors"] for entry in endpoints.values())
    return {
        "endpoints": sorted(endpoints.values(), key=lambda entry: -entry["requests"]),
        "requests": total,
        "errors": errors,
        "throttled": sum(entry["throttled"] for entry in endpoints.values()),
        "taken": sum(entry["taken"] for entry in endpoints.values()),
        "error_rate": errors / total if total else 0.0,
        "rps": aggregated["rps"] if aggregated else None,
        "p50": aggregated["p50"] if aggregated else None,
        "p95": aggregated["p95"] if aggregated else None,
        "p99": aggregated["p99"] if aggregated else None,
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def cache_share(answers: dict[str, int] | None) -> str:
    """ "hits/answers" of X-Kindred-Cache for one endpoint's GETs, or "—" if none had it."""
    if not answers:
        return "—"
    total = sum(answers.values())
    return f"{answers.get('hit', 0)}/{total}"


def format_run(
    name: str, summary: dict, checks: dict | None, cache: dict[str, dict] | None = None
) -> str:
    """One run as Markdown: the endpoints' table, the totals, the checks after the run."""
    cache = cache or {}
    lines = [
        f"**Run: {name}**",
        "",
        "| endpoint | requests | req/s | p50 | p95 | p99 | errors | throttled (429) | cache hits |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for entry in summary["endpoints"]:
        row = entry["row"] or {}
        extra = f" (+{entry['taken']} already decided)" if entry["taken"] else ""
        lines.append(
            f"| {entry['name']} | {entry['requests']} | "
            f"{row.get('rps', 0):.1f} | {_ms(row.get('p50'))} | {_ms(row.get('p95'))} | "
            f"{_ms(row.get('p99'))} | {entry['errors']}{extra} | {entry['throttled']} "
            f"| {cache_share(cache.get(entry['name']))} |"
        )
    rate = summary["error_rate"]
    verdict = "met" if rate < GOAL_ERROR_RATE else "missed"
    rps = summary["rps"] or 0.0
    lines += [
        f"| **all** | {summary['requests']} | {rps:.1f} | {_ms(summary['p50'])} | "
        f"{_ms(summary['p95'])} | {_ms(summary['p99'])} | {summary['errors']} | "
        f"{summary['throttled']} | |",
        "",
        f"Errors: {summary['errors']} of {summary['requests']} requests = {rate:.2%} "
        f"(goal < 0.5 %: {verdict}); throttled 429: {summary['throttled']}; "
        f"review decisions on items already decided: {summary['taken']}.",
    ]
    if checks:
        lines.append("")
        lines.append(format_checks(checks))
    return "\n".join(lines)


def format_checks(checks: dict) -> str:
    emails = checks["emails"]
    verdict = "nothing lost, nothing sent twice" if checks["ok"] else "FAILED"
    parts = [
        f"After the run ({verdict}): {emails['expected']} emails decided (outbox rows; "
        f"{emails.get('during_run', '?')} during the run, the rest the demo's), "
        f"{emails['sent_rows']} marked sent; {emails['delivered_once']} delivered exactly once, "
        f"{len(emails['missing'])} missing, {len(emails['duplicates'])} delivered twice or more, "
        f"{emails['outside_outbox']} written outside the outbox; background tasks "
        + ", ".join(
            f"{status.lower()} {count}" for status, count in sorted(checks["tasks"].items())
        )
        + f"; queue drained in {checks['drain_seconds']:.0f} s.",
    ]
    if checks.get("worker_restart"):
        parts.append(checks["worker_restart"])
    return " ".join(parts)


# --- inside a run's child process: Django on the run's database -----------------------------


def create_accounts(counts: dict[str, int]) -> dict[str, list[str]]:
    """The run's own members, writers and reviewers (see the module docstring)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from allauth.account.models import EmailAddress

    from accounts.models import ConsentEvent
    from accounts.services import consent_give
    from core import consent, roles
    from social.services import profile_get_or_create

    User = get_user_model()
    # The demo's password, hashed once by seed_demo: hashing it again per account would
    # cost a second of CPU each.
    password_hash = User.objects.get(username="member1").password
    joined = timezone.now() - timedelta(days=365)
    made: dict[str, list[str]] = {"members": [], "writers": [], "reviewers": []}
    groups = {
        "members": [roles.MEMBERS],
        "writers": [roles.MEMBERS],
        "reviewers": [roles.EDITORS, roles.MEDICAL_REVIEWERS],
    }
    for kind, count in counts.items():
        for number in range(count):
            # Reviewers alternate: editorial, medical, editorial, ...
            group = groups[kind][number % len(groups[kind])]
            username = f"load-{kind[:-1]}-{number}"
            user = User.objects.create(
                username=username,
                email=f"{username}@kindred.example",
                display_name=f"Load {kind[:-1]} {number}",
                password=password_hash,
                date_joined=joined,
            )
            user.groups.add(Group.objects.get(name=group))
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            if group == roles.MEMBERS:
                for text in consent.KINDS:
                    consent_give(user=user, kind=text, channel=ConsentEvent.Channel.SYSTEM)
            profile_get_or_create(user=user)
            made[kind].append(username)
    return made


def build_catalogue(accounts: dict[str, list[str]]) -> dict:
    """What the simulated people choose from: public items, listings, feeds, profiles."""
    from django.db.models import Count

    from taggit.models import Tag
    from wagtail.models import Page

    from core.models import ContentPage
    from social.models import Profile, ProfileVisibility

    items = [
        {"path": page.url, "id": page.pk}
        for page in ContentPage.objects.live().public().filter(audience="everyone").specific()
    ]
    sections = [
        page.url
        for page in Page.objects.live().public().filter(depth=3).specific()
        if type(page).__name__.endswith("IndexPage")
    ]
    tags = [
        f"/tags/{tag.slug}/"
        for tag in Tag.objects.annotate(uses=Count("taggit_taggeditem_items")).order_by("-uses")[:8]
    ]
    section_slugs = [path.strip("/").split("/")[-1] for path in sections if path.strip("/")]
    feeds = [f"/feeds/{slug}/rss/" for slug in section_slugs] + [
        f"/feeds/{slug}/atom/" for slug in section_slugs[:1]
    ]
    profiles = list(
        Profile.objects.filter(
            visibility__in=[ProfileVisibility.EVERYONE, ProfileVisibility.MEMBERS],
            user__username__in=["member1", "member2", "member3", "expert"],
        ).values_list("handle", flat=True)
    )
    return {
        "items": [item for item in items if _reachable(item["path"])],
        "listings": [path for path in ["/", *sections, *tags] if _reachable(path)],
        "feeds": [path for path in feeds if _reachable(path)],
        "profiles": profiles,
        "password": serve.DEMO_PASSWORD,
        **accounts,
    }


def _reachable(path: str) -> bool:
    """Whether a visitor gets ``path`` (200): the catalogue holds no page that would 404."""
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)  # no "Not Found" lines
    return Client(HTTP_HOST="127.0.0.1").get(path).status_code == 200


def warm(base_url: str, catalogue: dict) -> None:
    """Ask for every public page once, as a visitor: a site that has been running a while."""
    import requests

    for path in (
        [item["path"] for item in catalogue["items"]] + catalogue["listings"] + catalogue["feeds"]
    ):
        requests.get(base_url + path, timeout=60)


def _queue_state() -> tuple[dict[str, int], int]:
    from django.db.models import Count

    from django_tasks_db.models import DBTaskResult

    from core.models import OutboundEmail

    tasks = dict(
        DBTaskResult.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    unsent = OutboundEmail.objects.filter(
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING]
    ).count()
    return tasks, unsent


def outbox_size() -> int:
    from core.models import OutboundEmail

    return OutboundEmail.objects.count()


def wait_for_drain(timeout: float) -> tuple[dict[str, int], float]:
    """Wait until no background task is ready or running and no email is unsent."""
    started = time.monotonic()
    while True:
        tasks, unsent = _queue_state()
        if not tasks.get("READY") and not tasks.get("RUNNING") and not unsent:
            return tasks, time.monotonic() - started
        if time.monotonic() - started > timeout:
            return tasks, time.monotonic() - started
        time.sleep(1)


MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.M | re.I)


def delivered_message_ids(mail_dir: Path) -> list[str]:
    """Every Message-ID in the file backend's directory, once per message written."""
    found = []
    for path in sorted(mail_dir.glob("*")):
        found += MESSAGE_ID.findall(path.read_text(errors="replace"))
    return found


def check_emails(expected: dict[str, str], delivered: list[str]) -> dict:
    """Compare the outbox (Message-ID -> status) with what the backend wrote."""
    counts: dict[str, int] = {}
    for message_id in delivered:
        counts[message_id] = counts.get(message_id, 0) + 1
    missing = sorted(mid for mid in expected if counts.get(mid, 0) == 0)
    duplicates = sorted(mid for mid in expected if counts.get(mid, 0) > 1)
    return {
        "expected": len(expected),
        "sent_rows": sum(1 for status in expected.values() if status == "sent"),
        "delivered_once": sum(1 for mid in expected if counts.get(mid, 0) == 1),
        "missing": missing,
        "duplicates": duplicates,
        "outside_outbox": sum(1 for mid in counts if mid not in expected),
    }


def run_checks(site: serve.Site, *, drain_timeout: float) -> dict:
    from core.models import OutboundEmail

    tasks, drained = wait_for_drain(drain_timeout)
    expected = {
        row.message["headers"]["Message-ID"]: row.status
        for row in OutboundEmail.objects.all()
        if row.message.get("headers", {}).get("Message-ID")
    }
    emails = check_emails(expected, delivered_message_ids(site.mail_dir))
    ok = (
        not emails["missing"]
        and not emails["duplicates"]
        and emails["sent_rows"] == emails["expected"]
        and not tasks.get("READY")
        and not tasks.get("RUNNING")
        and not tasks.get("FAILED")
    )
    return {"emails": emails, "tasks": tasks, "drain_seconds": drained, "ok": ok}


def child(args: argparse.Namespace) -> int:
    """One run (``args.child``) on a fresh site; writes its figures to ``args.child_result``."""
    workdir = args.workdir / args.child
    started: list[serve.Process] = []
    result: dict = {"run": args.child}
    try:
        site = serve.Site(workdir, redis_url=args.redis_url)
        site.prepare(seeded=args.seeded)
        port = serve.free_port(18210, 18290)
        site.base_url = f"http://127.0.0.1:{port}"
        serve.configure_django(site)
        accounts = create_accounts(accounts_needed(args.users))
        catalogue_file = workdir / "catalogue.json"
        catalogue_file.write_text(json.dumps(build_catalogue(accounts), indent=1))
        from django.db import connections

        connections.close_all()

        server = serve.start_kindred(site, port=port, workers=args.workers)
        started.append(server)
        worker = serve.start_worker(site)
        started.append(worker)
        warm(server.url, json.loads(catalogue_file.read_text()))
        # The demo's own emails (seed_demo queues them, nobody sends them) go first, so the
        # run starts with an empty queue; they are checked with the rest afterwards.
        wait_for_drain(args.drain_timeout)
        result["before"] = outbox_size()
        result["load_average"] = serve.load_average()
        result["started"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        prefix = workdir / "locust"
        locust = subprocess.Popen(  # noqa: S603 - our own argv
            [
                str(serve.BIN / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.time,
                "--host",
                server.url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            cwd=serve.ROOT,
            env={
                **os.environ,
                "KINDRED_LOAD_CATALOGUE": str(catalogue_file),
                "KINDRED_LOAD_CACHE_REPORT": str(workdir / "cache-answers.json"),
            },
            stdout=(workdir / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if args.child == "restart":
            time.sleep(args.seconds / 2)
            at_stop, unsent_at_stop = _queue_state()
            stopped_at = time.monotonic()
            worker.stop(signum=getattr(signal, f"SIG{args.stop_signal}"))
            time.sleep(args.restart_after)
            at_restart, unsent_at_restart = _queue_state()
            worker = serve.start_worker(site)
            started.append(worker)
            result["worker_restart"] = (
                f"The worker was stopped (SIG{args.stop_signal}) {args.seconds / 2:.0f} s into "
                f"the run, with {at_stop.get('RUNNING', 0)} task(s) running, "
                f"{at_stop.get('READY', 0)} queued and {unsent_at_stop} email(s) unsent; a new "
                f"one started {time.monotonic() - stopped_at:.0f} s later and found "
                f"{at_restart.get('READY', 0)} task(s) queued, "
                f"{at_restart.get('RUNNING', 0)} left running and {unsent_at_restart} email(s) "
                "unsent."
            )
        try:
            locust.wait(timeout=args.seconds + 120)
        except subprocess.TimeoutExpired:
            os.killpg(locust.pid, signal.SIGKILL)
            locust.wait()
        result["locust_exit"] = locust.returncode
        result["stats"] = read_locust_stats(Path(f"{prefix}_stats.csv"))
        answers = workdir / "cache-answers.json"
        result["cache"] = json.loads(answers.read_text()) if answers.exists() else {}
        server.stop()
        checks = run_checks(site, drain_timeout=args.drain_timeout)
        checks["emails"]["during_run"] = outbox_size() - result["before"]
        if "worker_restart" in result:
            checks["worker_restart"] = result["worker_restart"]
        result["checks"] = checks
    finally:
        for process in reversed(started):
            process.stop()
        args.child_result.write_text(json.dumps(result, indent=1, default=str))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args)
    if not (serve.BIN / "locust").exists():
        print(
            "Locust is not installed: pip install -e '.[bench]' (or make bench).", file=sys.stderr
        )
        return 2
    workdir = args.workdir or serve.new_directory("kindred-load-")
    workdir.mkdir(parents=True, exist_ok=True)
    redis = None
    results = []
    try:
        redis_url = args.redis_url
        if args.redis:
            redis, redis_url = serve.start_redis(workdir, port=serve.free_port(18290, 18300))
        seeded = args.seeded
        if seeded is None:
            seeded = workdir / "seeded"
            print(f"Preparing the demo site in {seeded} …", file=sys.stderr)
            serve.Site(seeded).prepare()
        for name in args.run_names:
            print(f"Run {name}: {args.users} people for {args.time} …", file=sys.stderr)
            result_file = workdir / f"{name}.json"
            argv_child = [
                str(serve.BIN / "python"),
                str(Path(__file__).resolve()),
                "--child",
                name,
                "--child-result",
                str(result_file),
                "--workdir",
                str(workdir),
                "--seeded",
                str(seeded),
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.time,
                "--workers",
                str(args.workers),
                "--restart-after",
                str(args.restart_after),
                "--stop-signal",
                args.stop_signal,
                "--drain-timeout",
                str(args.drain_timeout),
                "--redis-url",
                redis_url,
            ]
            subprocess.run(argv_child, cwd=serve.ROOT, check=False)  # noqa: S603
            results.append(json.loads(result_file.read_text()))
    finally:
        if redis is not None:
            redis.stop()
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    sections = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {serve.git_commit()}; "
        f"{machine_description()}",
        f"Cache: {'Redis' if args.redis_url or args.redis else 'file cache (production default)'}; "
        f"gunicorn {args.workers or 'the configuration default of'} sync workers; "
        f"{args.users} people "
        f"(spawn rate {args.spawn_rate:g}/s), {args.time} per run.",
    ]
    failed = False
    for result in results:
        if "stats" not in result:
            sections.append(f"**Run: {result['run']}** did not finish (see its log).")
            failed = True
            continue
        summary = summarise(result["stats"])
        result["summary"] = summary
        sections.append(
            f"Load average (1 min) at the start: {result.get('load_average', 0):.2f}.\n\n"
            + format_run(result["run"], summary, result.get("checks"), result.get("cache"))
        )
        failed |= summary["error_rate"] >= GOAL_ERROR_RATE or not result.get("checks", {}).get(
            "ok", False
        )
    text = "\n\n".join(sections)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
