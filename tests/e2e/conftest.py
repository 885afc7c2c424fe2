"""Browser tests: Playwright for Python driving Debian's Chromium against ``live_server``.

Chromium comes from the system (``/usr/bin/chromium``, or ``CHROMIUM_PATH``):
``playwright install`` cannot download browsers on the machines Kindred is
built on. Without a browser these tests are skipped with the reason, except in
CI (``KINDRED_REQUIRE_BROWSER=1``), where a missing browser is a failure, so a
green build always means the journeys really ran.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = E2E_DIR.parent.parent / "test-results" / "e2e"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Wagtail's admin is fast locally; fail a broken step in seconds, not 30.
TIMEOUT_MS = 15_000
# Playwright's sync API marks an asyncio event loop as running on the main thread
# while it is started, and Django's ORM refuses to run while it sees one. The
# test code here is plain synchronous code that only shares the thread with
# Playwright, so the check is lifted, but only while the browser is up: the
# variable is inherited by subprocesses, and `check --deploy` rightly fails on it.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
INSTALL_HINT = (
    "install it with `apt-get install -y chromium` (Debian) or point CHROMIUM_PATH "
    "at a Chromium binary; `make test` does the former when run as root"
)


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected item, not only this folder's.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Remember each phase's outcome so the page fixture can keep evidence of failures.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _no_browser(reason):
    if os.environ.get("KINDRED_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (KINDRED_REQUIRE_BROWSER=1, so this is an error)", pytrace=False)
    pytest.skip(f"{reason}; {INSTALL_HINT}")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for this folder's tests; each test gets its own contexts.

    Package scope, not session: pytest-django runs the non-database tests after
    the live-server ones, and they should not share the thread with Playwright.
    """
    executable = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)
    if not (Path(executable).is_file() or shutil.which(executable)):
        _no_browser(f"Chromium not found at {executable}")
    try:
        from playwright.sync_api import Error, expect, sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed (pip install -e '.[dev]')")

    expect.set_options(timeout=TIMEOUT_MS)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            _no_browser(f"Chromium at {executable} failed to launch: {message}")
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(autouse=True)
def _emails_link_to_the_live_server(request, settings):
    """A browser test's site is served by the live server, so its emails link there.

    As `make run` sets KINDRED_BASE_URL to where it serves; a journey that
    follows a link from an email stays on the live server.
    """
    if "live_server" in request.fixturenames:
        settings.KINDRED_BASE_URL = request.getfixturevalue("live_server").url


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a page in a fresh browser context: separate cookies, so a separate person.

    Requests leaving the live server are aborted: the tests stay hermetic and
    never wait on the network (the admin, for example, asks Gravatar for avatars).
    """
    contexts = []
    origin = live_server.url.rstrip("/") + "/"
    outside = re.compile(rf"^(?!{re.escape(origin)}).*")

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        context.route(outside, lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    for number, context in enumerate(contexts):
        if failed:
            _save_evidence(request.node.name, number, context)
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context, closed after the test."""
    return new_page()


def _save_evidence(test_name, number, context):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    for index, open_page in enumerate(context.pages):
        stem = ARTIFACTS_DIR / f"{test_name}-context{number}-page{index}"
        try:
            open_page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(open_page.content(), encoding="utf-8")
        except Exception as error:  # evidence is best effort; keep the real failure
            Path(f"{stem}.txt").write_text(f"could not save page: {error}\n", encoding="utf-8")
