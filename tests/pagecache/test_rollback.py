"""A page stored from rows that then roll back is never served to anyone else (issue 17,
item 10): the writer's own bumps are local to its transaction (core.versions)."""

from django.db import transaction
from django.test import Client

import pytest

from core.models import Condition
from tests.core.test_versions import RolledBack, in_another_thread
from tests.pagecache.conftest import cache_state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.pagecache.urls")]

URL = "/t/conditions/"


def visit():
    return Client().get(URL)


def test_a_page_stored_in_a_transaction_that_rolls_back_is_served_to_nobody():
    assert cache_state(visit()) == "stored"

    with pytest.raises(RolledBack), transaction.atomic():
        Condition.objects.create(name="Fibromyalgia")
        inside = visit()  # the writer's own connection reads its uncommitted row
        assert (cache_state(inside), b"Fibromyalgia" in inside.content) == ("stored", True)
        raise RolledBack

    elsewhere = in_another_thread(visit)
    assert b"Fibromyalgia" not in elsewhere.content
    assert b"Fibromyalgia" not in visit().content


def test_a_page_stored_in_a_savepoint_that_rolls_back_is_served_to_nobody():
    assert cache_state(visit()) == "stored"

    with transaction.atomic():
        with pytest.raises(RolledBack), transaction.atomic():
            Condition.objects.create(name="Fibromyalgia")
            assert b"Fibromyalgia" in visit().content
            raise RolledBack
        assert b"Fibromyalgia" not in visit().content

    assert b"Fibromyalgia" not in in_another_thread(visit).content


def test_a_page_whose_render_wrote_and_rolled_back_is_not_stored():
    """A GET that writes in a transaction of its own, which rolls back, yet answers 200."""
    assert cache_state(visit()) == "stored"
    Condition.objects.create(name="Asthma", slug="asthma")  # committed: bumps every page

    response = Client().get("/t/writes-and-rolls-back/")

    assert cache_state(response) == "miss"
    assert b"Fibromyalgia" in response.content


def test_a_committed_change_reaches_the_next_visitor_in_another_thread():
    assert cache_state(visit()) == "stored"

    with transaction.atomic():
        Condition.objects.create(name="Fibromyalgia")
        assert b"Fibromyalgia" not in in_another_thread(visit).content

    assert b"Fibromyalgia" in in_another_thread(visit).content
