"""Pages at the demo's size and at 100,000 items: query counts and in-process times side by side.

    .venv/bin/python benchmarks/scale.py                       # seeds (or reuses) both databases
    .venv/bin/python benchmarks/scale.py --items 100000 --rounds 30 \\
        --demo-db /tmp/kindred-scale-demo.sqlite3 --big-db /tmp/kindred-scale-100k.sqlite3
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/scale.py --big-url postgres://…

Each database is measured in its own process (Django reads DATABASE_URL once),
with the Django test client, DEBUG off and the page cache off
(KINDRED_PAGE_CACHE_SECONDS=0), so every request renders. For each page:
queries, median and p95 milliseconds; then the ratio big/demo. The goal
(issue 17): times within 1.5x, query counts equal.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pages(client):
    """(label, path, signed in) for every page the issue lists, found in this database."""
    from core import roles
    from core.models import ContentPage
    from core.selectors import NUMBERED_PAGES
    from portal.setup import portal_setup

    _home, sections = portal_setup()
    pages = [("home", "/", False)]
    deepest = NUMBERED_PAGES
    for key in (roles.BLOGS, roles.EXPERT_ARTICLES, roles.EXPERIENCES):
        section = sections[key]
        pages += [
            (f"{section.slug} index", section.url, False),
            (f"{section.slug} page 2", f"{section.url}?page=2", False),
            # The deepest page by number (any larger number gives it too).
            (f"{section.slug} page {deepest}", f"{section.url}?page={deepest}", False),
            (f"{section.slug} last page by position", _last_by_position(section), False),
        ]
    # The same demo item (it exists at both sizes): the first demo blog post.
    item = (
        ContentPage.objects.live()
        .child_of(sections[roles.BLOGS])
        .exclude(slug__startswith="synthetic-")
        .order_by("path")
        .first()
    )
    pages += [
        ("item", item.url, False),
        ("tag page", "/tags/fatigue/", False),
        ("tag page, last by position", _last_by_position(tag_slug="fatigue"), False),
        # A tag on a handful of items at both sizes: its page must not walk the newest items.
        ("tag page, rare tag", "/tags/pain/", False),
        ("blogs top rated", f"{sections[roles.BLOGS].url}?sort=top", False),
        ("community directory", "/communities/", False),
        ("RSS feed", f"/feeds/{sections[roles.BLOGS].slug}/rss/", False),
        # "fatigue" finds 9 items at the demo's size (German ones too; no pager) and a
        # full page at 100,000; "symptoms" fills the page at both sizes.
        ("search", "/search/?q=fatigue", False),
        ("search, a full page at both sizes", "/search/?q=symptoms", False),
        # A visitor's phase 1 is kept until anything public changes (search.hits
        # .visitor_matching_ids): the rows above are a search asked again; these
        # rank afresh each time (nothing kept), as the first search after a publish.
        ("search, ranked afresh", "/search/?q=fatigue", False, NOT_KEPT),
        ("search, a full page, ranked afresh", "/search/?q=symptoms", False, NOT_KEPT),
        ("item, member", item.url, True),
        ("feed, member", "/feed/", True),
        ("notifications, member", "/notifications/", True),
    ]
    return pages


# A search measured with nothing of its phase 1 kept: search.hits keeps a
# visitor's ids for this many seconds, and a cache keeps nothing for 0.
NOT_KEPT = "not kept"


@contextlib.contextmanager
def _keeping(how):
    from search import hits

    kept_for = hits.VISITOR_HITS_TIMEOUT
    if NOT_KEPT in how:
        hits.VISITOR_HITS_TIMEOUT = 0
    try:
        yield
    finally:
        hits.VISITOR_HITS_TIMEOUT = kept_for


def _last_by_position(section=None, tag_slug=None):
    """The address of a section's (or a tag's) last page as its links reach it: the items
    after the last item of the page before (``core.keyset``), not ``?page=N``."""
    from urllib.parse import quote

    from django.contrib.auth.models import AnonymousUser

    from core.selectors import LISTING_PAGE_SIZE, content_listing

    if section is None:
        listing = content_listing(user=AnonymousUser(), tag_slug=tag_slug)
        url = f"/tags/{tag_slug}/"
    else:
        listing = content_listing(
            user=AnonymousUser(), model=section.listing_model, section=section
        )
        url = section.url
    last = max(1, -(-listing.count() // LISTING_PAGE_SIZE))
    # A listing of one page: the items after its first (a page by position all the same).
    boundary = listing[max(0, (last - 1) * LISTING_PAGE_SIZE - 1)]
    return f"{url}?after={quote(listing._kindred_listing.keyset.key_of(boundary))}"


def measure(rounds):
    """Measure this process's database; prints one JSON line."""
    os.environ["KINDRED_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core.models import ContentPage

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    visitor, member = Client(), Client()
    member.force_login(get_user_model().objects.get(username="member1"))
    results = {}
    for label, path, signed_in, *how in _pages(visitor):
        client = member if signed_in else visitor
        with _keeping(how):
            results[label] = _measure_page(client, path, rounds)
    print(json.dumps({"items": ContentPage.objects.count(), "pages": results}))


def _measure_page(client, path, rounds):
    """Status, queries (on a cold cache), median, p95 and CPU milliseconds of ``path``."""
    from django.core.cache import caches
    from django.db import connection

    client.get(path)  # warm: templates, connections, per-process caches
    for cache in caches.all():
        cache.clear()
    # Counted by an execute wrapper: the query log that CaptureQueriesContext
    # reads is emptied by every request_started outside tests.
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a, log=queries: log.append(sql) or execute(sql, *a)
    ):
        status = client.get(path).status_code
    timings, cpu = [], []
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(path)
        timings.append(time.perf_counter() - started)
        # This process's CPU (the test client and SQLite run in it): less moved
        # by other processes on a loaded machine than the wall time.
        cpu.append(time.process_time() - cpu_started)
    timings.sort()
    return {
        "path": path,
        "status": status,
        "queries": len(queries),
        "median": statistics.median(timings) * 1000,
        "cpu": statistics.median(cpu) * 1000,
        "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))] * 1000,
    }


def seed(url, items):
    """Migrate and seed ``url`` with the demo and ``items`` synthetic items, unless done."""
    env = {**os.environ, "DATABASE_URL": url}
    python = sys.executable
    check = subprocess.run(  # noqa: S603 - our own argv
        [python, str(ROOT / "manage.py"), "shell", "-c",
         "from core.models import ContentPage; print(ContentPage.objects.count())"],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    existing = int(check.stdout.strip().splitlines()[-1]) if check.returncode == 0 else 0
    if existing and existing >= items:
        return None
    migrate = [python, "manage.py", "migrate", "-v0"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own argv
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own argv
        [python, "manage.py", "seed_demo", "--items", str(items)], env=env, cwd=ROOT, check=True
    )
    return time.perf_counter() - started


def run(url, rounds):
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run(  # noqa: S603 - our own argv
        [sys.executable, __file__, "--measure", "--rounds", str(rounds)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    scratch = Path(os.environ.get("TMPDIR", "/tmp"))  # noqa: S108 - benchmark scratch files
    parser.add_argument("--demo-db", default=str(scratch / "kindred-scale-demo.sqlite3"))
    parser.add_argument("--big-db", default=str(scratch / "kindred-scale-100k.sqlite3"))
    parser.add_argument("--demo-url", help="instead of --demo-db (e.g. PostgreSQL)")
    parser.add_argument("--big-url", help="instead of --big-db (e.g. PostgreSQL)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.rounds)
        return
    demo_url = args.demo_url or f"sqlite:///{args.demo_db}"
    big_url = args.big_url or f"sqlite:///{args.big_db}"
    load = os.getloadavg()[0]
    for url, items in ((demo_url, 0), (big_url, args.items)):
        seconds = seed(url, items)
        if seconds is not None and items:
            print(f"seeded {items} items in {seconds:.0f} s ({items / seconds:.0f} items/s)")
    demo, big = run(demo_url, args.rounds), run(big_url, args.rounds)
    commit = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, as make does
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    print(
        f"\n{platform.node()} · {os.cpu_count()} cores"
        f" · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" · commit {commit} · load average at start {load:.2f}"
        f" · items {demo['items']} vs {big['items']}\n"
    )
    print(
        "| page | queries demo | queries big | median demo | median big | p95 demo | p95 big "
        "| median ratio | CPU demo | CPU big | CPU ratio |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    for label, small in demo["pages"].items():
        large = big["pages"][label]
        flag = "" if large["queries"] == small["queries"] else " ⚠"
        print(
            f"| {label} | {small['queries']} | {large['queries']}{flag} | {small['median']:.1f} ms "
            f"| {large['median']:.1f} ms | {small['p95']:.1f} ms | {large['p95']:.1f} ms "
            f"| {large['median'] / small['median']:.2f}x | {small['cpu']:.1f} ms "
            f"| {large['cpu']:.1f} ms | {large['cpu'] / max(small['cpu'], 0.001):.2f}x |"
        )


if __name__ == "__main__":
    main()
