"""Members change their own comments for 15 minutes, nobody else's, always by POST."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

import pytest

from discussion.models import PageComment
from tests.discussion.conftest import add_comment, same_answer

pytestmark = pytest.mark.django_db


def _edit(client, comment, text):
    return client.post(reverse("discussion:edit", args=[comment.pk]), {"comment": text})


def test_own_comment_can_be_changed_within_15_minutes(client, post_page, trusted):
    comment = add_comment(post_page, trusted, "Typo here", ago=timedelta(minutes=14))
    client.force_login(trusted)

    form = client.get(reverse("discussion:edit", args=[comment.pk]))
    response = _edit(client, comment, "No typo here")

    assert form.status_code == 200 and "Typo here" in form.content.decode()
    assert response.status_code == 303
    assert response.url.endswith(f"#c{comment.pk}")
    comment.refresh_from_db()
    assert comment.comment == "No typo here"
    assert comment.edited_at is not None
    assert comment.is_public
    assert "(edited)" in client.get(post_page.url).content.decode()


def test_after_15_minutes_the_change_is_refused_with_a_message(client, post_page, trusted):
    comment = add_comment(post_page, trusted, "Set in stone", ago=timedelta(minutes=16))
    client.force_login(trusted)

    response = _edit(client, comment, "Changed too late")

    assert response.status_code == 403
    assert "15 minutes after posting" in response.content.decode()
    comment.refresh_from_db()
    assert comment.comment == "Set in stone"
    assert "Edit</a>" not in client.get(post_page.url).content.decode()


def test_the_edit_link_shows_only_on_own_recent_comments(client, post_page, trusted, other):
    mine = add_comment(post_page, trusted, "Mine", ago=timedelta(minutes=1))
    theirs = add_comment(post_page, other, "Theirs", ago=timedelta(minutes=1))
    client.force_login(trusted)

    html = client.get(post_page.url).content.decode()

    assert reverse("discussion:edit", args=[mine.pk]) in html
    assert reverse("discussion:edit", args=[theirs.pk]) not in html


def test_someone_elses_comment_is_404_like_a_missing_one(client, post_page, trusted, other):
    theirs = add_comment(post_page, other, "Not yours", ago=timedelta(minutes=1))
    client.force_login(trusted)

    forged = _edit(client, theirs, "Hijacked")
    missing = client.post(reverse("discussion:edit", args=[999999]), {"comment": "x"})

    assert forged.status_code == 404
    assert same_answer(forged, missing)
    theirs.refresh_from_db()
    assert theirs.comment == "Not yours"


def test_edit_needs_post_and_csrf(post_page, trusted):
    comment = add_comment(post_page, trusted, "Original", ago=timedelta(minutes=1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(trusted)

    response = _edit(client, comment, "Forged")
    client.get(reverse("discussion:edit", args=[comment.pk]), {"comment": "Via GET"})

    assert response.status_code == 403
    assert PageComment.objects.get(pk=comment.pk).comment == "Original"


def test_edit_keeps_the_length_limit(client, post_page, trusted):
    comment = add_comment(post_page, trusted, "Original", ago=timedelta(minutes=1))
    client.force_login(trusted)

    response = _edit(client, comment, "z" * 3001)

    assert response.status_code == 400
    assert "at most 3,000 characters" in response.content.decode()


@pytest.mark.parametrize("state", ["hidden", "removed"])
def test_hidden_or_removed_comments_cannot_be_edited(client, post_page, trusted, state):
    comment = add_comment(post_page, trusted, "Moderated", state=state, ago=timedelta(minutes=1))
    client.force_login(trusted)

    assert _edit(client, comment, "Sneaked back").status_code == 404
    assert PageComment.objects.get(pk=comment.pk).comment == "Moderated"


def test_visitors_are_sent_to_sign_in(client, post_page, trusted):
    comment = add_comment(post_page, trusted, "Mine", ago=timedelta(minutes=1))

    response = _edit(client, comment, "Anonymous")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
