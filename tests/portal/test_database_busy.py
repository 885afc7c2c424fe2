"""A database that stays busy longer than a request waits: 503 with Retry-After, never a 500."""

import json

from django.db import IntegrityError, OperationalError
from django.test import RequestFactory

import pytest

from portal.middleware import RETRY_AFTER_SECONDS, DatabaseBusyMiddleware, is_database_busy
from tests.factories import BlogPageFactory

factory = RequestFactory()


def answer(request, error):
    return DatabaseBusyMiddleware(lambda request: None).process_exception(request, error)


class PostgresError(Exception):
    """Stands for a psycopg error: what Django's OperationalError wraps, with its SQLSTATE."""

    def __init__(self, sqlstate):
        super().__init__("could not serialize access")
        self.sqlstate = sqlstate


def wrapped(sqlstate):
    error = OperationalError("could not serialize access")
    error.__cause__ = PostgresError(sqlstate)
    return error


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("database table is locked: wagtailcore_revision"),
        wrapped("40001"),  # serialization failure
        wrapped("40P01"),  # deadlock detected
        wrapped("55P03"),  # lock not available
    ],
)
def test_busy_database_errors_are_recognised(error):
    assert is_database_busy(error)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("no such table: portal_contentpage"),
        OperationalError("disk I/O error"),
        wrapped("42P01"),  # undefined table
        IntegrityError("UNIQUE constraint failed"),
        ValueError("database is locked"),
    ],
)
def test_other_errors_stay_errors(error):
    assert not is_database_busy(error)
    assert answer(factory.post("/ratings/1/"), error) is None


@pytest.mark.django_db
def test_a_form_that_met_a_busy_database_says_nothing_was_saved(django_assert_num_queries):
    # Rendered without touching the database: it is the thing that is busy.
    with django_assert_num_queries(0):
        response = answer(
            factory.post("/me/contributions/1/submit/"), OperationalError("database is locked")
        )

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<title>Please try again in a moment" in html
    assert "was not saved, not even in part" in html
    assert "send it again in a few seconds" in html


def test_a_page_that_met_a_busy_database_asks_to_reload():
    response = answer(factory.get("/blogs/"), OperationalError("database is locked"))

    assert response.status_code == 503
    assert "reload this page in a few seconds" in response.content.decode()


@pytest.mark.django_db
def test_scripts_get_json(django_assert_num_queries):
    request = factory.post("/ratings/1/", headers={"Accept": "application/json"})

    with django_assert_num_queries(0):
        response = answer(request, OperationalError("database is locked"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "try again" in json.loads(response.content)["error"]


@pytest.mark.django_db
def test_through_the_whole_stack_a_busy_database_is_a_503(client, member, blog_index, monkeypatch):
    # Any view: here the rating endpoint, whose write meets the busy database.
    from ratings import views as rating_views

    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(rating_views, "rating_upsert", busy)
    post = BlogPageFactory(parent=blog_index)
    client.force_login(member)

    response = client.post(f"/ratings/{post.pk}/", {"score": 4})

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "not saved" in response.content.decode()
