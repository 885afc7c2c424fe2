"""The "background" task backend: work is stored, then done by the real worker.

The rest of the suite runs background tasks at once (test settings); these
tests switch back to the database backend that production and `make run` use,
and run `manage.py db_worker` itself, to prove the queue and the worker work.
"""

from django.core import mail
from django.urls import reverse

import pytest
from django_tasks_db.models import DBTaskResult

from tests.concurrency import DATABASE_BACKGROUND, run_background_worker
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import UserFactory

# The worker takes its own transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@DATABASE_BACKGROUND
def test_a_reply_email_waits_for_the_worker_then_is_sent(
    client, post_page, trusted, django_capture_on_commit_callbacks
):
    starter = with_consent(UserFactory(group="Members", display_name="Starter Sam"))
    root = add_comment(post_page, starter, "Does heat make it worse for you?")
    client.force_login(trusted)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussion:post", args=[post_page.pk]),
            {"comment": "Yes, every summer.", "parent": root.pk},
        )

    assert response.status_code == 303
    # The request only queued the work.
    assert mail.outbox == []
    queued = DBTaskResult.objects.get(task_path__endswith="send_reply_notifications")
    assert queued.status == "READY"
    # Each comment is scanned for adverse events in the background too (safety).
    assert DBTaskResult.objects.filter(task_path__endswith="scan_comment").count() == 2

    run_background_worker()

    assert [message.to for message in mail.outbox] == [[starter.email]]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
