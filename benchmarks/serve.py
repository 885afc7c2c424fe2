"""Start-up shared by benchmarks/pages.py and benchmarks/load.py: a throwaway Kindred, its
servers and worker, a bare Django project beside it, and a way to sign in.

A ``Site`` is one directory holding everything a run writes (the SQLite database, media,
collected static files, the file cache, the emails the file backend writes, exports), so a
run never touches var/ or db.sqlite3 of the working tree. Kindred runs with the
production settings (``benchmarks.kindred_settings``: portal.settings.production plus the
directory the email file backend writes to), behind gunicorn with portal/gunicorn.conf.py;
the bare project (benchmarks/bare/) behind the same file and the same worker count, so
the two differ only by what the application does.

Plain http on 127.0.0.1: ``SECURE_SSL_REDIRECT=false`` and no trusted proxy, nothing else
weakened. The session and CSRF cookies keep their ``Secure`` flag; the clients here copy
them by hand (``unsecure_cookies``), as a browser behind a TLS proxy would send them.

Every process started here is started in a session of its own and stopped by its own id
(its process group), never by name.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "portal" / "gunicorn.conf.py"
KINDRED_SETTINGS = "benchmarks.kindred_settings"
BARE_SETTINGS = "benchmarks.bare.settings"
DEMO_PASSWORD = "kindred-demo-2026"  # noqa: S105 - the demo's published password
# The brief's range for this helper's servers: never 8000/8123 (the lead's).
PORTS = range(18200, 18300)
READY_TIMEOUT = 90.0


def free_port(
    start: int = PORTS.start, stop: int = PORTS.stop, *, taken: set[int] = frozenset()
) -> int:
    """The first port in [start, stop) that nothing listens on."""
    for port in range(start, stop):
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {start}-{stop - 1}.")


def load_average() -> float:
    """The 1-minute load average (what the figures are read against)."""
    return os.getloadavg()[0]


def git_commit() -> str:
    """The commit measured, with ``+dirty`` when the working tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit


@dataclass
class Site:
    """A throwaway Kindred installation in ``directory`` (see the module docstring)."""

    directory: Path
    redis_url: str = ""
    # A key prefix of this run's own: a shared Redis may hold another run's pages,
    # rendered from another database.
    cache_prefix: str = field(default_factory=lambda: f"kindred-bench-{uuid.uuid4().hex[:8]}")
    base_url: str = "http://127.0.0.1:8000"

    @property
    def database(self) -> Path:
        return self.directory / "db.sqlite3"

    @property
    def mail_dir(self) -> Path:
        return self.directory / "mail"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of every Kindred process of this site (server, worker, commands)."""
        env = {
            key: value
            for key, value in os.environ.items()
            # Nothing of the caller's Django or cache set-up leaks in.
            if not key.startswith(("DJANGO_", "GUNICORN_"))
            and key
            not in {"REDIS_URL", "CACHE_URL", "PAGE_CACHE_URL", "DATABASE_URL", "SEARCH_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE=KINDRED_SETTINGS,
            SECRET_KEY="benchmark-only-not-a-secret-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            DATABASE_URL=f"sqlite:///{self.database}",
            TRUSTED_PROXY_COUNT="0",
            SECURE_SSL_REDIRECT="false",
            STATIC_ROOT=str(self.directory / "static"),
            MEDIA_ROOT=str(self.directory / "media"),
            KINDRED_EXPORT_ROOT=str(self.directory / "exports"),
            CACHE_DIR=str(self.directory / "cache"),
            PAGE_CACHE_DIR=str(self.directory / "page-cache"),
            CACHE_KEY_PREFIX=self.cache_prefix,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            KINDRED_BENCH_MAIL_DIR=str(self.mail_dir),
            KINDRED_BASE_URL=self.base_url,
            LOG_LEVEL="ERROR",
            PYTHONPATH=str(ROOT),
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(extra)
        return env

    def manage(self, *args: str, quiet: bool = True) -> str:
        """Run ``manage.py args`` for this site; returns its output, raises on failure."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        if not quiet:
            print(done.stdout, end="")
        return done.stdout

    def prepare(self, *, seeded: Path | None = None, items: int = 0) -> None:
        """Make the site: copy a prepared one from ``seeded``, or migrate, set up and seed.

        A prepared directory (``--seeded``) is made once by a first run with ``--keep``
        and saves a minute and a half of seeding per run; it is copied, never used in place.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        for name in ("cache", "page-cache", "mail", "exports"):
            shutil.rmtree(self.directory / name, ignore_errors=True)
            (self.directory / name).mkdir()
        if seeded is not None:
            for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
                with contextlib.suppress(FileNotFoundError):
                    shutil.copy2(seeded / name, self.directory / name)
            for name in ("media", "static"):
                shutil.rmtree(self.directory / name, ignore_errors=True)
                shutil.copytree(seeded / name, self.directory / name, symlinks=True)
            # A migration committed since the copy was prepared (nothing to do otherwise).
            self.manage("migrate", "--noinput")
            return
        self.manage("migrate", "--noinput")
        self.manage("setup_portal")
        seed = ["seed_demo"] + (["--items", str(items)] if items else [])
        self.manage(*seed)
        self.manage("collectstatic", "--noinput")


class Process:
    """A process started in a session of its own, stopped by its process group's id."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log: Path):
        self.name = name
        self.log = log
        self._log_file = log.open("ab")
        self._stopped = False
        self.popen = subprocess.Popen(  # noqa: S603 - our own argv, no shell
            argv,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def send(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def stop(self, *, timeout: float = 40.0, signum: int = signal.SIGTERM) -> None:
        """Ask the group to stop (SIGTERM: gunicorn and the worker finish what they do)."""
        if self._stopped:
            return
        self._stopped = True
        if self.running:
            self.send(signum)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.send(signal.SIGKILL)
                self.popen.wait(timeout=10)
        # Stray children of a group whose leader is gone (a gunicorn worker).
        self.send(signal.SIGKILL)
        self._log_file.close()


class Server(Process):
    """gunicorn with portal/gunicorn.conf.py (the same file for Kindred and the bare project)."""

    def __init__(
        self, name: str, app: str, *, port: int, workers: int, env: dict[str, str], log: Path
    ):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
        if workers:  # 0: the configuration's own number (2 × cores + 1)
            env["GUNICORN_WORKERS"] = str(workers)
        argv = [str(BIN / "gunicorn")]
        if GUNICORN_CONF.exists():
            argv += ["-c", str(GUNICORN_CONF)]
        else:  # the flags the measurement used, until the config file exists
            argv += ["--workers", str(workers or 2), "--preload", "--bind", f"127.0.0.1:{port}"]
        super().__init__(name, [*argv, app], env=env, log=log)

    def wait_ready(self, path: str = "/", timeout: float = READY_TIMEOUT) -> None:
        """Poll until the server answers (any HTTP status), or fail with its log."""
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                requests.get(self.url + path, timeout=5, allow_redirects=False)
            except requests.RequestException:
                time.sleep(0.2)
                continue
            return
        raise RuntimeError(
            f"{self.name} did not answer in {timeout:.0f} s:\n{self.log.read_text()[-3000:]}"
        )


def start_kindred(site: Site, *, port: int, workers: int) -> Server:
    site.base_url = f"http://127.0.0.1:{port}"
    server = Server(
        "kindred",
        "portal.wsgi",
        port=port,
        workers=workers,
        env=site.env(),
        log=site.directory / "kindred-server.log",
    )
    server.wait_ready()
    return server


def start_bare(directory: Path, *, port: int, workers: int) -> Server:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_"))
    }
    env.update(DJANGO_SETTINGS_MODULE=BARE_SETTINGS, PYTHONPATH=str(ROOT))
    server = Server(
        "bare",
        "benchmarks.bare.wsgi",
        port=port,
        workers=workers,
        env=env,
        log=directory / "bare-server.log",
    )
    server.wait_ready("/ok/")
    return server


def start_worker(site: Site) -> Process:
    """The background worker, as `make run` and `make serve` start it."""
    return Process(
        "worker",
        [
            str(BIN / "python"),
            "manage.py",
            "run_worker",
            "--backend",
            "background",
            "--queue-name",
            "*",
        ],
        env=site.env(),
        log=site.directory / "worker.log",
    )


def start_redis(directory: Path, *, port: int) -> tuple[Process, str]:
    """A throwaway redis-server (Debian's) on ``port``, nothing saved; returns it and its URL."""
    import requests  # noqa: F401 - fail early in the same way as the servers if missing

    redis_dir = directory / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        shutil.which("redis-server") or "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(redis_dir),
    ]
    process = Process("redis", argv, env=dict(os.environ), log=redis_dir / "redis.log")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    process.stop()
    raise RuntimeError("redis-server did not start")


def configure_django(site: Site) -> None:
    """Load Kindred's production settings on ``site``'s database, in this process."""
    for key in (
        "REDIS_URL",
        "CACHE_URL",
        "PAGE_CACHE_URL",
        "DATABASE_URL",
        "SEARCH_URL",
        "DJANGO_SETTINGS_MODULE",
    ):
        os.environ.pop(key, None)
    os.environ.update(site.env())
    import django

    django.setup()


def unsecure_cookies(jar) -> None:
    """Let a requests cookie jar send the ``Secure`` session and CSRF cookies over plain http."""
    for cookie in jar:
        cookie.secure = False


class FormParser(HTMLParser):
    """The forms of a page: action, method and the values a browser would send unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            name = attrs.get("name")
            if not name:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._form["fields"][name] = attrs.get("value", "on")
            elif kind == "submit":
                self._form["buttons"].append((name, attrs.get("value", "")))
            elif kind not in {"file", "image", "button", "reset"}:
                self._form["fields"][name] = attrs.get("value", "")
        elif tag == "button" and attrs.get("name"):
            self._form["buttons"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select is not None:
            fields = self._form["fields"]
            if "selected" in attrs or self._select not in fields:
                fields[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_in(html: str, *, base: str = "") -> list[dict]:
    """Every form of ``html`` (see ``FormParser``), actions made absolute paths against ``base``."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = urljoin(base, form["action"]) if base else form["action"]
    return parser.forms


def form_matching(html: str, action_pattern: str, *, base: str = "") -> dict | None:
    """The first form whose action matches the regular expression ``action_pattern``."""
    pattern = re.compile(action_pattern)
    for form in forms_in(html, base=base):
        if pattern.search(form["action"]):
            return form
    return None


def sign_in(base_url: str, username: str, password: str = DEMO_PASSWORD):
    """Sign in through the site's one sign-in form (allauth) with requests; returns the session.

    Its cookie jar then holds ``sessionid`` and ``csrftoken`` (made sendable over http).
    """
    import requests

    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    unsecure_cookies(session.cookies)
    form = form_matching(page.text, r"/accounts/login/", base="/accounts/login/")
    if form is None:
        raise RuntimeError("No sign-in form on /accounts/login/")
    data = {**form["fields"], "login": username, "password": password}
    answer = session.post(
        f"{base_url}/accounts/login/", data=data, timeout=30, allow_redirects=False
    )
    unsecure_cookies(session.cookies)
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"Signing in as {username} failed: {answer.status_code}")
    return session


def cookie_header(session) -> str:
    """A ``Cookie:`` value carrying ``session``'s cookies (for wrk's -H)."""
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


def new_directory(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
