"""The canary proof on SQLite too, when the suite itself runs on PostgreSQL (CI).

The suite runs on the database ``DATABASE_URL`` names, so CI proves the
erasure on PostgreSQL. This test runs ``test_erasure_canary.py`` once more in
a subprocess on a fresh SQLite database (pytest-django makes its test
database from the file URL given here), so every CI run proves both. When
the main run already is on SQLite (a laptop), the canary test has just run
on it and this one skips. No search engine is named in the subprocess: the
engine's proof is ``tests/engine/test_erasure_on_engine.py``.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

import pytest

ROOT = Path(__file__).resolve().parents[2]
CANARY_TEST = "tests/compliance/test_erasure_canary.py"


def test_the_canary_proof_holds_on_sqlite_as_well(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("This run is on SQLite: test_erasure_canary.py has proved it here.")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SEARCH_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'canary.sqlite3'}"
    result = subprocess.run(  # noqa: S603 (our own test file, fixed arguments)
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            CANARY_TEST,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
