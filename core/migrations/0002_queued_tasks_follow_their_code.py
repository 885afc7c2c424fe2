"""Background tasks queued before the move (issue 11) name code that moved.

The worker imports a queued task by its dotted path and looks models up by app label.
A task queued before the upgrade (an email waiting to be sent, a review decision not
yet told, a page waiting to be indexed) would otherwise fail to load after it, and the
email or index entry would be lost. So every row still waiting follows its code, and
rows already run or failed say where their code lives now (retry reads the path).
"""

from django.db import migrations

MOVED_TASKS = {
    "portal.mail.email_deliver": "core.mail.email_deliver",
    "portal.moderation.notifications.send_review_decision_email": (
        "social.notifications.tasks.send_review_decision_email"
    ),
}
SEARCH_TASKS = ("search.tasks.search_index_update", "search.tasks.search_index_delete")
MOVED_APP_LABELS = {"portal": "core"}  # the indexed content models moved to core


def _follow(apps, tasks, app_labels):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in tasks.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)
    for row in DBTaskResult.objects.filter(task_path__in=SEARCH_TASKS, status="READY"):
        args = row.args_kwargs.get("args") or []
        if args and args[0] in app_labels:
            args[0] = app_labels[args[0]]
            row.save(update_fields=["args_kwargs"])


def forwards(apps, schema_editor):
    _follow(apps, MOVED_TASKS, MOVED_APP_LABELS)


def backwards(apps, schema_editor):
    _follow(
        apps,
        {new: old for old, new in MOVED_TASKS.items()},
        {new: old for old, new in MOVED_APP_LABELS.items()},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        (
            "django_tasks_database",
            "0019_rename_django_task_new_ordering_idx_tasks_db_new_ordering_idx_and_more",
        ),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
