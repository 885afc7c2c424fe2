"""Member pages benchmark (issue 17): in-process time and queries of a signed-in member's pages.

    .venv/bin/python benchmarks/member_pages.py                 # a fresh demo database
    .venv/bin/python benchmarks/member_pages.py --rounds 100 --member member1
    .venv/bin/python benchmarks/member_pages.py --database db.sqlite3   # a copy of yours

Through Django's test client (middleware, context processors, templates; no HTTP
server): a member's item page (the live item with the most comments, of each
type), their feed and their notifications. Each page is requested 5 times to warm
the process and the cache, then ``--rounds`` times; the median and p95 wall time,
the median CPU time of this process (``time.process_time``: what a busy machine's
other work adds to wall time is not in it) and the queries of one request are
printed, then the 1-minute load average. The database is a throwaway one made by
``setup_portal`` and ``seed_demo`` (the demo's size), or a copy of ``--database``,
so the sessions the run writes never reach yours. Not a timed test.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--member", default="", help="username of the reader (default: a member)")
    parser.add_argument("--database", default="", help="an SQLite file to copy (default: seed)")
    parser.add_argument("--save", default="", help="keep the seeded database at this path")
    parser.add_argument(
        "--profile",
        default="",
        help="instead of timing: cProfile --rounds requests of the page whose label contains "
        "this (e.g. 'blog post') and print the functions by cumulative, then own, time",
    )
    args = parser.parse_args()

    copy = Path(tempfile.mkdtemp()) / "member_pages.sqlite3"
    if args.database:
        shutil.copy(args.database, copy)
    os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("CACHE_DIR", str(copy.parent / "cache"))

    import django

    django.setup()
    from django.db import connection

    if not args.database:
        from django.core.management import call_command

        started = time.perf_counter()
        for command in ("migrate", "setup_portal", "seed_demo"):
            call_command(command, verbosity=0)
        print(f"demo database made in {time.perf_counter() - started:.0f} s")
        if args.save:
            connection.close()
            shutil.copy(copy, args.save)
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Cast
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import ContentPage
    from discussion.models import PageComment

    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    reader = (
        users.filter(username=args.member).first()
        if args.member
        else users.filter(groups__name="Members").order_by("pk").first()
    )
    if reader is None:
        sys.exit("No member to sign in as: run `make demo` (seed_demo) first.")
    client = Client(HTTP_HOST="localhost")
    client.force_login(reader)

    counts = (
        PageComment.objects.filter(object_pk=Cast(OuterRef("pk"), output_field=IntegerField()))
        .values("object_pk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    pages = []
    for model in ContentPage.__subclasses__() + [
        sub for cls in ContentPage.__subclasses__() for sub in cls.__subclasses__()
    ]:
        page = (
            model.objects.live()
            .filter(audience="everyone")
            .annotate(comments=Subquery(counts[:1]))
            .order_by("-comments", "pk")
            .first()
        )
        if page is not None and page.url:
            pages.append((f"item: {model._meta.verbose_name}", page.url))
    pages += [("feed", "/feed/"), ("notifications", "/notifications/")]

    if args.profile:
        _profile(client, pages, args.profile, args.rounds)
        shutil.rmtree(copy.parent, ignore_errors=True)
        return
    print(f"reader {reader.username}, {args.rounds} rounds, database {args.database}")
    print("| page | median | p95 | CPU median | queries |\n| --- | --- | --- | --- | --- |")
    for label, url in pages:
        for _ in range(5):
            response = client.get(url)
        if response.status_code != 200:
            print(f"| {label} ({url}) | answered {response.status_code} | | | |")
            continue
        # The log is a bounded deque, full after seeding: empty it, or nothing is counted.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times, cpu = [], []
        for _ in range(args.rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"| {label} | {statistics.median(times):.1f} ms | {p95:.1f} ms "
            f"| {statistics.median(cpu):.1f} ms | {len(queries)} |"
        )
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(copy.parent, ignore_errors=True)


def _profile(client, pages: list[tuple[str, str]], label: str, rounds: int) -> None:
    import cProfile
    import pstats

    url = next(url for name, url in pages if label in name)
    for _ in range(5):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(url)
    profiler.disable()
    print(f"{rounds} requests of {url}")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
