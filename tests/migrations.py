"""Helpers for tests of data migrations: move the test database to a migration state."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to ``targets`` (``[(app, name)]``); return the apps of then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest(app_label=None):
    """The newest migrations of ``app_label`` (of every app if None), to migrate back to."""
    return [
        node
        for node in MigrationExecutor(connection).loader.graph.leaf_nodes()
        if app_label is None or node[0] == app_label
    ]
