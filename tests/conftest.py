from types import SimpleNamespace

from django.core.cache import caches

import django_ratelimit.core
import pytest

from core import roles
from core.models import CommunityIndexPage, InformationPage
from portal.setup import portal_setup
from tests.factories import UserFactory
from tests.migrations import latest, migrate


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


@pytest.fixture
def portal(db):
    """The set-up site: ``(home, sections)`` with sections keyed like ``core.roles``.

    Without the site's own pages (about, privacy…: seven page saves, which
    would slow every test); ask for ``site_pages`` too when a test needs them.
    """
    return portal_setup(site_pages=False)


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
