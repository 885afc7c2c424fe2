"""Issue 10, finding 13: a double click posts one comment and sends one report.

Before, the second press of "Post comment" was refused as too fast ("post it
again, your text is kept"), which led members to post the same words twice;
a second press of "Report" said "already reported". Now each form carries a
one-time token (``core.submissions``) and the repeat is answered as the
first press was.
"""

import re
import uuid

from django.test import Client
from django.urls import reverse

import pytest

from discussion.models import CommentReport, PageComment
from tests.concurrency import needs_postgresql, run_together
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory
from tests.xss import PAYLOADS

TOKEN = re.compile(r'name="submission" value="([0-9a-f-]{36})"')


def post_url(page):
    return reverse("discussion:post", args=[page.pk])


def report_url(comment):
    return reverse("discussion:report", args=[comment.pk])


@pytest.mark.django_db
def test_every_comment_form_on_a_page_has_its_own_token(client, post_page, trusted, other):
    for number in range(3):
        add_comment(post_page, other, f"Comment {number}")
    client.force_login(trusted)
    tokens = TOKEN.findall(client.get(post_page.url).content.decode())
    # The new-comment form and one reply form per comment.
    assert len(tokens) == 4
    assert len(set(tokens)) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["trusted", "commenter"])
def test_a_double_click_posts_one_comment(client, post_page, member, request):
    client.force_login(request.getfixturevalue(member))
    data = {"comment": "Thank you for this.", "submission": str(uuid.uuid4())}

    first = client.post(post_url(post_page), data)
    second = client.post(post_url(post_page), data)

    assert PageComment.objects.filter(object_pk=str(post_page.pk)).count() == 1
    # Not "too fast, post it again": the same answer as the first press.
    assert first.status_code == second.status_code == 303
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_a_repeated_fetch_post_answers_with_the_same_comment(client, post_page, trusted):
    client.force_login(trusted)
    data = {"comment": "Thank you for this.", "submission": str(uuid.uuid4())}
    headers = {"accept": "application/json"}

    first = client.post(post_url(post_page), data, headers=headers)
    second = client.post(post_url(post_page), data, headers=headers)

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert PageComment.objects.filter(object_pk=str(post_page.pk)).count() == 1


@pytest.mark.django_db
def test_a_repeated_reply_posts_one_reply(client, post_page, trusted, other):
    parent = add_comment(post_page, other, "A question")
    client.force_login(trusted)
    data = {"comment": "An answer", "parent": parent.pk, "submission": str(uuid.uuid4())}
    client.post(post_url(post_page), data)
    client.post(post_url(post_page), data)
    assert PageComment.objects.filter(parent_id=parent.pk).exclude(pk=parent.pk).count() == 1


@pytest.mark.django_db
def test_the_same_token_on_another_page_is_another_comment(client, post_page, blog_index, trusted):
    other_page = BlogPageFactory(parent=blog_index, title="Another post")
    client.force_login(trusted)
    data = {"comment": "Thank you for this.", "submission": str(uuid.uuid4())}
    client.post(post_url(post_page), data)
    response = client.post(post_url(other_page), data)
    # Refused only by the pace limit, never answered with the comment on the other page.
    assert response.status_code == 429
    assert PageComment.objects.filter(object_pk=str(other_page.pk)).count() == 0


@pytest.mark.django_db
def test_someone_elses_token_is_not_a_repeat(client, post_page, trusted, other):
    token = str(uuid.uuid4())
    client.force_login(trusted)
    client.post(post_url(post_page), {"comment": "Same words", "submission": token})
    them = Client()
    them.force_login(other)
    response = them.post(post_url(post_page), {"comment": "Same words", "submission": token})
    assert response.status_code == 303
    assert PageComment.objects.filter(comment="Same words").count() == 2
    assert PageComment.objects.get(pk=int(response["Location"].split("#c")[1])).user == other


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "nope", PAYLOADS[1], "9" * 10_000])
def test_hostile_tokens_never_break_posting(client, post_page, trusted, token):
    client.force_login(trusted)
    response = client.post(post_url(post_page), {"comment": "Fine words", "submission": token})
    assert response.status_code == 303
    assert PageComment.objects.filter(object_pk=str(post_page.pk)).count() == 1


@pytest.mark.django_db
def test_a_refused_post_keeps_its_token_free(client, post_page, trusted):
    """Nothing was posted, so pressing again after fixing the text posts it."""
    client.force_login(trusted)
    token = str(uuid.uuid4())
    refused = client.post(post_url(post_page), {"comment": "x" * 3001, "submission": token})
    assert refused.status_code == 400
    assert token in refused.content.decode()
    fixed = client.post(post_url(post_page), {"comment": "x" * 300, "submission": token})
    assert fixed.status_code == 303
    assert PageComment.objects.filter(object_pk=str(post_page.pk)).count() == 1


@pytest.mark.django_db
def test_a_double_click_on_report_is_answered_as_the_first(client, post_page, trusted, other):
    comment = add_comment(post_page, other, "Something unkind")
    client.force_login(trusted)
    form = client.get(report_url(comment)).content.decode()
    (token,) = TOKEN.findall(form)
    data = {"reason": "abusive", "text": "", "submission": token}

    first = client.post(report_url(comment), data)
    second = client.post(report_url(comment), data)

    assert first.status_code == second.status_code == 303
    assert CommentReport.objects.count() == 1


@pytest.mark.django_db
def test_a_second_report_without_the_same_token_is_still_refused(client, post_page, trusted, other):
    comment = add_comment(post_page, other, "Something unkind")
    client.force_login(trusted)
    client.post(report_url(comment), {"reason": "abusive", "submission": str(uuid.uuid4())})
    again = client.post(report_url(comment), {"reason": "spam", "submission": str(uuid.uuid4())})
    assert again.status_code == 400
    assert CommentReport.objects.count() == 1


@pytest.mark.django_db
def test_the_page_with_comment_forms_keeps_its_query_count(
    client, post_page, trusted, other, django_assert_max_num_queries
):
    client.force_login(trusted)
    for number in range(2):
        add_comment(post_page, other, f"Comment {number}")
    with django_assert_max_num_queries(40) as few:
        client.get(post_page.url)
    for number in range(2, 8):
        add_comment(post_page, other, f"Comment {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(post_page.url)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_comments_post_one(post_page, trusted):
    session = Client()
    session.force_login(trusted)
    data = {"comment": "At the same instant", "submission": str(uuid.uuid4())}

    def press(_number):
        client = Client()
        client.cookies = session.cookies
        return client.post(post_url(post_page), data)

    responses = run_together(6, press)

    assert PageComment.objects.filter(object_pk=str(post_page.pk)).count() == 1
    assert {response.status_code for response in responses} == {303}
