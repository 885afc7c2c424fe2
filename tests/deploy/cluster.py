"""Kindred as deployed on several machines, in miniature: app servers and task workers in
processes of their own, sharing one PostgreSQL, one Redis, one search engine (issue 17).

Each app server is gunicorn with portal/gunicorn.conf.py and the production settings
(one worker each, on a free port); each task worker is ``manage.py run_worker`` as
``make serve`` starts it. Nothing of the caller's environment reaches them but PATH and
the locale: what they share is exactly what the environment below names. Every wait is
bounded; every process is stopped (its whole process group) when the block ends, before
pytest-django empties the database.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.db import connection

import pytest
import requests

from tests.concurrency import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = "portal/gunicorn.conf.py"
START_TIMEOUT = 90
TIMEOUT = 30
# The name every request carries, as a proxy in front of the app servers passes it on:
# one site, whichever server answers (the page cache's key includes the host).
SITE_HOST = "localhost"


def wait_for(check, *, what, processes=(), timeout=TIMEOUT, interval=0.1):
    """Call ``check()`` until it answers something true; fail naming ``what`` after ``timeout``
    seconds, or at once if one of ``processes`` has exited (with the end of its log)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{process.name} exited while waiting for {what}:\n{process.tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def database_url():
    """DATABASE_URL for the suite's own test database (PostgreSQL), as the servers need it."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


def deployment_environment(
    *, tmp_path, redis_url, cache_prefix, search_url, index_prefix, smtp_port
):
    """The environment of every process of the deployment: the production settings."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": f"deploy-test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": f"{SITE_HOST},127.0.0.1",
        # Plain http on this machine (portal/settings/production.py refuses it for any other host).
        "KINDRED_LOCAL_HTTP": "1",
        "TRUSTED_PROXY_COUNT": "0",
        "DATABASE_URL": database_url(),
        # Each request gives its connection back: nothing holds the test database at teardown.
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": cache_prefix,
        "SEARCH_URL": search_url,
        "SEARCH_INDEX_PREFIX": index_prefix,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "10",
        "KINDRED_BASE_URL": f"http://{SITE_HOST}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "KINDRED_EXPORT_ROOT": str(tmp_path / "exports"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
    }


class Process:
    """A process of the deployment, in a process group of its own, logging to a file."""

    def __init__(self, name, args, *, env, log):
        self.name = name
        self.log = log
        with open(log, "wb") as output:
            self.popen = subprocess.Popen(  # noqa: S603 (our own commands, fixed arguments)
                args,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def poll(self):
        return self.popen.poll()

    def tail(self, size=4000):
        return Path(self.log).read_text(errors="replace")[-size:]

    def stop(self):
        """SIGTERM to the whole group (gunicorn's master and worker), then SIGKILL after 20 s."""
        if self.popen.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # The group's other members (gunicorn's worker) may outlive the leader by a moment.
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)


class Browser:
    """One visitor's browser: its own cookies, sent to whichever server it asks."""

    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Host"] = SITE_HOST

    def get(self, server, path, **kwargs):
        return self.session.get(server.url + path, allow_redirects=False, timeout=TIMEOUT, **kwargs)

    def post(self, server, path, data, **kwargs):
        """POST ``data`` with this browser's CSRF token, as the page's form would."""
        token = self.session.cookies.get("csrftoken", "")
        return self.session.post(
            server.url + path,
            data={"csrfmiddlewaretoken": token, **data},
            allow_redirects=False,
            timeout=TIMEOUT,
            **kwargs,
        )

    def open_form(self, server, path):
        """GET the page with a form, so that the CSRF cookie is set; the response."""
        response = self.get(server, path)
        assert response.status_code == 200, (path, response.status_code)
        assert self.session.cookies.get("csrftoken"), f"no CSRF cookie from {path}"
        return response

    def sign_in(self, server, *, login, password):
        self.open_form(server, "/accounts/login/")
        return self.post(server, "/accounts/login/", {"login": login, "password": password})


@dataclass
class Server:
    process: Process
    port: int

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Deployment:
    env: dict
    servers: list = field(default_factory=list)
    workers: list = field(default_factory=list)

    @property
    def processes(self):
        return [server.process for server in self.servers] + self.workers


def manage(args, *, env, tmp_path, name, timeout=START_TIMEOUT):
    """Run ``manage.py args`` to its end with the deployment's environment; fail with its output."""
    try:
        result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"manage.py {' '.join(args)} did not finish within {timeout} s")
    (tmp_path / f"{name}.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed:\n{(result.stdout + result.stderr)[-4000:]}"
        )


def healthy(server):
    try:
        response = requests.get(server.url + "/_health/", headers={"Host": SITE_HOST}, timeout=5)
    except requests.ConnectionError:
        return False
    return response.status_code == 200 and response.text == "ok\n"


@contextmanager
def deployment(env, *, tmp_path, servers=2, workers=2, while_starting=None):
    """Start ``servers`` app servers and ``workers`` task workers; stop them all at the end.

    ``while_starting()`` (a deploy's own step, such as building the engine's index) runs
    while they load, before the wait for the servers' health checks.
    """
    found = Deployment(env=env)
    with ExitStack() as stack:
        try:
            for number in range(servers):
                port = free_port()
                name = f"app server {'AB'[number] if number < 2 else number}"
                process = Process(
                    name,
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "portal/gunicorn.conf.py",
                        "portal.wsgi",
                    ],
                    env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
                    log=tmp_path / f"server-{number}.log",
                )
                stack.callback(process.stop)
                found.servers.append(Server(process=process, port=port))
            for number in range(workers):
                process = Process(
                    f"task worker {number + 1}",
                    [
                        sys.executable,
                        "manage.py",
                        "run_worker",
                        "--backend",
                        "background",
                        "--queue-name",
                        "*",
                        "--interval",
                        "0.2",
                        "--no-startup-delay",
                    ],
                    env=env,
                    log=tmp_path / f"worker-{number}.log",
                )
                stack.callback(process.stop)
                found.workers.append(process)
            if while_starting is not None:
                while_starting()
            for server in found.servers:
                wait_for(
                    lambda server=server: healthy(server),
                    what=f"{server.process.name} to answer /_health/",
                    processes=found.processes,
                    timeout=START_TIMEOUT,
                )
            yield found
        finally:
            # Stopped here, explicitly and in reverse, so that nothing holds the database
            # when the test's teardown empties it (ExitStack does the same on any error).
            stack.close()
