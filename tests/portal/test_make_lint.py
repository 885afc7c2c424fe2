"""`make lint` (and so CI) runs Django's deployment checks on the production settings (issue 10).

The Makefile is run with stand-ins for the virtualenv's programs that record
each call and the environment it was given; the deployment check it asked for
is then run for real, with that environment, and must find nothing.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
RECORDED = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
STAND_IN = """#!{python}
import json, os, sys
with open({record!r}, "a") as record:
    env = {{name: os.environ.get(name) for name in {names!r}}}
    env["TRUSTED_PROXY_COUNT"] = os.environ.get("TRUSTED_PROXY_COUNT")
    program = os.path.basename(sys.argv[0])
    record.write(json.dumps({{"program": program, "args": sys.argv[1:], "env": env}}) + "\\n")
"""

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def _lint_calls(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    record = tmp_path / "calls"
    for program in ("python", "pip", "ruff", "lint-imports"):
        stand_in = venv / "bin" / program
        stand_in.write_text(
            STAND_IN.format(python=sys.executable, record=str(record), names=RECORDED)
        )
        stand_in.chmod(stand_in.stat().st_mode | stat.S_IEXEC)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    # A developer's shell may hold any of these; the Makefile must set them itself.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in (*RECORDED, "TRUSTED_PROXY_COUNT")
    }
    result = subprocess.run(
        [MAKE, "--no-print-directory", "lint", f"VENV={venv}", f"BIN={venv / 'bin'}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in record.read_text().splitlines()]


def test_make_lint_runs_the_deploy_checks_on_production_settings(tmp_path):
    calls = _lint_calls(tmp_path)

    [deploy] = [call for call in calls if "--deploy" in call["args"]]
    assert deploy["args"] == ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    assert deploy["env"]["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    # Said explicitly, as a deployment must (finding 5's start-up check).
    assert deploy["env"]["TRUSTED_PROXY_COUNT"] == "0"

    # The same check, for real: the production settings pass it.
    clean = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, *deploy["args"]],
        cwd=ROOT,
        env={**clean, **deploy["env"]},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_make_lint_checks_the_layer_contracts(tmp_path):
    # The contracts in pyproject.toml ([tool.importlinter]); tests/test_layers.py runs them.
    calls = _lint_calls(tmp_path)

    assert ["--no-cache"] in [call["args"] for call in calls if call["program"] == "lint-imports"]
