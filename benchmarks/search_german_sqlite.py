"""SQLite search with and without German items' stem prefixes (issue 18; search/hits.py).

Phase 1 (``matching_ids``) timed for English and German words, every language and
German only, with the prefixes off (a minimum length no stem reaches) and on.
Run against a seeded database (results in benchmarks/README.md):

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py setup_portal
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py seed_demo --items 10000
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 PYTHONPATH=. .venv/bin/python \
        benchmarks/search_german_sqlite.py
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
import django

django.setup()

from search import hits  # noqa: E402


def measure(word, language="", runs=15):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        ids = hits.matching_ids(word, language=language)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(ids)


words = ["fatigue", "therapy", "Therapien", "Müdigkeit", "Arbeit", "walking stick"]
for enabled in (False, True):
    hits.GERMAN_PREFIX_MIN_LENGTH = 4 if enabled else 10_000
    for w in words:
        for lang in ("", "de"):
            median, count = measure(w, lang)
            state = "on " if enabled else "off"
            print(f"prefixes={state} {w!r:16} lang={lang or 'all':3} {median:7.1f} ms {count} hits")
