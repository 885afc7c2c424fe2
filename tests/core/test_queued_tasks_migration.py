"""Tasks queued before the move (issue 11) still run after it: the rows waiting in the
database follow their code to its new module and their models to their new app."""

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

import pytest
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from tests.migrations import latest, migrate

BEFORE = [("core", "0001_initial")]


def queued(path, *args, status="READY"):
    # The task table is the same before and after: today's model writes the old rows.
    row = DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="background",
        run_after=timezone.now(),
        status=status,
    )
    return row.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_restored")
def test_queued_tasks_follow_their_code_and_models():
    migrate(BEFORE)
    email = queued("portal.mail.email_deliver", 7)
    decision = queued("portal.moderation.notifications.send_review_decision_email", 3, "approve")
    index_page = queued("search.tasks.search_index_update", "portal", "contentpage", 5)
    index_post = queued("search.tasks.search_index_delete", "blogs", "blogpage", 6)
    done = queued("search.tasks.search_index_update", "portal", "homepage", 1, status="SUCCESSFUL")

    migrate(latest())

    rows = {row.pk: row for row in DBTaskResult.objects.all()}
    for pk in (email, decision, index_page, index_post):
        # The worker loads each one as it would: by its path, then its arguments.
        assert isinstance(import_string(rows[pk].task_path), Task)
    assert rows[email].args_kwargs["args"] == [7]
    assert rows[decision].args_kwargs["args"] == [3, "approve"]
    for pk in (index_page, index_post):
        app_label, model_name, _pk = rows[pk].args_kwargs["args"]
        assert apps.get_model(app_label, model_name)
    assert rows[index_page].args_kwargs["args"] == ["core", "contentpage", 5]
    assert rows[index_post].args_kwargs["args"] == ["blogs", "blogpage", 6]
    # A task that already ran is history: its arguments stay as they were.
    assert rows[done].args_kwargs["args"] == ["portal", "homepage", 1]
