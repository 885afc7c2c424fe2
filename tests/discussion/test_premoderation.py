"""A member's first comments wait for an Editor; the author sees them, nobody else does."""

from datetime import timedelta

from django.urls import reverse

import pytest

from discussion.models import PageComment
from discussion.services import comment_moderate
from tests.discussion.conftest import add_comment

pytestmark = pytest.mark.django_db


def _post(client, page, text):
    return client.post(reverse("discussion:post", args=[page.pk]), {"comment": text})


def _age_all(user, seconds=3600):
    """Move ``user``'s comments into the past, as if the pace limit had passed."""
    for comment in PageComment.objects.filter(user=user):
        PageComment.objects.filter(pk=comment.pk).update(
            submit_date=comment.submit_date - timedelta(seconds=seconds)
        )


def test_first_three_comments_are_held_until_approved_then_later_ones_appear(
    client, post_page, commenter, other, moderator
):
    client.force_login(commenter)
    for n in range(3):
        response = _post(client, post_page, f"Held comment {n}")
        assert response.status_code == 303
        _age_all(commenter)
    held = list(PageComment.objects.filter(user=commenter).order_by("pk"))

    assert [(c.is_public, c.awaiting_moderation) for c in held] == [(False, True)] * 3
    # Still held while none is approved: it is approvals that earn trust.
    _post(client, post_page, "Fourth, before any approval")
    _age_all(commenter)
    assert PageComment.objects.get(comment="Fourth, before any approval").awaiting_moderation

    for comment in held:
        comment_moderate(moderator=moderator, comment=comment, action="approve")
    response = _post(client, post_page, "After three approvals")

    assert response.status_code == 303
    later = PageComment.objects.get(comment="After three approvals")
    assert later.is_public and not later.awaiting_moderation


def test_held_comment_shows_to_its_author_only(client, post_page, commenter, other):
    client.force_login(commenter)
    response = _post(client, post_page, "Only I can see this for now")
    follow = client.get(post_page.url)

    assert "read by a moderator before they appear" in follow.content.decode()
    assert "Only I can see this for now" in follow.content.decode()
    assert "Awaiting moderation" in follow.content.decode()
    assert response.status_code == 303

    client.force_login(other)
    assert "Only I can see this for now" not in client.get(post_page.url).content.decode()
    client.logout()
    html = client.get(post_page.url).content.decode()
    assert "Only I can see this for now" not in html
    assert "No comments yet." in html


def test_held_comments_are_not_counted_nor_in_the_api(client, post_page, commenter):
    add_comment(post_page, commenter, "Held text", state="awaiting")
    client.force_login(commenter)

    listed = client.get(reverse("discussion:api_list", args=[post_page.pk])).json()
    counted = client.get(reverse("discussion:api_count", args=[post_page.pk])).json()

    assert listed["comments"] == [] and listed["count"] == 0
    assert counted["count"] == 0


def test_editors_comments_are_not_held(client, post_page, moderator):
    client.force_login(moderator)

    _post(client, post_page, "From the editorial team")

    assert PageComment.objects.get(comment="From the editorial team").is_public


def test_an_edit_by_a_member_still_premoderated_goes_back_to_the_queue(
    client, post_page, commenter, moderator
):
    comment = add_comment(post_page, commenter, "Approved words", ago=timedelta(minutes=1))
    client.force_login(commenter)

    response = client.post(
        reverse("discussion:edit", args=[comment.pk]), {"comment": "Different words"}
    )

    assert response.status_code == 303
    comment.refresh_from_db()
    assert (comment.comment, comment.is_public, comment.awaiting_moderation) == (
        "Different words",
        False,
        True,
    )


def test_hidden_or_removed_comments_do_not_count_towards_trust(client, post_page, commenter):
    for state in ("visible", "visible", "hidden"):
        add_comment(post_page, commenter, f"A {state} one", state=state, ago=timedelta(days=1))
    client.force_login(commenter)

    _post(client, post_page, "Still held")

    assert PageComment.objects.get(comment="Still held").awaiting_moderation
