"""The shared cache on a real Redis (issue 17): throttle counters and public pages live
there, not in the memory of the process that made them.

Each test points Django's default cache at the Redis that KINDRED_TEST_REDIS_URL (or
REDIS_URL) names, under a key prefix of its own that is deleted afterwards; it never
clears the whole database (someone's site may share it). A "fresh process" is Django's
cache handler built anew from the settings: nothing of the previous one's memory is left.
Skipped without Redis; failed when KINDRED_REQUIRE_REDIS=1 (CI).
"""

from django.core.cache import caches
from django.test import Client, RequestFactory

import pytest
import redis
from django_ratelimit.core import is_ratelimited

from pagecache.middleware import HEADER, entry_key
from portal.settings.base import redis_cache
from tests.factories import BlogPageFactory
from tests.factories.users import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOCAL_MEMORY = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}


@pytest.fixture
def on_redis(settings, redis_url, redis_prefix):
    """Django's default cache is Redis, as with REDIS_URL in production."""
    settings.CACHES = {
        "default": redis_cache(redis_url, key_prefix=redis_prefix),
        "pages": redis_cache(redis_url, key_prefix=redis_prefix),
    }
    assert type(caches["default"]).__name__ == "RedisCache"
    return settings


def keys_in_redis(url, prefix):
    client = redis.Redis.from_url(url)
    try:
        return [key.decode() for key in client.scan_iter(match=f"{prefix}:*")]
    finally:
        client.close()


def as_a_fresh_process(settings, caches_setting):
    """Build the cache handler anew (a process started now), from ``caches_setting``."""
    settings.CACHES = caches_setting


def wrong_password(client, login):
    return client.post("/accounts/login/", {"login": login, "password": "not the password"})


def test_failed_sign_ins_are_counted_in_redis_not_in_the_process(on_redis, member):
    redis_setting = on_redis.CACHES
    for _ in range(6):
        assert wrong_password(Client(REMOTE_ADDR="203.0.113.9"), member.email).status_code == 200
    assert wrong_password(Client(REMOTE_ADDR="203.0.113.9"), member.email).status_code == 429

    # A process with only its own memory has counted nothing...
    as_a_fresh_process(on_redis, LOCAL_MEMORY)
    assert wrong_password(Client(REMOTE_ADDR="203.0.113.9"), member.email).status_code == 200

    # ...a new one on the shared Redis refuses at once, even the right password.
    as_a_fresh_process(on_redis, redis_setting)
    right = Client(REMOTE_ADDR="203.0.113.9").post(
        "/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}
    )
    assert right.status_code == 429
    # Another address is not held back by this one's failures.
    other = Client(REMOTE_ADDR="198.51.100.20").post(
        "/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}
    )
    assert other.status_code == 302


def test_django_ratelimit_counts_in_redis_across_processes(on_redis):
    request = RequestFactory().post("/comments/", REMOTE_ADDR="203.0.113.10")

    def limited():
        return is_ratelimited(
            request, group="deploy-test", key="ip", rate="3/m", method="POST", increment=True
        )

    assert [limited() for _ in range(3)] == [False, False, False]
    as_a_fresh_process(on_redis, dict(on_redis.CACHES))
    assert limited() is True


def test_a_visitors_page_is_stored_in_redis_served_from_it_and_invalidated(
    on_redis, redis_url, redis_prefix, blog_index, member, django_capture_on_commit_callbacks
):
    item = BlogPageFactory(parent=blog_index, author=member, title="Pacing on busy days")
    first = Client().get(item.url)
    assert first.status_code == 200
    assert first[HEADER] == "stored"
    assert keys_in_redis(redis_url, redis_prefix), "nothing was written to Redis"

    as_a_fresh_process(on_redis, dict(on_redis.CACHES))
    again = Client().get(item.url)
    assert again[HEADER] == "hit"
    assert again.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        item.unpublish()
    as_a_fresh_process(on_redis, dict(on_redis.CACHES))

    assert Client().get(item.url).status_code == 404
    section = Client().get(blog_index.url)
    assert b"Pacing on busy days" not in section.content


def test_a_signed_in_members_page_is_never_written_to_redis(on_redis, blog_index, member):
    item = BlogPageFactory(parent=blog_index, author=member, title="Cold hands in winter")
    client = Client()
    client.force_login(member)

    response = client.get(item.url)

    assert response.status_code == 200
    assert b"/accounts/logout/" in response.content
    assert response.get(HEADER, "") != "stored"
    # Nothing under the address's entry in Redis (a fresh handler reads it there).
    as_a_fresh_process(on_redis, dict(on_redis.CACHES))
    assert caches["pages"].get(entry_key(RequestFactory().get(item.url))) is None
    # The next visitor gets a page rendered for visitors, without the member's name.
    visitor = Client().get(item.url)
    assert visitor[HEADER] == "stored"
    assert b"/accounts/logout/" not in visitor.content
    # ...and that is what the entry checked above now holds (the check could see one).
    assert caches["pages"].get(entry_key(RequestFactory().get(item.url))) is not None
