"""Search benchmark: seed N items, index them, time typical searches on each backend.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/search.py --items 10000
    SEARCH_URL=elasticsearch9://127.0.0.1:9201 DATABASE_URL=... \
        .venv/bin/python benchmarks/search.py

Use a throwaway database: the script migrates it, runs setup_portal and adds
``--items`` published items (blog posts, expert articles, stories, with tags,
conditions and ratings) in bulk through ``portal.demo.bulk``, as
``seed_demo --items`` does (50-110 items/s on this machine).
It then measures, on the database backend and, when SEARCH_URL is set, on
that engine (indices prefixed ``kindred_bench_``):

- indexing throughput (``update_index``-style rebuild, items/s);
- latency of ``search.selectors.search_content`` (the whole results page's
  work: backend hits, readable filter, facets, page of cards, excerpts, and
  "Did you mean" when nothing is found), of ``autocomplete_titles`` and of
  ``spelling_suggestion`` alone, for typical queries: median and 95th
  percentile.

Results are printed as a Markdown table for benchmarks/README.md.
``--backends engine`` times the engine alone (SQLite ranks 100,000 items
slowly and is for small sites); ``--skip-seed --skip-rebuild`` times a
corpus seeded before as it is (the bulk seed indexes the database backend).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

WORDS = [
    "fatigue",
    "relapse",
    "walking",
    "balance",
    "vision",
    "numbness",
    "tingling",
    "spasticity",
    "bladder",
    "sleep",
    "mood",
    "anxiety",
    "depression",
    "memory",
    "fog",
    "heat",
    "cooling",
    "exercise",
    "yoga",
    "physiotherapy",
    "diet",
    "vitamin",
    "steroids",
    "infusion",
    "injection",
    "tablet",
    "therapy",
    "clinic",
    "nurse",
    "neurologist",
    "scan",
    "mri",
    "lesion",
    "diagnosis",
    "work",
    "family",
    "children",
    "partner",
    "carer",
    "travel",
    "holiday",
    "sunshine",
    "winter",
    "pain",
    "cramps",
    "stiffness",
    "stick",
    "wheelchair",
    "mobility",
    "energy",
    "spoons",
    "pacing",
    "rest",
    "swimming",
    "cycling",
    "gardening",
    "cooking",
    "friendship",
    "support",
    "group",
    "online",
    "forum",
    "research",
    "trial",
    "evidence",
    "questions",
    "appointment",
    "letter",
    "benefits",
    "employer",
    "adjustments",
    "commute",
    "driving",
]
QUERIES = [
    "fatigue",
    "heat cooling",
    "mri scan results",
    "walking stick",
    "neurologist appointment questions",
    "exercise",
    "infusion therapy side effects",
    "sleep",
    "fatige",  # a typo: found only where the backend forgives it
    "employer adjustments at work",
    # Everyday words: each in a few hundred items, below the 1,000-hit cap.
    "kaloka",
    "mineta sutari",
]
AUTOCOMPLETE = ["fat", "walk", "mri", "exer", "neuro", "sleep"]
# "Did you mean …?" on its own (search.selectors.spelling_suggestion): typos that
# find nothing, a three-word one and a word with nothing close.
SPELLING = ["fatige", "neurolgist apointmnet questons", "xqzvbn"]


# Everyday words around the health vocabulary, so a query matches a realistic
# share of the items (a few percent to a third) rather than all of them.
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "su",
    "ta",
    "ri",
    "po",
    "de",
    "fa",
    "gu",
    "hi",
    "jo",
    "le",
    "ma",
    "ni",
    "ro",
    "se",
    "ti",
    "vu",
    "wa",
    "ye",
    "zo",
]
FILLER = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:8]})


def sentence(rng, n):
    words = (rng.choice(WORDS) if rng.random() < 0.12 else rng.choice(FILLER) for _ in range(n))
    return " ".join(words).capitalize() + "."


def seed(items, rng):
    """Publish ``items`` content pages in bulk (portal.demo.bulk, as seed_demo --items does).

    The rows publishing each item would leave, a thousand items per batch;
    the text is this benchmark's own (health words among filler syllables).
    """
    from django.core.management import call_command
    from django.utils import timezone

    from blogs.models import BlogPage, ExpertArticlePage
    from core import roles
    from core.models import Condition, ContentPage
    from experience_stories.models import ExperienceStoryPage
    from portal.demo.bulk import SyntheticItem, synthetic_items_bulk_create
    from portal.setup import portal_setup
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    home, sections = portal_setup()
    existing = ContentPage.objects.count()
    if existing >= items:
        print(f"seed: {existing} items already there")
        return
    authors = [
        UserFactory(group=roles.MEMBERS, display_name=f"Bench author {i}") for i in range(50)
    ]
    conditions = [
        Condition.objects.get_or_create(name=name, slug=name.lower().replace(" ", "-"))[0]
        for name in ("Relapsing remitting MS", "Secondary progressive MS", "Primary progressive MS")
    ]
    kinds = [
        (BlogPage, sections[roles.BLOGS]),
        (ExpertArticlePage, sections[roles.EXPERT_ARTICLES]),
        (ExperienceStoryPage, sections[roles.EXPERIENCES]),
    ]
    start = ContentPage.objects.filter(slug__startswith="synthetic-").count()
    now = timezone.now().replace(microsecond=0)

    def specs():
        for created in range(items - existing):
            model, section = kinds[created % 3]
            item = SyntheticItem(
                model=model,
                section=section,
                number=start + created + 1,
                title=sentence(rng, 6)[:-1],
                summary=sentence(rng, 25)[:300],
                author=rng.choice(authors),
                paragraphs=[sentence(rng, 60) for _ in range(3)],
                first_published_at=now - timezone.timedelta(minutes=created),
                tags=rng.sample(WORDS[:40], 3),
            )
            if model is ExpertArticlePage:
                item.extra["credentials"] = "Consultant neurologist"
            if model is ExperienceStoryPage:
                item.condition = rng.choice(conditions)
                item.extra["is_anonymous"] = rng.random() < 0.3
            if rng.random() < 0.6:
                count = rng.randint(1, 40)
                item.rating = (count, count * rng.randint(2, 5), round(rng.uniform(2.5, 4.9), 4))
            yield item

    started = time.perf_counter()
    created = synthetic_items_bulk_create(items=specs())
    elapsed = time.perf_counter() - started
    print(f"seed: {existing + created}/{items} ({created / elapsed:.0f} items/s)")


def rebuild(backend_name):
    """Rebuild the content index on ``backend_name``; returns (items, seconds)."""
    from django.core.management import call_command

    from core.models import ContentPage

    started = time.perf_counter()
    call_command("update_index", backend_name=backend_name, verbosity=0)
    seconds = time.perf_counter() - started
    return ContentPage.objects.live().count(), seconds


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_queries(rounds):
    from django.contrib.auth.models import AnonymousUser

    from pagecache.tags import ALL, invalidate
    from search.params import SearchParams
    from search.selectors import autocomplete_titles, search_content, spelling_suggestion

    anonymous = AnonymousUser()
    timings = {
        "search": [],
        "search, asked again": [],
        "search, filtered + sorted": [],
        "autocomplete": [],
        "did you mean": [],
    }
    hits = {}
    for query in QUERIES:  # warm up caches and connections
        search_content(user=anonymous, params=SearchParams(query=query))
    for _ in range(rounds):
        for query in QUERIES:
            # A visitor's phase 1 is kept on the database backends until anything
            # public changes (search.hits.visitor_matching_ids): every row but
            # "asked again" is timed as the first search after a change, ranked afresh.
            invalidate(ALL)
            started = time.perf_counter()
            result = search_content(user=anonymous, params=SearchParams(query=query))
            timings["search"].append(time.perf_counter() - started)
            hits[query] = result.total
            started = time.perf_counter()
            search_content(user=anonymous, params=SearchParams(query=query))
            timings["search, asked again"].append(time.perf_counter() - started)
            invalidate(ALL)
            started = time.perf_counter()
            search_content(
                user=anonymous,
                params=SearchParams(query=query, type="story", sort="rating", page=2),
            )
            timings["search, filtered + sorted"].append(time.perf_counter() - started)
        for prefix in AUTOCOMPLETE:
            invalidate(ALL)
            started = time.perf_counter()
            autocomplete_titles(user=anonymous, query=prefix)
            timings["autocomplete"].append(time.perf_counter() - started)
        for query in SPELLING:
            started = time.perf_counter()
            hits[f"did you mean {query}"] = spelling_suggestion(user=anonymous, query=query)
            timings["did you mean"].append(time.perf_counter() - started)
    return timings, hits


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--skip-rebuild",
        action="store_true",
        help="time the index as it is (the bulk seed indexes the database backend itself)",
    )
    parser.add_argument(
        "--backends",
        default="database,engine",
        help="comma-separated: database, engine (the engine when SEARCH_URL is set)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from core.models import ContentPage

    settings.DEBUG = False  # no query log in memory
    rng = random.Random(2026)
    if not args.skip_seed:
        seed(args.items, rng)

    wanted = set(args.backends.split(","))
    backends = {}
    if "database" in wanted:
        backends["database"] = settings.DATABASE_SEARCH_BACKEND
    if settings.SEARCH_URL and "engine" in wanted:
        from portal.settings.base import search_engine_backend

        backends["engine"] = search_engine_backend(
            settings.SEARCH_URL, index_prefix="kindred_bench_"
        )
    rows = []
    for label, config in backends.items():
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
            if args.skip_rebuild:
                items, seconds = ContentPage.objects.live().count(), float("nan")
            else:
                items, seconds = rebuild("default")
            timings, hits = time_queries(args.rounds)
        print(f"\n{label}: indexed {items} items in {seconds:.1f} s ({items / seconds:.0f}/s)")
        print(f"  hits per query: {hits}")
        for name, values in timings.items():
            median = statistics.median(values) * 1000
            p95 = percentile(values, 0.95) * 1000
            print(f"  {name}: median {median:.1f} ms, p95 {p95:.1f} ms ({len(values)} runs)")
            rows.append((label, name, median, p95, len(values)))
        if not args.skip_rebuild:
            rows.append((label, "indexing", items / seconds, seconds, items))

    print(
        f"\n{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{connection.vendor} · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · "
        f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}"
    )
    print("\n| backend | what | median | p95 | runs |\n| --- | --- | --- | --- | --- |")
    for label, name, median, p95, runs in rows:
        if name == "indexing":
            print(f"| {label} | indexing | {median:.0f} items/s | {p95:.1f} s total | {runs} |")
        else:
            print(f"| {label} | {name} | {median:.1f} ms | {p95:.1f} ms | {runs} |")


if __name__ == "__main__":
    main()
