"""`make run` tells the set-up, the server and the worker where the site is served.

The Makefile is run for real with stand-ins for the virtualenv's programs,
which record the address each one was given instead of running.
"""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
STAND_IN = """#!/bin/sh
echo "${{KINDRED_BASE_URL:-unset}} $*" >> {record}
# The worker starts in the background just before the server; `make run` stops
# it when the server returns, so the server waits until the worker has spoken.
case "$*" in
  *runserver*)
    tries=0
    while ! grep -q run_worker {record} && [ $tries -lt 100 ]; do
      sleep 0.1; tries=$((tries + 1))
    done;;
esac
"""

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def make_run(tmp_path, *arguments, address=None):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    record = tmp_path / "calls"
    record.touch()
    for program in ("python", "pip"):
        stand_in = venv / "bin" / program
        stand_in.write_text(STAND_IN.format(record=record))
        stand_in.chmod(stand_in.stat().st_mode | stat.S_IEXEC)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    env = {key: value for key, value in os.environ.items() if key != "KINDRED_BASE_URL"}
    if address:
        env["KINDRED_BASE_URL"] = address
    result = subprocess.run(
        [MAKE, "--no-print-directory", "run", f"VENV={venv}", f"BIN={venv / 'bin'}", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line.split()[2]: line.split()[0] for line in record.read_text().splitlines()}


def test_make_run_on_another_port_passes_that_address_to_every_process(tmp_path):
    given = make_run(tmp_path, "PORT=8001")

    assert given == {
        "migrate": "http://127.0.0.1:8001",
        "setup_portal": "http://127.0.0.1:8001",
        "seed_demo": "http://127.0.0.1:8001",
        "run_worker": "http://127.0.0.1:8001",
        "runserver": "http://127.0.0.1:8001",
    }


def test_an_address_set_by_the_person_running_it_wins(tmp_path):
    given = make_run(tmp_path, "HOST=0.0.0.0", "PORT=8001", address="http://kindred.lan:8001")

    assert set(given.values()) == {"http://kindred.lan:8001"}


def test_the_admin_address_follows_the_public_address():
    code = (
        "from portal.settings import base; print(base.KINDRED_BASE_URL, base.WAGTAILADMIN_BASE_URL)"
    )
    env = {
        **{key: value for key, value in os.environ.items() if key != "WAGTAILADMIN_BASE_URL"},
        "KINDRED_BASE_URL": "http://127.0.0.1:8001",
    }

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["http://127.0.0.1:8001", "http://127.0.0.1:8001"]
