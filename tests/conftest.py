from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

import django_ratelimit.core
import pytest

from core import roles
from core.models import CommunityIndexPage, HomePage, InformationPage
from portal.setup import SECTIONS, portal_setup
from tests.factories import UserFactory
from tests.migrations import latest, migrate


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the site's language: LocaleMiddleware leaves the language of a
    test client's last request active in the thread, so a German request in one test made
    the next test's lazy texts German (the site pages' starting texts, read in order)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with empty caches: throttle counters, stored pages and their versions."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _throttle_windows_hold_still(monkeypatch):
    """Hold django-ratelimit's clock still for the length of a test.

    Its counters live in fixed windows aligned to the clock, so a test whose
    attempts straddle a window's end saw its count restart and no 429 (it
    failed CI once). The windows themselves are not what these tests are about.
    """
    now = django_ratelimit.core.time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture
def schema_restored():
    """Data-migration tests move the database back in time. Since the content models moved
    from ``portal`` to ``core`` (issue 11), going back past ``social`` 0008 also renames
    ``core``'s tables back to ``portal_*``; this brings every app to its newest migration
    afterwards, also when the test failed midway, so that teardown finds today's tables."""
    yield
    migrate(latest())


# The set-up site is made once per test database and committed, instead of once per test:
# it is ~40 page, group and workflow writes (0.45 s), and three quarters of the suite asks for
# it, so making it in every test was a third of CI's time. Tests still each run in a
# transaction that is rolled back, so they see it exactly as setup left it. A transactional
# test's flush empties the database; `pytest_runtest_teardown` makes it again after one.
_seeded_database = None  # the test database's name and pytest-django's blocker, once made
_flushed = False  # a transactional test has emptied it since
_as_migrated = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the portal set up (``portal_setup(site_pages=False)``).

    What the migrations alone left is kept first, for ``as_migrated``.
    """
    global _seeded_database, _as_migrated
    with django_db_blocker.unblock():
        _as_migrated = connection.creation.serialize_db_to_string()
        portal_setup(site_pages=False)
    _seeded_database = SimpleNamespace(
        name=connection.settings_dict["NAME"], blocker=django_db_blocker
    )


@pytest.fixture
def as_migrated(db):
    """The database as the migrations leave it, before any set-up, for this test only.

    For the tests of ``setup_portal`` itself on a new site: the rows are replaced inside
    the test's transaction, so the next test finds the set-up site again.
    """
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_as_migrated)
    # The rows came back with their ids; PostgreSQL's sequences must move past them, as
    # loaddata does, or the next page made would be given id 1 again.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    # The content types came back with the ids the migrations gave them; a transactional
    # test's flush had them made again in another order since, and ContentType's
    # per-process cache still maps ids the new way (a page read as a workflow task once
    # pytest-xdist ran the tests in another order). Forget it now, and again when the
    # test's rollback brings the other ids back.
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Note that a transactional test has flushed the database (its fixtures' teardown)."""
    global _flushed
    try:
        return (yield)
    finally:
        _flushed = _flushed or _is_transactional(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Set the portal up again after a flush, before this test's fixtures (and transaction) begin.

    Not at the flushing test's teardown: after the last test, that runs once the test database
    is gone and the connection names the developer's own database again.
    """
    global _flushed
    if _flushed and _seeded_database is not None:
        with _seeded_database.blocker.unblock():
            if connection.settings_dict["NAME"] == _seeded_database.name:
                portal_setup(site_pages=False)
        _flushed = False


@pytest.fixture
def portal(db):
    """The set-up site: ``(home, sections)`` with sections keyed like ``core.roles``.

    Without the site's own pages (about, privacy…: seven page saves, which
    would slow every test); ask for ``site_pages`` too when a test needs them.
    The database already holds it (``django_db_setup``); a test that deleted or
    changed part of it before asking gets it corrected, as ``setup_portal`` would.
    """
    # The site's home, not the German translation that holds the site pages'.
    home = HomePage.objects.filter(locale__language_code="en-gb").first()
    sections = (
        {key: model.objects.child_of(home).first() for key, (model, *_) in SECTIONS.items()}
        if home is not None
        else {}
    )
    if home is None or None in sections.values():
        return portal_setup(site_pages=False)
    return home, sections


@pytest.fixture
def site_pages(portal):
    """The site's own pages as setup_portal makes them, by setup key (``portal.site_pages``)."""
    portal_setup()
    return {page.setup_key: page for page in InformationPage.objects.exclude(setup_key="")}


@pytest.fixture
def home(portal):
    return portal[0]


@pytest.fixture
def sections(portal):
    return portal[1]


@pytest.fixture
def blog_index(sections):
    return sections[roles.BLOGS]


@pytest.fixture
def expert_index(sections):
    return sections[roles.EXPERT_ARTICLES]


@pytest.fixture
def story_index(sections):
    return sections[roles.EXPERIENCES]


@pytest.fixture
def question_index(sections):
    return sections[roles.QUESTIONS]


@pytest.fixture
def editor(portal):
    return UserFactory(group=roles.EDITORS, display_name="Editorial reviewer")


@pytest.fixture
def medic(portal):
    return UserFactory(group=roles.MEDICAL_REVIEWERS, display_name="Dr Medical Reviewer")


@pytest.fixture
def expert(portal):
    return UserFactory(group=roles.EXPERTS, display_name="Dr Expert")


@pytest.fixture
def member(portal):
    return UserFactory(group=roles.MEMBERS, display_name="MemberOne")


@pytest.fixture
def superuser(portal):
    return UserFactory(is_superuser=True, is_staff=True, display_name="Admin")


@pytest.fixture
def manager(portal):
    return UserFactory(group=roles.COMMUNITY_MANAGERS, display_name="Community manager")


@pytest.fixture
def community_index(portal):
    """The communities directory, parent of every community (``portal_setup`` makes it)."""
    return CommunityIndexPage.objects.get()
