"""The middleware's rules, through the whole middleware stack, with views made to break them."""

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client

import pytest

import pagecache
from core import versions
from pagecache import signals as cache_signals
from pagecache import tags as tagging
from tests.pagecache.conftest import cache_state
from tests.pagecache.urls import RENDERS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pagecache.urls")]


def twice(url, **extra):
    return Client().get(url, **extra), Client().get(url, **extra)


def test_a_marked_page_is_stored_and_served(django_assert_num_queries):
    first = Client().get("/t/public/")
    renders = RENDERS["count"]
    with django_assert_num_queries(0):
        second = Client().get("/t/public/")

    assert (cache_state(first), cache_state(second)) == ("stored", "hit")
    assert RENDERS["count"] == renders  # the view did not run again
    assert second.content == first.content


@pytest.mark.parametrize(
    "url",
    [
        "/t/unmarked/",
        "/t/cookie/",
        "/t/csrf/",
        "/t/message/",
        "/t/private/",
        "/t/vary/",
        "/t/404/",
        "/t/302/",
        "/t/stream/",
        "/t/json/",
        "/t/taken-back/",
    ],
)
def test_a_page_that_is_not_the_same_for_everyone_is_never_stored(url):
    first, second = twice(url)

    assert cache_state(first) == cache_state(second) == "miss"


def test_a_change_while_the_page_renders_keeps_it_from_being_stored():
    """The race: the epoch read before the render differs at store time."""
    first, second = twice("/t/race/")

    assert cache_state(first) == cache_state(second) == "miss"


def test_an_epoch_that_moved_during_the_render_keeps_the_page_out():
    first, second = twice("/t/epoch/")

    assert cache_state(first) == cache_state(second) == "miss"


def test_a_bump_makes_the_next_visit_render_again():
    Client().get("/t/public/")

    pagecache.invalidate(pagecache.LISTINGS)

    assert cache_state(Client().get("/t/public/")) == "stored"


def test_a_bump_of_an_unrelated_tag_keeps_the_page():
    Client().get("/t/public/")

    pagecache.invalidate(pagecache.page_tag(99))

    assert cache_state(Client().get("/t/public/")) == "hit"


def test_an_evicted_tag_version_is_a_miss_never_a_match():
    Client().get("/t/public/")

    caches["pages"].delete(tagging.tag_key(pagecache.LISTINGS))

    assert cache_state(Client().get("/t/public/")) == "stored"


@pytest.mark.parametrize(
    "cookie", [settings.SESSION_COOKIE_NAME, "messages", "kindred_rater"], ids=str
)
def test_a_browser_with_a_cookie_that_changes_the_page_is_never_served_a_stored_one(cookie):
    Client().get("/t/public/")
    browser = Client()
    browser.cookies[cookie] = "anything"

    response = browser.get("/t/public/")

    assert cache_state(response) == "bypass"


def test_a_csrf_cookie_alone_does_not_keep_a_visitor_from_the_cache():
    Client().get("/t/public/")
    browser = Client()
    browser.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32

    assert cache_state(browser.get("/t/public/")) == "hit"


def test_posts_are_never_served_from_the_cache():
    Client().get("/t/public/")

    assert cache_state(Client().post("/t/public/")) == "bypass"


def test_an_overlong_address_is_served_but_not_stored():
    url = "/t/public/?q=" + "a" * 2000

    assert cache_state(Client().get(url)) == "bypass"


def test_a_bump_inside_a_transaction_is_the_writers_own_until_it_is_published_at_commit(
    django_capture_on_commit_callbacks,
):
    keys = [tagging.tag_key(pagecache.ALL), tagging.tag_key(pagecache.LISTINGS)]
    caches["pages"].set_many(dict.fromkeys(keys, "before"), None)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        pagecache.invalidate(pagecache.ALL)
        pagecache.invalidate(pagecache.ALL, pagecache.LISTINGS)
        pagecache.invalidate(pagecache.ALL)
        # The writer's thread reads its own versions; the shared cache is untouched.
        assert set(versions.current(keys).values()).isdisjoint({"before"})
        assert caches["pages"].get_many(keys) == dict.fromkeys(keys, "before")

    # At commit: one callback publishes every tag, once.
    assert len(callbacks) == 1
    published = caches["pages"].get_many(keys)
    assert set(published.values()).isdisjoint({"before"})
    assert not any(value.startswith(versions.LOCAL) for value in published.values())


def test_a_page_stored_inside_the_writers_transaction_is_bumped_again(monkeypatch):
    """The writer's own connection reads its uncommitted rows: a page it stored after the
    first bump must not survive the next change in the same transaction."""
    with transaction.atomic():
        pagecache.invalidate(pagecache.LISTINGS)
        assert cache_state(Client().get("/t/public/")) == "stored"
        pagecache.invalidate(pagecache.LISTINGS)
        assert cache_state(Client().get("/t/public/")) == "stored"


def test_the_ignore_list_names_real_models():
    from django.apps import apps

    labels = {model._meta.label for model in apps.get_models()}
    # Wagtail defines its FTS5 index table only when the database is SQLite.
    sqlite_only = {"wagtailsearch.SQLiteFTSIndexEntry"}
    assert labels >= cache_signals.IGNORED - sqlite_only
    assert (labels >= sqlite_only) == (connection.vendor == "sqlite")
    assert set(cache_signals.PAGE_SCOPED) <= labels


def test_a_model_nobody_listed_bumps_everything(portal):
    from core.models import Condition

    Client().get("/t/public/")

    Condition.objects.create(name="Fibromyalgia")

    assert cache_state(Client().get("/t/public/")) == "stored"


def test_an_ignored_model_bumps_nothing(member):
    from audit.models import AccessRecord

    key = tagging.tag_key(pagecache.ALL)
    before = versions.current([key])[key]
    field_names = {field.name for field in AccessRecord._meta.get_fields()}
    assert "subject" in field_names or "member" in field_names or field_names

    cache_signals._saved(AccessRecord, AccessRecord())
    cache_signals._deleted(AccessRecord, AccessRecord())

    assert versions.current([key])[key] == before


def test_static_files_are_left_to_whitenoise():
    response = Client().get(settings.STATIC_URL + "css/site.css")

    assert cache_state(response) == "bypass"


def test_the_deploy_command_invalidates_every_stored_page():
    import io

    from django.core.management import call_command

    Client().get("/t/public/")

    call_command("pagecache_invalidate", stdout=io.StringIO())

    assert cache_state(Client().get("/t/public/")) == "stored"
