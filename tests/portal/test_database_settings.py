"""SQLite is set up for a web server and a worker writing at once; other engines are left alone."""

from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

import dj_database_url
import pytest

from portal.settings.base import SQLITE_BUSY_TIMEOUT, with_sqlite_concurrency

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="checks the SQLite connection the suite runs on"
)


def test_postgresql_keeps_its_own_options():
    database = dj_database_url.parse(
        "postgres://kindred:secret@127.0.0.1:5432/kindred?sslmode=require", conn_max_age=60
    )

    assert with_sqlite_concurrency(database) == database
    assert database["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_gets_wal_a_busy_timeout_and_immediate_transactions():
    database = with_sqlite_concurrency(dj_database_url.parse("sqlite:////tmp/kindred.sqlite3"))

    assert database["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
    }


@on_sqlite
def test_a_new_sqlite_file_opens_in_wal_with_a_busy_timeout(tmp_path, django_db_blocker):
    # The settings in force (base.py via test.py), on a new file as `make run` uses.
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "db")})
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            pragmas = {
                name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "busy_timeout")
            }
        wrapper.close()

    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "busy_timeout": SQLITE_BUSY_TIMEOUT * 1000,
    }
    assert wrapper.transaction_mode == "IMMEDIATE"
