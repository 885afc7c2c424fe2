"""Posting: plain text with safe links, the length limit, the pace limits, CSRF, bad input."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from discussion.models import PageComment
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def _post(client, page, text, **extra):
    return client.post(reverse("discussion:post", args=[page.pk]), {"comment": text, **extra})


def _post_json(client, page, text):
    return client.post(
        reverse("discussion:post", args=[page.pk]),
        {"comment": text},
        headers={"accept": "application/json"},
    )


def test_text_is_plain_and_links_are_nofollow_ugc(client, post_page, trusted):
    client.force_login(trusted)
    _post(client, post_page, "See https://www.mssociety.org.uk/care and <b>not bold</b>\nline two")

    soup = BeautifulSoup(client.get(post_page.url).content, "html.parser")
    text = soup.select_one("#comments .comment-text")
    link = text.find("a")

    assert link["href"] == "https://www.mssociety.org.uk/care"
    assert set(link["rel"]) == {"nofollow", "ugc", "noopener"}
    assert text.find("b") is None
    assert "<b>not bold</b>" in text.get_text()
    assert text.find("br") is not None


def test_3000_characters_are_accepted_and_3001_refused_with_a_clear_message(
    client, post_page, trusted
):
    client.force_login(trusted)

    too_long = _post(client, post_page, "x" * 3001)
    just_right = _post(client, post_page, "y" * 3000)

    assert too_long.status_code == 400
    message = BeautifulSoup(too_long.content, "html.parser").select_one(".errorlist").get_text()
    assert "at most 3,000 characters" in message
    assert "3,001" in message
    # The text comes back for the member to shorten.
    assert "x" * 3001 in too_long.content.decode()
    assert just_right.status_code == 303
    assert PageComment.objects.filter(comment="y" * 3000).exists()
    assert not PageComment.objects.filter(comment__startswith="x").exists()


def test_length_error_as_json_for_fetch(client, post_page, trusted):
    client.force_login(trusted)

    response = _post_json(client, post_page, "x" * 3001)

    assert response.status_code == 400
    assert "3,000" in response.json()["errors"]["comment"][0]


def test_blank_comment_is_refused(client, post_page, trusted):
    client.force_login(trusted)

    response = _post(client, post_page, " \n\u202e\u200f\t ")

    assert response.status_code == 400
    assert "Write something" in response.content.decode()
    assert not PageComment.objects.filter(object_pk=str(post_page.pk)).exists()


def test_established_member_posts_once_every_10_seconds(client, post_page, trusted):
    client.force_login(trusted)

    first = _post(client, post_page, "First")
    second = _post(client, post_page, "Second, too soon")

    assert first.status_code == 303
    assert second.status_code == 429
    html = second.content.decode()
    assert "You can post a comment every 10 seconds." in html
    assert "Second, too soon" in html  # kept for the member
    assert not PageComment.objects.filter(comment="Second, too soon").exists()

    # Ten seconds later it is fine.
    PageComment.objects.filter(comment="First").update(
        submit_date=PageComment.objects.get(comment="First").submit_date - timedelta(seconds=11)
    )
    assert _post(client, post_page, "Third, after a pause").status_code == 303


def test_throttle_answers_json_429_for_fetch(client, post_page, trusted):
    client.force_login(trusted)
    _post_json(client, post_page, "First")

    response = _post_json(client, post_page, "Again")

    assert response.status_code == 429
    assert "every 10 seconds" in response.json()["error"]


def test_new_member_waits_30_seconds(client, post_page, commenter):
    client.force_login(commenter)
    add_comment(post_page, commenter, "Twenty seconds ago", ago=timedelta(seconds=20))

    response = _post(client, post_page, "Too soon for a new member")

    assert response.status_code == 429
    assert "every 30 seconds while you are new to Kindred" in response.content.decode()


def test_new_member_posts_at_most_5_comments_an_hour(client, post_page, commenter):
    for minutes in (50, 40, 30, 20, 10):
        add_comment(post_page, commenter, f"{minutes} minutes ago", ago=timedelta(minutes=minutes))
    client.force_login(commenter)

    response = _post(client, post_page, "The sixth this hour")

    assert response.status_code == 429
    assert "5 comments an hour" in response.content.decode()
    # An hour on, the oldest no longer counts.
    PageComment.objects.filter(comment="50 minutes ago").update(
        submit_date=PageComment.objects.get(comment="50 minutes ago").submit_date
        - timedelta(minutes=15)
    )
    assert _post(client, post_page, "The fifth this hour").status_code == 303


def test_member_with_something_published_is_not_new(client, post_page, blog_index, commenter):
    BlogPageFactory(parent=blog_index, author=commenter)
    add_comment(post_page, commenter, "Twenty seconds ago", ago=timedelta(seconds=20))
    client.force_login(commenter)

    assert _post(client, post_page, "Not new any more").status_code == 303


def test_posting_needs_csrf(post_page, trusted):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trusted)

    response = _post(client, post_page, "Forged from elsewhere")

    assert response.status_code == 403
    assert not PageComment.objects.filter(object_pk=str(post_page.pk)).exists()


def test_posting_with_the_csrf_token_works(post_page, trusted):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trusted)
    page = client.get(post_page.url)
    token = BeautifulSoup(page.content, "html.parser").select_one(
        "#comments input[name=csrfmiddlewaretoken]"
    )["value"]

    response = _post(client, post_page, "With the token", csrfmiddlewaretoken=token)

    assert response.status_code == 303
    assert PageComment.objects.filter(comment="With the token").exists()


def test_get_on_the_post_endpoint_changes_nothing(client, post_page, trusted):
    client.force_login(trusted)

    response = client.get(reverse("discussion:post", args=[post_page.pk]), {"comment": "x"})

    assert response.status_code == 405
    assert not PageComment.objects.filter(object_pk=str(post_page.pk)).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"comment": "ok", "parent": "not-a-number"},
        {"comment": "ok", "parent": "-1"},
        {"comment": "ok", "parent": str(2**63)},
        {"comment": "ok", "parent": "1e5"},
        {"comment": ["one", "two"]},
        {"comment": "nul\x00byte", "parent": "\x00"},
        {},
    ],
)
def test_bad_input_is_a_400_never_a_500(client, post_page, trusted, data):
    client.force_login(trusted)

    response = client.post(reverse("discussion:post", args=[post_page.pk]), data)

    assert response.status_code in (303, 400)


@pytest.mark.parametrize("page_id", ["0", "99999999999", str(2**31)])
def test_huge_or_zero_page_ids_are_404(client, trusted, page_id):
    client.force_login(trusted)

    response = client.post(f"/comments/{page_id}/", {"comment": "hello"})

    assert response.status_code == 404


def test_json_success_says_where_the_comment_is(client, post_page, trusted):
    client.force_login(trusted)

    response = _post_json(client, post_page, "Via fetch")

    assert response.status_code == 201
    data = response.json()
    comment = PageComment.objects.get(comment="Via fetch")
    assert data["id"] == comment.pk
    assert data["url"].endswith(f"#c{comment.pk}")
    assert data["state"] == "visible"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("discussion:report", {"reason": "spam\x00", "text": "a\x00b"}),
        ("discussion:report", {"reason": ["spam", "abusive"], "text": "t" * 100_000}),
        ("discussion:edit", {"comment": "nul\x00"}),
        ("discussion:edit", {"comment": "e" * 100_000}),
    ],
)
def test_hostile_input_to_report_and_edit_is_a_400(client, post_page, trusted, other, name, data):
    theirs = add_comment(post_page, other, "Theirs")
    mine = add_comment(post_page, trusted, "Mine", ago=timedelta(minutes=1))
    client.force_login(trusted)
    target = theirs if name == "discussion:report" else mine

    response = client.post(reverse(name, args=[target.pk]), data)

    assert response.status_code == 400
    assert PageComment.objects.get(pk=mine.pk).comment == "Mine"


@pytest.mark.parametrize("token", ["nul\x00byte", "a" * 5000, "..%2F..%2Fadmin"])
def test_hostile_mute_tokens_are_a_400(client, token):
    response = client.post(f"/comments/mute/{token}/")

    assert response.status_code in (400, 404)
