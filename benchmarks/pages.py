"""Page benchmark: Kindred's pages behind gunicorn, side by side with a bare Django view.

    .venv/bin/python benchmarks/pages.py                  # the issue's table, ~10 minutes
    .venv/bin/python benchmarks/pages.py -d 3s --rounds 1 # a quick try
    .venv/bin/python benchmarks/pages.py --redis           # a throwaway redis-server as the cache
    REDIS_URL=redis://127.0.0.1:6390/0 .venv/bin/python benchmarks/pages.py

What it does (benchmarks/README.md, "Pages", keeps the figures):

1. A throwaway site (benchmarks/serve.py): a new SQLite database, migrated, set up and
   seeded with the demo (``--seeded DIR`` copies one made before with ``--keep``).
2. In-process, with Django's test client in this process (no HTTP): for every page, the
   queries and the median time of a render (the public page cache switched off with
   ``KINDRED_PAGE_CACHE_SECONDS=0``) and, for visitors, of a cached answer.
3. Kindred behind gunicorn (production settings, portal/gunicorn.conf.py, ``--workers``
   sync workers) and the bare project (benchmarks/bare/: "ok" and a tiny template) behind
   the same file and worker count. A member signs in once through the sign-in form; wrk
   sends that session cookie.
4. Every page is requested once to warm it, then ``--cache-samples`` times to read
   ``X-Kindred-Cache`` (hit / miss: the public page cache's header).
5. ``wrk -t2 -c8 -d15s --latency`` on each page, in ``--rounds`` rounds; in each round the
   bare "ok" runs first and again after every ``--bare-every`` Kindred pages, and the tiny
   template once, so Kindred and the bare view alternate over the whole run. The 1-minute
   load average is read before each run, and the CPU time the server's processes used.
6. A Markdown table: requests/s (range over the rounds), p50/p99, cache hits, queries and
   in-process times, and the ratios to the bare "ok" and to bakerydemo's blog post (the
   issue's reference, 40–47 req/s: bakerydemo is not part of the repository).

Every server started is stopped at the end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import serve  # noqa: E402

# The reference figures (same machine, same server): bakerydemo's blog post.
BAKERYDEMO_BLOG_POST = (40.0, 47.0)
GOAL_TIMES_BAKERYDEMO = 10
GOAL_SHARE_OF_BARE = 0.70
CACHE_HEADER = "X-Kindred-Cache"


@dataclass(frozen=True)
class Page:
    """A page of the issue's table: ``key`` names it on the command line (``--only``)."""

    key: str
    label: str
    member: bool = False


PAGES = [
    Page("item", "item page (blog post), visitor"),
    Page("story", "experience story, visitor"),
    Page("home", "home"),
    Page("section", "section index"),
    Page("search", "search"),
    Page("rss", "RSS feed"),
    Page("404", "404"),
    Page("tag", "tag page"),
    Page("communities", "community directory"),
    Page("member-item", "item page, signed-in member", member=True),
    Page("member-feed", "personal feed, member", member=True),
]
BARE = {
    "bare-ok": ("/ok/", 'bare Django "ok"'),
    "bare-template": ("/template/", "bare Django template"),
}


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int = 0
    socket_errors: int = 0


@dataclass
class Run:
    """One wrk run: which target, in which round, and what the machine was doing."""

    target: str
    round: int
    load_average: float
    result: WrkResult
    cpu_ms_per_request: float | None = None
    # The Redis server's own CPU per request (--redis only: the run's own server, which
    # shares the machine's cores with gunicorn and wrk).
    redis_cpu_ms_per_request: float | None = None


@dataclass
class InProcess:
    queries: int
    median_ms: float
    cached_queries: int | None = None
    cached_median_ms: float | None = None
    status: int = 200


@dataclass
class Report:
    started: str
    commit: str
    machine: str
    cache: str
    wrk: str
    workers: int
    paths: dict[str, str]
    in_process: dict[str, InProcess] = field(default_factory=dict)
    cache_hits: dict[str, tuple[int, int]] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)


# --- pure parts (tested in tests/benchmarks/test_scripts.py) ------------------------------


def duration_seconds(text: str) -> float:
    """wrk's duration syntax ("15s", "2m", "500ms") in seconds."""
    match = re.fullmatch(r"\s*([\d.]+)\s*(ms|s|m|h)?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 15s, 1m)")
    value, unit = float(match.group(1)), match.group(2) or "s"
    return value * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Kindred's pages behind gunicorn, side by side with a bare Django view."
    )
    parser.add_argument("-d", "--duration", default="15s", help="wrk -d per run (default 15s)")
    parser.add_argument("-t", "--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("-c", "--connections", type=int, default=8, help="wrk -c (default 8)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over every page (default 2)")
    parser.add_argument(
        "--bare-every",
        type=int,
        default=4,
        help='run the bare "ok" again after this many Kindred pages (default 4)',
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers, both servers (default 2)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated page keys: " + ",".join(p.key for p in PAGES)
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "") or os.environ.get("CACHE_URL", ""),
        help="the servers' cache (default REDIS_URL; empty: the production file cache)",
    )
    parser.add_argument(
        "--redis", action="store_true", help="start a throwaway redis-server for the run"
    )
    parser.add_argument(
        "--seeded", type=Path, help="copy this prepared site (made by a run with --keep)"
    )
    parser.add_argument(
        "--prepare",
        type=Path,
        metavar="DIR",
        help="only prepare a seeded site in DIR (for --seeded) and stop",
    )
    parser.add_argument("--workdir", type=Path, help="the run's directory (default: a new one)")
    parser.add_argument("--keep", action="store_true", help="keep the run's directory")
    parser.add_argument(
        "--in-process-runs", type=int, default=20, help="renders per page in-process (default 20)"
    )
    parser.add_argument(
        "--cache-samples", type=int, default=5, help="requests reading X-Kindred-Cache (default 5)"
    )
    parser.add_argument("--member", default="member1", help="the demo member who signs in")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    args.duration_seconds = duration_seconds(args.duration)
    known = {page.key for page in PAGES}
    args.pages = [page for page in PAGES if not args.only or page.key in args.only.split(",")]
    unknown = set(filter(None, args.only.split(","))) - known
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}")
    if args.rounds < 1 or args.workers < 1 or args.bare_every < 1:
        parser.error("--rounds, --workers and --bare-every must be at least 1")
    return args


_TIME = re.compile(r"([\d.]+)(us|ms|s|m|h)")
_TIME_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a wrk time: {text!r}")
    return float(match.group(1)) * _TIME_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """The figures of one ``wrk --latency`` run from its output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"unreadable wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def schedule(pages: list[Page], *, rounds: int, bare_every: int) -> list[tuple[int, str]]:
    """The order of the runs: (round, target) with the bare "ok" between Kindred's pages."""
    order = []
    for number in range(1, rounds + 1):
        order.append((number, "bare-ok"))
        for index, page in enumerate(pages, start=1):
            order.append((number, page.key))
            if index % bare_every == 0 and index != len(pages):
                order.append((number, "bare-ok"))
        order.append((number, "bare-template"))
        order.append((number, "bare-ok"))
    return order


def _span(values: list[float], fmt: str = "{:.0f}") -> str:
    if not values:
        return "—"
    low, high = min(values), max(values)
    return (
        fmt.format(low)
        if fmt.format(low) == fmt.format(high)
        else f"{fmt.format(low)}–{fmt.format(high)}"
    )


def _runs_of(report: Report, target: str) -> list[Run]:
    return [run for run in report.runs if run.target == target]


def format_table(report: Report, pages: list[Page] | None = None) -> str:
    """The Markdown table of benchmarks/README.md, "Pages", from a report.

    req/s, p50 and p99 are ranges over the rounds; the ratios use the mean of the rounds
    and the mean of every bare "ok" run. bakerydemo's figure is for a visitor's blog post,
    so member pages get no ratio to it (the issue's table gives none either).
    """
    pages = pages if pages is not None else [p for p in PAGES if _runs_of(report, p.key)]
    bare_ok = [run.result.requests_per_second for run in _runs_of(report, "bare-ok")]
    bare_mean = statistics.fmean(bare_ok) if bare_ok else None
    low, high = BAKERYDEMO_BLOG_POST
    lines = [
        "| page | req/s | p50 | p99 | CPU per request | cache hits | queries (render)"
        ' | in-process median: render / cached | / bakerydemo blog post (40–47) | / bare "ok" |',
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def row(label, runs, *, hits="—", queries="—", times="—", bakery="—", bare="—"):
        cpu = [run.cpu_ms_per_request for run in runs if run.cpu_ms_per_request is not None]
        return (
            f"| {label} | {_span([run.result.requests_per_second for run in runs])} "
            f"| {_span([run.result.p50_ms for run in runs], '{:.1f} ms')} "
            f"| {_span([run.result.p99_ms for run in runs], '{:.1f} ms')} "
            f"| {_span(cpu, '{:.2f} ms')} | {hits} | {queries} | {times} | {bakery} | {bare} |"
        )

    for page in pages:
        runs = _runs_of(report, page.key)
        rps = [run.result.requests_per_second for run in runs]
        mean = statistics.fmean(rps) if rps else None
        hits = report.cache_hits.get(page.key)
        measured = report.in_process.get(page.key)
        queries = times = "—"
        if measured is not None:
            queries = str(measured.queries)
            times = f"{measured.median_ms:.1f} ms"
            if measured.cached_median_ms is not None:
                times += f" / {measured.cached_median_ms:.2f} ms ({measured.cached_queries} q)"
        lines.append(
            row(
                page.label,
                runs,
                hits=f"{hits[0]}/{hits[1]}" if hits else "—",
                queries=queries,
                times=times,
                bakery=f"{mean / high:.1f}–{mean / low:.1f}×" if mean and not page.member else "—",
                bare=f"{mean / bare_mean:.0%}" if mean and bare_mean else "—",
            )
        )
    for key, (_path, label) in BARE.items():
        runs = _runs_of(report, key)
        if runs:
            lines.append(row(label, runs, bare="100 %" if key == "bare-ok" else "—"))
    return "\n".join(lines)


def format_runs(report: Report) -> str:
    """Every run in order, with the load average before it: the evidence behind the table."""
    lines = [
        "| # | round | target | load avg (1 min) before | req/s | p50 | p99 | non-2xx/3xx "
        "| CPU per request | Redis CPU per request |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for number, run in enumerate(report.runs, start=1):
        cpu = f"{run.cpu_ms_per_request:.2f} ms" if run.cpu_ms_per_request is not None else "—"
        redis_cpu = run.redis_cpu_ms_per_request
        redis_cpu = f"{redis_cpu:.3f} ms" if redis_cpu is not None else "—"
        lines.append(
            f"| {number} | {run.round} | {run.target} | {run.load_average:.2f} "
            f"| {run.result.requests_per_second:.0f} | {run.result.p50_ms:.1f} ms "
            f"| {run.result.p99_ms:.1f} ms | {run.result.non_2xx_3xx} | {cpu} | {redis_cpu} |"
        )
    return "\n".join(lines)


def format_goals(report: Report) -> str:
    """The issue's two goals for public pages, page by page, in words."""
    bare_ok = [run.result.requests_per_second for run in _runs_of(report, "bare-ok")]
    if not bare_ok:
        return ""
    bare_mean = statistics.fmean(bare_ok)
    target = GOAL_TIMES_BAKERYDEMO * statistics.fmean(BAKERYDEMO_BLOG_POST)
    lines = []
    for page in PAGES:
        runs = _runs_of(report, page.key)
        if not runs or page.member or page.key in {"search", "404"}:
            continue  # the goals are for public pages that are the same for every visitor
        mean = statistics.fmean(run.result.requests_per_second for run in runs)
        times = "met" if mean >= target else "missed"
        share = "met" if mean >= GOAL_SHARE_OF_BARE * bare_mean else "missed"
        lines.append(
            f"- {page.label}: {mean:.0f} req/s; 10× bakerydemo (~{target:.0f}) {times}; "
            f'{mean / bare_mean:.0%} of bare "ok" ({bare_mean:.0f}) — 70 % {share}'
        )
    return "\n".join(lines)


# --- in-process (Django in this process, on the site's database) ---------------------------


def discover_paths() -> dict[str, str]:
    """The demo's pages of the table: the first public blog post and story, a section, a tag."""
    from django.db.models import Count

    from taggit.models import Tag

    from blogs.models import BlogPage
    from experience_stories.models import ExperienceStoryPage

    def first_public(model):
        page = model.objects.live().public().filter(audience="everyone").order_by("path").first()
        if page is None:
            raise RuntimeError(f"The demo has no public {model.__name__}.")
        return page

    post = first_public(BlogPage)
    story = first_public(ExperienceStoryPage)
    section = post.get_parent()
    tag = (
        Tag.objects.annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "slug")
        .first()
    )
    tag_slug = tag.slug if tag is not None else "fatigue"
    return {
        "item": post.url,
        "story": story.url,
        "home": "/",
        "section": section.url,
        "search": "/search/?q=fatigue",
        "rss": f"/feeds/{section.slug}/rss/",
        "404": "/benchmark-no-such-page/",
        "tag": f"/tags/{tag_slug}/",
        "communities": "/communities/",
        "member-item": post.url,
        "member-feed": "/feed/",
    }


def measure_in_process(
    paths: dict[str, str], pages: list[Page], *, member: str, runs: int
) -> dict[str, InProcess]:
    """Queries and median time per page with the test client, rendered and (visitors) cached."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    user = get_user_model().objects.get(username=member)

    def timed(client, path):
        times, queries, status = [], 0, 0
        client.get(path)  # warm: templates compiled, caches filled
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            queries, status = len(captured), response.status_code
        return queries, statistics.median(times), status

    results = {}
    for page in pages:
        path = paths[page.key]
        with override_settings(KINDRED_PAGE_CACHE_SECONDS=0):
            client = Client(HTTP_HOST="127.0.0.1")
            if page.member:
                client.force_login(user)
            queries, median, status = timed(client, path)
        measured = InProcess(queries=queries, median_ms=median, status=status)
        if not page.member:
            cached_queries, cached_median, _ = timed(Client(HTTP_HOST="127.0.0.1"), path)
            measured.cached_queries, measured.cached_median_ms = cached_queries, cached_median
        results[page.key] = measured
    return results


# --- over HTTP ------------------------------------------------------------------------------


def _proc_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) ``pid`` and every process below it used so far, read
    from /proc (Linux), for when psutil is not installed."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    # The command name, in parentheses, may hold spaces: fields after it.
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    except (OSError, ValueError, IndexError):
        return None
    if pid not in stats:
        return None
    wanted, total, queue = {pid}, 0, [pid]
    while queue:
        parent = queue.pop()
        total += stats[parent][1]
        children = [child for child, (ppid, _) in stats.items() if ppid == parent]
        queue.extend(child for child in children if child not in wanted)
        wanted.update(children)
    return total / tick


def server_cpu_seconds(server: serve.Server) -> float | None:
    """CPU seconds used so far by the server's master and workers (from /proc without psutil)."""
    try:
        import psutil
    except ImportError:
        return _proc_cpu_seconds(server.popen.pid)
    try:
        master = psutil.Process(server.popen.pid)
        processes = [master, *master.children(recursive=True)]
        total = 0.0
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
        return total
    except psutil.NoSuchProcess:
        return None


def run_wrk(url: str, args: argparse.Namespace, *, headers: list[str] = ()) -> WrkResult:
    argv = [
        shutil.which("wrk") or "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}",
        "--latency",
    ]
    for header in headers:
        argv += ["-H", header]
    done = subprocess.run(  # noqa: S603 - our own argv
        [*argv, url], capture_output=True, text=True, check=True, timeout=args.duration_seconds + 60
    )
    return parse_wrk(done.stdout)


def cache_hits(url: str, *, headers: dict[str, str], samples: int) -> tuple[int, int]:
    """After one request to warm it, how many of ``samples`` answered ``X-Kindred-Cache: hit``."""
    import requests

    requests.get(url, headers=headers, timeout=30, allow_redirects=False)  # warm it once
    hits = 0
    for _ in range(samples):
        answer = requests.get(url, headers=headers, timeout=30, allow_redirects=False)
        hits += answer.headers.get(CACHE_HEADER, "").lower() == "hit"
    return hits, samples


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.platform()}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk).", file=sys.stderr)
        return 2
    if args.prepare:
        serve.Site(args.prepare).prepare()
        print(f"Prepared {args.prepare}: use it with --seeded {args.prepare}", file=sys.stderr)
        return 0
    workdir = args.workdir or serve.new_directory("kindred-pages-")
    started_processes: list[serve.Process] = []
    try:
        redis_url = args.redis_url
        redis = None
        if args.redis:
            redis, redis_url = serve.start_redis(workdir, port=serve.free_port(18290, 18300))
            started_processes.append(redis)
        site = serve.Site(workdir, redis_url=redis_url)
        print(f"Preparing the site in {workdir} …", file=sys.stderr)
        site.prepare(seeded=args.seeded)
        kindred_port = serve.free_port()
        site.base_url = f"http://127.0.0.1:{kindred_port}"
        serve.configure_django(site)
        paths = discover_paths()
        report = Report(
            started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            commit=serve.git_commit(),
            machine=machine_description(),
            cache=f"Redis ({redis_url})" if redis_url else "file cache (production default)",
            wrk=f"wrk -t{args.threads} -c{args.connections} -d{args.duration} --latency",
            workers=args.workers,
            paths=paths,
        )
        print("In-process measurements …", file=sys.stderr)
        report.in_process = measure_in_process(
            paths, args.pages, member=args.member, runs=args.in_process_runs
        )
        from django.db import connections

        connections.close_all()

        kindred = serve.start_kindred(site, port=kindred_port, workers=args.workers)
        started_processes.append(kindred)
        bare = serve.start_bare(
            workdir, port=serve.free_port(taken={kindred_port}), workers=args.workers
        )
        started_processes.append(bare)
        member_cookie = serve.cookie_header(serve.sign_in(kindred.url, args.member))

        def target_url(key):
            if key in BARE:
                return bare.url + BARE[key][0]
            return kindred.url + paths[key]

        def target_headers(key):
            member = next((p.member for p in PAGES if p.key == key), False)
            return {"Cookie": member_cookie} if member else {}

        for page in args.pages:
            report.cache_hits[page.key] = cache_hits(
                target_url(page.key), headers=target_headers(page.key), samples=args.cache_samples
            )
        for number, key in schedule(args.pages, rounds=args.rounds, bare_every=args.bare_every):
            server = bare if key in BARE else kindred
            load = serve.load_average()
            cpu_before = server_cpu_seconds(server)
            redis_before = _proc_cpu_seconds(redis.popen.pid) if redis else None
            headers = [f"{name}: {value}" for name, value in target_headers(key).items()]
            result = run_wrk(target_url(key), args, headers=headers)
            cpu_after = server_cpu_seconds(server)
            cpu = (
                (cpu_after - cpu_before) * 1000 / result.requests
                if cpu_before is not None and cpu_after is not None and result.requests
                else None
            )
            redis_after = _proc_cpu_seconds(redis.popen.pid) if redis else None
            redis_cpu = (
                (redis_after - redis_before) * 1000 / result.requests
                if redis_before is not None and redis_after is not None and result.requests
                else None
            )
            report.runs.append(Run(key, number, load, result, cpu, redis_cpu))
            print(
                f"  round {number} {key:<14} load {load:.2f}  "
                f"{result.requests_per_second:8.1f} req/s"
                f"  p99 {result.p99_ms:.1f} ms",
                file=sys.stderr,
            )
    finally:
        for process in reversed(started_processes):
            process.stop()
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    text = "\n\n".join(
        [
            f"{report.started}, commit {report.commit}; {report.machine}",
            f"Cache: {report.cache}; gunicorn {report.workers} sync workers "
            "(portal/gunicorn.conf.py); "
            f"{report.wrk}; {args.rounds} round(s).",
            format_table(report, args.pages),
            format_goals(report),
            "Runs in order:",
            format_runs(report),
            "Pages: " + ", ".join(f"{key} {path}" for key, path in report.paths.items()),
        ]
    )
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n")
    if args.keep:
        print(f"Kept {workdir} (use it with --seeded).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
