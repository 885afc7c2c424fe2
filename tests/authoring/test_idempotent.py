"""Issue 10, finding 13: a double click on a writing form creates one item, not two.

Each form carries a one-time token (``core.submissions``); the same
submission received again is answered with the item the first one saved.
"""

import re
import uuid

from django.test import Client

from wagtail.models import WorkflowState

import pytest

from blogs.models import BlogPage
from core.models import SubmissionReceipt
from tests.authoring.conftest import with_consent
from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory
from tests.xss import PAYLOADS

WRITE_BLOG = "/write/blog/"
TOKEN = re.compile(r'<input type="hidden" name="submission" value="([0-9a-f-]{36})"')


def blog_form(**changes):
    return {
        "title": "Pacing my week",
        "summary": "Short.",
        "body": "Rest first.",
        "audience": "everyone",
        **changes,
    }


def token_from(client, url=WRITE_BLOG):
    (token,) = TOKEN.findall(client.get(url).content.decode())
    return token


@pytest.mark.django_db
def test_the_form_carries_a_fresh_hidden_token_each_time(client, writer):
    client.force_login(writer)
    first, second = token_from(client), token_from(client)
    assert first != second
    html = client.get(WRITE_BLOG).content.decode()
    # Hidden, and not shown as a labelled field.
    assert ">Submission<" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["save", "preview", "submit"])
def test_two_identical_posts_create_one_item(client, writer, action):
    client.force_login(writer)
    data = blog_form(submission=token_from(client), action=action)

    first = client.post(WRITE_BLOG, data)
    second = client.post(WRITE_BLOG, data)

    assert BlogPage.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    page = BlogPage.objects.get()
    assert WorkflowState.objects.filter(object_id=str(page.pk)).count() == (
        1 if action == "submit" else 0
    )
    assert page.revisions.count() == 1


@pytest.mark.django_db
def test_a_repeat_with_another_button_creates_nothing_more(client, writer):
    """Save, then Submit at once on the same form: still one item, and it is not sent twice."""
    client.force_login(writer)
    token = token_from(client)
    client.post(WRITE_BLOG, blog_form(submission=token, action="save"))
    response = client.post(WRITE_BLOG, blog_form(submission=token, action="submit"))
    assert BlogPage.objects.count() == 1
    assert response.status_code == 302
    assert not WorkflowState.objects.exists()


@pytest.mark.django_db
def test_a_double_click_on_an_edit_saves_one_revision(client, writer):
    client.force_login(writer)
    client.post(WRITE_BLOG, blog_form(submission=token_from(client), action="save"))
    page = BlogPage.objects.get()
    edit_url = f"/me/contributions/{page.pk}/edit/"
    data = blog_form(title="Pacing my month", submission=token_from(client, edit_url))
    client.post(edit_url, {**data, "action": "save"})
    client.post(edit_url, {**data, "action": "save"})
    assert page.revisions.count() == 2


@pytest.mark.django_db
def test_other_words_on_the_same_form_are_a_new_item(client, writer):
    """The token names one submission of one text; it does not swallow a different one."""
    client.force_login(writer)
    token = token_from(client)
    client.post(WRITE_BLOG, blog_form(submission=token, action="save"))
    client.post(WRITE_BLOG, blog_form(title="Another post", submission=token, action="save"))
    assert BlogPage.objects.count() == 2


@pytest.mark.django_db
def test_someone_elses_token_answers_as_a_new_token(client, writer, other_writer):
    """Another member's token makes the replayer's own item and shows nothing of theirs."""
    client.force_login(writer)
    token = token_from(client)
    client.post(WRITE_BLOG, blog_form(submission=token, action="save"))
    theirs = BlogPage.objects.get()
    other = Client()
    other.force_login(other_writer)

    response = other.post(WRITE_BLOG, blog_form(submission=token, action="save"))

    assert BlogPage.objects.count() == 2
    mine = BlogPage.objects.exclude(pk=theirs.pk).get()
    assert mine.owner == other_writer
    assert response["Location"] == f"/me/contributions/{mine.pk}/edit/"


@pytest.mark.django_db
def test_a_repeat_after_the_item_was_deleted_creates_nothing(client, writer):
    client.force_login(writer)
    data = blog_form(submission=token_from(client), action="save")
    client.post(WRITE_BLOG, data)
    BlogPage.objects.get().delete()
    response = client.post(WRITE_BLOG, data)
    assert response.status_code == 302
    assert response["Location"] == "/me/contributions/"
    assert not BlogPage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", PAYLOADS[0], "1" * 10_000, str(uuid.uuid4()).upper()],
    # Named: a fresh uuid each run, and pytest-xdist's workers must collect the same names.
    ids=["empty", "not-a-token", "markup", "oversized", "unknown-uuid"],
)
def test_hostile_tokens_never_break_saving(client, writer, token):
    client.force_login(writer)
    response = client.post(WRITE_BLOG, blog_form(submission=token, action="save"))
    assert response.status_code == 302
    assert BlogPage.objects.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in html


@pytest.mark.django_db
def test_a_post_without_a_token_still_works(client, writer):
    client.force_login(writer)
    assert client.post(WRITE_BLOG, blog_form(action="save")).status_code == 302
    assert BlogPage.objects.count() == 1
    assert not SubmissionReceipt.objects.exists()


@pytest.mark.django_db
def test_the_writing_form_queries_stay_few(client, writer, django_assert_max_num_queries):
    client.force_login(writer)
    for number in range(3):
        client.post(WRITE_BLOG, blog_form(title=f"Post {number}", submission=token_from(client)))
    with django_assert_max_num_queries(12):
        response = client.get(WRITE_BLOG)
    assert response.status_code == 200


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_posts_create_one_item(writer):
    session = Client()
    session.force_login(writer)
    data = blog_form(submission=str(uuid.uuid4()), action="submit")

    def press(_number):
        client = Client()
        client.cookies = session.cookies
        return client.post(WRITE_BLOG, data)

    responses = run_together(6, press)

    assert BlogPage.objects.count() == 1
    page = BlogPage.objects.get()
    assert {response.status_code for response in responses} == {302}
    assert WorkflowState.objects.filter(object_id=str(page.pk)).count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_members_creating_same_titled_items_at_once_each_get_their_own(portal):
    """Different members, the same title, the same instant: no 500, one item each.

    Before the section was locked, they picked the same free address (or tree
    path) and all but one save failed with a 500.
    """
    writers = [
        with_consent(UserFactory(group="Members", display_name=f"Writer {n}")) for n in range(6)
    ]
    sessions = []
    for writer in writers:
        client = Client()
        client.force_login(writer)
        sessions.append(client.cookies)

    def press(number):
        client = Client()
        client.cookies = sessions[number]
        return client.post(WRITE_BLOG, blog_form(action="save"))

    responses = run_together(len(writers), press)

    assert [response.status_code for response in responses] == [302] * len(writers)
    slugs = list(BlogPage.objects.values_list("slug", flat=True))
    assert len(slugs) == len(writers)
    assert len(set(slugs)) == len(writers)
