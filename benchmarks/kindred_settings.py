"""Kindred's production settings for the benchmarks (benchmarks/serve.py), and one addition.

Everything is ``portal.settings.production``; the only change is where Django's file
email backend (``EMAIL_BACKEND`` from the environment) writes: the run's own directory,
so the load test can count every email the worker sent.
"""

import os

from portal.settings.production import *  # noqa: F403

EMAIL_FILE_PATH = os.environ.get("KINDRED_BENCH_MAIL_DIR", "")
