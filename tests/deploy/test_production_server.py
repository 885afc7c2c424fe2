"""The production server for real (issue 17): gunicorn with portal/gunicorn.conf.py and the
production settings serves the collected static files through whitenoise (hashed names,
compressed, cached for a year) and answers its health check. Needs nothing installed:
a SQLite file and the cache directory, as `make serve` on one machine."""

import json
import sys

import pytest
import requests

from .cluster import (
    GUNICORN_CONF,
    START_TIMEOUT,
    Process,
    free_port,
    manage,
    wait_for,
)

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: collecting the static files takes half a minute."""
    tmp_path = tmp_path_factory.mktemp("production-server")
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "production-server-test-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "KINDRED_LOCAL_HTTP": "1",
        "TRUSTED_PROXY_COUNT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
    }
    manage(["collectstatic", "--noinput", "-v", "0"], env=env, tmp_path=tmp_path, name="collect")
    process = Process(
        "app server",
        [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, "portal.wsgi"],
        env=env,
        log=tmp_path / "server.log",
    )
    url = f"http://127.0.0.1:{env['PORT']}"

    def answers():
        try:
            return requests.get(url + "/_health/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_for(
            answers, what="the server's health check", processes=[process], timeout=START_TIMEOUT
        )
        yield url, tmp_path / "static"
    finally:
        process.stop()


def test_static_files_are_served_hashed_compressed_and_cached_for_a_year(server):
    url, static_root = server
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css"

    response = requests.get(
        f"{url}/static/{hashed}", headers={"Accept-Encoding": "gzip"}, timeout=10
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert response.text == (static_root / hashed).read_text()
    assert response.text.strip()
    # No session or cookie for a file.
    assert "Set-Cookie" not in response.headers


def test_the_health_check_answers_ok(server):
    url, _ = server

    response = requests.get(f"{url}/_health/", timeout=10)

    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "Set-Cookie" not in response.headers
