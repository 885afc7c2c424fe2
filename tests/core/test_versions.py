"""core.versions: a value cached inside a transaction that rolls back is never read by anyone
(issue 17, item 10), through core.fragments, the versions' first user."""

import threading

from django.db import connections, transaction

import pytest

from core import fragments, versions


class RolledBack(Exception):
    pass


def in_another_thread(function):
    """``function()`` run by another thread, on its own database connection."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def policy(computed: str):
    return fragments.cached("test-policy", "site", lambda: computed)


@pytest.mark.django_db(transaction=True)
def test_a_fragment_cached_in_a_transaction_that_rolls_back_is_read_by_nobody():
    assert policy("committed") == "committed"

    with pytest.raises(RolledBack), transaction.atomic():
        fragments.bump("test-policy")  # a write of the policy's rows
        assert policy("rolled back") == "rolled back"  # the writer reads its own rows
        raise RolledBack

    assert in_another_thread(lambda: policy("recomputed")) == "committed"
    assert policy("recomputed") == "committed"


@pytest.mark.django_db(transaction=True)
def test_a_fragment_cached_in_a_savepoint_that_rolls_back_is_read_by_nobody():
    assert policy("committed") == "committed"

    with transaction.atomic():
        with pytest.raises(RolledBack), transaction.atomic():
            fragments.bump("test-policy")
            assert policy("rolled back") == "rolled back"
            raise RolledBack
        # Back in the outer transaction: the savepoint's rows are gone, so is its version.
        assert policy("recomputed") == "committed"

    assert in_another_thread(lambda: policy("recomputed")) == "committed"


@pytest.mark.django_db(transaction=True)
def test_a_committed_bump_is_published_to_every_thread():
    assert policy("before") == "before"

    with transaction.atomic():
        fragments.bump("test-policy")
        assert policy("after") == "after"
        # Not yet published: another connection cannot read the new rows either.
        assert in_another_thread(lambda: policy("too early")) == "before"

    assert in_another_thread(lambda: policy("recomputed")) == "recomputed"


@pytest.mark.django_db
def test_a_savepoint_rolled_back_leaves_the_outer_transactions_own_version():
    key = "kindred:test:version"
    versions.bump(key)
    outer = versions.current([key])[key]

    with pytest.raises(RolledBack), transaction.atomic():
        versions.bump(key)
        assert versions.current([key])[key] != outer
        raise RolledBack

    assert versions.current([key])[key] == outer
    assert outer.startswith(versions.LOCAL)


@pytest.mark.django_db
def test_many_bumps_in_one_transaction_register_one_publish(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(50):
            versions.bump("kindred:test:a", "kindred:test:b")

    assert len(callbacks) == 1
