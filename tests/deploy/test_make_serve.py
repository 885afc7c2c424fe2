"""`make serve` (issue 17): the production server with the background worker, and local-only
defaults for a plain-http try that never reach a real deployment.

The Makefile runs with stand-ins for the virtualenv's programs that record each call and
the environment it was given (as tests/portal/test_make_lint.py does); the local try's
environment is then given to the real production settings, which must accept it.
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
RECORDED = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "KINDRED_LOCAL_HTTP",
    "DATABASE_URL",
    "TRUSTED_PROXY_COUNT",
    "EMAIL_BACKEND",
    "HOST",
    "PORT",
    "KINDRED_BASE_URL",
    "REDIS_URL",
)
STAND_IN = """#!{python}
import json, os, sys
with open({record!r}, "a") as record:
    env = {{name: os.environ.get(name) for name in {names!r}}}
    program = os.path.basename(sys.argv[0])
    record.write(json.dumps({{"program": program, "args": sys.argv[1:], "env": env}}) + "\\n")
"""

# gunicorn runs until stopped, and `make serve` stops the worker it started in the background
# when gunicorn ends. A stand-in that ended at once raced the worker's own start-up: the worker
# was killed before it wrote its call, once in a while (it failed CI). This one stays up, as a
# server does, until the worker has written its call (or 30 s have passed).
GUNICORN_STAYS_UP = """
import time
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    with open({record!r}) as record:
        if '"run_worker"' in record.read():
            break
    time.sleep(0.05)
"""

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def serve_calls(tmp_path, *args, **env_overrides):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    record = tmp_path / "calls"
    record.unlink(missing_ok=True)
    for program in ("python", "pip", "gunicorn"):
        stand_in = venv / "bin" / program
        script = STAND_IN.format(python=sys.executable, record=str(record), names=RECORDED)
        if program == "gunicorn":
            script += GUNICORN_STAYS_UP.format(record=str(record))
        stand_in.write_text(script)
        stand_in.chmod(stand_in.stat().st_mode | stat.S_IEXEC)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    # A developer's shell may hold any of these; the test says what it gives.
    env = {key: value for key, value in os.environ.items() if key not in RECORDED}
    env.update(env_overrides)
    result = subprocess.run(  # noqa: S603 (make, fixed arguments)
        [
            MAKE,
            "--no-print-directory",
            "serve",
            f"VENV={venv}",
            f"BIN={venv / 'bin'}",
            f"SERVE_SECRET_FILE={tmp_path / 'secret-key'}",
            *args,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    calls = [json.loads(line) for line in record.read_text().splitlines()]
    return calls, result.stdout


def commands(calls):
    return [call["args"][1] if call["program"] == "python" else call["program"] for call in calls]


def test_serve_prepares_then_runs_gunicorn_and_the_worker_on_production_settings(tmp_path):
    calls, output = serve_calls(tmp_path)

    names = commands(calls)
    assert names[:3] == ["migrate", "collectstatic", "setup_portal"]
    assert sorted(names[3:]) == ["gunicorn", "run_worker"]
    [gunicorn] = [call for call in calls if call["program"] == "gunicorn"]
    assert gunicorn["args"] == ["-c", "portal/gunicorn.conf.py", "portal.wsgi"]
    [worker] = [
        call for call in calls if call["program"] == "python" and "run_worker" in call["args"]
    ]
    assert worker["args"][1:] == ["run_worker", "--backend", "background", "--queue-name", "*"]
    for call in calls:
        assert call["env"]["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert gunicorn["env"]["HOST"] == "127.0.0.1" and gunicorn["env"]["PORT"] == "8000"
    assert "serving at http://127.0.0.1:8000" in output


def test_the_local_try_gets_local_only_defaults_and_a_kept_secret_key(tmp_path):
    calls, _ = serve_calls(tmp_path, "PORT=18123")

    env = calls[-1]["env"]
    assert env["ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert env["KINDRED_LOCAL_HTTP"] == "1"
    assert env["TRUSTED_PROXY_COUNT"] == "0"
    assert env["PORT"] == "18123"
    assert env["KINDRED_BASE_URL"] == "http://127.0.0.1:18123"
    secret = (tmp_path / "secret-key").read_text()
    assert env["SECRET_KEY"] == secret and len(secret) >= 50 and len(set(secret)) >= 5
    # Readable by its owner only, and the same key next time (sessions survive a restart).
    assert stat.S_IMODE((tmp_path / "secret-key").stat().st_mode) == 0o600
    again, _ = serve_calls(tmp_path)
    assert again[-1]["env"]["SECRET_KEY"] == secret

    # The production settings accept exactly this environment.
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in RECORDED and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    given = {key: value for key, value in env.items() if value is not None}
    result = subprocess.run(  # noqa: S603 (this interpreter, our manage.py)
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **given, "DATABASE_URL": f"sqlite:///{tmp_path / 'try.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_real_deployment_gets_no_defaults_at_all(tmp_path):
    calls, output = serve_calls(
        tmp_path,
        ALLOWED_HOSTS="kindred.example",
        SECRET_KEY="the-deployments-own-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        REDIS_URL="redis://cache.internal:6379/0",
    )

    for call in calls:
        env = call["env"]
        assert env["ALLOWED_HOSTS"] == "kindred.example"
        assert env["KINDRED_LOCAL_HTTP"] is None
        assert env["SECRET_KEY"].startswith("the-deployments-own-secret")
        assert env["DATABASE_URL"] is None  # the settings will ask for it
        assert env["EMAIL_BACKEND"] is None
        assert env["REDIS_URL"] == "redis://cache.internal:6379/0"
    assert not (tmp_path / "secret-key").exists()
    assert "local try" not in output
