"""The default set-up (SQLite) with a web server and the background worker writing at once.

`make run` serves SQLite with `runserver` while `db_worker` writes to the same
file. SQLite's defaults answered such overlaps with "database is locked"
(HTTP 500 on "Submit for review"). This runs both for real, on a file copy of
the test database, while several members submit, comment, rate and follow in
the same instant, and then checks that every request succeeded and that every
write is stored exactly once, whole.
"""

import re
from datetime import timedelta
from http.client import HTTPConnection
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision, WorkflowState

import pytest
import requests
from django_tasks_db.models import DBTaskResult

from core.models import ContentPage
from discussion.models import PageComment
from discussion.services import PREMODERATED_COMMENTS
from ratings.models import Rating
from social.models import MemberFollow
from tests.authoring.conftest import with_consent
from tests.concurrency import (
    free_port,
    manage_py,
    queued_tasks_left,
    run_together,
    served_environment,
    sqlite_copy_from_file,
    sqlite_copy_to_file,
    wait_until,
)
from tests.discussion.conftest import add_comment
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="SQLite's file locking; PostgreSQL runs writers concurrently with row locks",
    ),
    pytest.mark.django_db(transaction=True),
]

MEMBERS = 6
# Any non-empty 32-character secret will do: the cookie and the form carry the same.
CSRF = "k" * 32
STORY_FORM = {
    "summary": "Energy is a budget.",
    "body": "## The start\n\nI was **tired** all the time.",
    "tags": "fatigue",
    "condition": "",
    "treatments": "",
    "year_of_diagnosis": "2019",
    "byline": "name",
    "audience": "everyone",  # required since issue 12
    "action": "submit",
}


def _signed_in_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


@pytest.fixture
def community(story_index, blog_index):
    """Members with a draft each, and a discussion they all took part in.

    Members of some months with visible comments behind them, so that their
    replies appear at once and each one queues notifications and emails for
    everyone else in the thread: work for the worker while the server writes.
    """
    post = BlogPageFactory(parent=blog_index, title="Pacing my energy")
    older = BlogPageFactory(parent=blog_index, title="An older post")
    starter = with_consent(UserFactory(group="Members", display_name="Starter"))
    root = add_comment(post, starter, "Does heat make it worse for you?")
    members = []
    for number in range(MEMBERS):
        member = with_consent(
            UserFactory(
                group="Members",
                display_name=f"Writer {number}",
                date_joined=timezone.now() - timedelta(days=90),
            )
        )
        ProfileFactory(user=member)
        for _ in range(PREMODERATED_COMMENTS):
            add_comment(older, member, ago=timedelta(days=2))
        add_comment(post, member, "Yes.", parent=root, ago=timedelta(days=1))
        draft = ExperienceStoryPageFactory(
            parent=story_index, author=member, publish=False, title=f"Draft {number}"
        )
        members.append((member, draft))
    return members, post, root


def _requests_for(community):
    """Each member's four presses: submit (half from the edit form), comment, rate, follow."""
    members, post, root = community
    presses = []
    for number, (member, draft) in enumerate(members):
        cookie = _signed_in_cookie(member)
        if number % 2:
            submit = (reverse("authoring:submit", args=[draft.pk]), {})
        else:
            submit = (
                reverse("authoring:edit", args=[draft.pk]),
                {**STORY_FORM, "title": f"Draft {number}, finished"},
            )
        followee = members[(number + 1) % len(members)][0]
        presses += [
            (cookie, *submit),
            (
                cookie,
                reverse("discussion:post", args=[post.pk]),
                {"comment": f"Me too, {number}", "parent": root.pk},
            ),
            (cookie, reverse("ratings:rate", args=[post.pk]), {"score": number % 5 + 1}),
            (
                cookie,
                reverse("social:member_follow", args=[followee.profile.handle]),
                {},
            ),
        ]
    return presses


def _press_all_at_once(port, presses):
    # Connect first, one after another (the development server listens with a
    # short backlog); the requests themselves leave together.
    connections = [HTTPConnection("127.0.0.1", port, timeout=120) for _ in presses]
    for http in connections:
        http.connect()

    def press(number):
        cookie, path, data = presses[number]
        http = connections[number]
        http.request(
            "POST",
            path,
            body=urlencode({**data, "csrfmiddlewaretoken": CSRF}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = http.getresponse()
        body = response.read().decode(errors="replace")
        http.close()
        return path, response.status, body

    return run_together(len(presses), press)


def _locked_message(body):
    found = re.search(r"database (table )?is locked", body)
    return found.group(0) if found else ""


def test_members_and_the_worker_write_at_once_without_errors_or_losses(community, tmp_path):
    members, post, _root = community
    presses = _requests_for(community)
    revisions_before = {draft.pk: draft.revisions.count() for _, draft in members}
    database = tmp_path / "kindred.sqlite3"
    sqlite_copy_to_file(database)
    port = free_port()
    env = served_environment(
        database=database, workdir=tmp_path, base_url=f"http://127.0.0.1:{port}"
    )

    with (
        manage_py(
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
            env=env,
            log=tmp_path / "server.log",
        ) as server,
        manage_py(
            "db_worker",
            "--backend",
            "background",
            "--queue-name",
            "*",
            "--no-reload",
            env=env,
            log=tmp_path / "worker.log",
        ) as worker,
    ):
        # A cheap page (a redirect) tells when the server listens.
        ready = wait_until(
            lambda: _status(f"http://127.0.0.1:{port}{reverse('admin_login_redirect')}"),
            what="the development server",
            processes=[server, worker],
        )
        assert ready == 302, (tmp_path / "server.log").read_text()[-3000:]
        answers = _press_all_at_once(port, presses)
        wait_until(
            lambda: queued_tasks_left(database) == 0,
            what="the worker to finish",
            processes=[server, worker],
        )

    failures = [
        (path, status, _locked_message(body)) for path, status, body in answers if status >= 400
    ]
    assert failures == [], (tmp_path / "server.log").read_text()[-3000:]

    # Read what the two processes stored.
    sqlite_copy_from_file(database)
    tasks = list(DBTaskResult.objects.values_list("status", flat=True))
    assert tasks, "the presses queued no background work: nothing ran beside them"
    assert set(tasks) == {"SUCCESSFUL"}, (tmp_path / "worker.log").read_text()[-3000:]
    for number, (member, draft) in enumerate(members):
        page = ContentPage.objects.get(pk=draft.pk)
        states = WorkflowState.objects.filter(object_id=str(page.pk))
        assert [state.status for state in states] == [WorkflowState.STATUS_IN_PROGRESS]
        # The step under review holds the newest revision: the one the member sent.
        assert states.get().current_task_state.revision_id == page.latest_revision_id
        # One press, one revision from the edit form; the Submit button sends the draft as is.
        written = (
            Revision.objects.filter(object_id=str(page.pk)).count() - revisions_before[page.pk]
        )
        assert written == (0 if number % 2 else 1)
        if not number % 2:
            assert page.latest_revision.content["title"] == f"Draft {number}, finished"
        assert PageComment.objects.filter(user=member, comment=f"Me too, {number}").count() == 1
        assert Rating.objects.get(user=member, page_id=post.pk).score == number % 5 + 1
        followee = members[(number + 1) % len(members)][0]
        assert MemberFollow.objects.filter(follower=member, followee=followee).count() == 1


def _status(url):
    """The HTTP status ``url`` answers with, or None while nothing listens there."""
    try:
        return requests.get(url, timeout=30, allow_redirects=False).status_code
    except requests.ConnectionError:
        return None
