"""Django's ``flush``, able to empty the append-only consent ledger on SQLite.

``flush`` empties every table; the test runner calls it after each test that
commits (transactional tests, the browser tests' live server). On SQLite it
sends ``DELETE FROM`` each table, which the ledger's trigger refuses
(``accounts/migrations/0003_consent_ledger.py``). Emptying a whole database
is a deliberate act of whoever holds the schema, so this command lifts the
ledger's triggers for the flush and puts them back, exactly as they were
(read from ``sqlite_master``), whether the flush succeeds or not.

PostgreSQL needs nothing: its flush uses ``TRUNCATE``, which fires no row
trigger.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

LEDGER_TABLE = "accounts_consentevent"


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [LEDGER_TABLE],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
