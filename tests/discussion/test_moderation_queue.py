"""The moderation queue in the Wagtail admin: who sees it, what it shows, what its actions do."""

from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from discussion.models import CommentReport, PageComment
from tests.discussion.conftest import add_comment

pytestmark = pytest.mark.django_db

QUEUE = "discussion_admin:queue"


def _act(client, comment, action):
    return client.post(reverse("discussion_admin:moderate", args=[comment.pk, action]))


@pytest.fixture
def held(post_page, commenter):
    return add_comment(post_page, commenter, "Held for a moderator", state="awaiting")


@pytest.fixture
def reported(post_page, other, trusted):
    comment = add_comment(post_page, other, "Reported words")
    CommentReport.objects.create(
        comment=comment, reporter=trusted, reason="abusive", text="Unkind to a carer."
    )
    return comment


def test_editors_see_held_and_reported_comments_with_the_reports(
    client, editor, held, reported, trusted
):
    client.force_login(editor)

    response = client.get(reverse(QUEUE))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Held for a moderator" in html
    assert "Reported words" in html
    # Editors, and only they, see the report: reason, text, reporter, date.
    assert "Abusive or harassing" in html
    assert "Unkind to a carer." in html
    assert trusted.public_name in html
    assert BeautifulSoup(html, "html.parser").select(".discussion-queue-reports time")


def test_editors_have_a_menu_item(client, editor, portal):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse(QUEUE) in html


def test_superusers_see_the_queue(client, superuser, held):
    client.force_login(superuser)

    assert client.get(reverse(QUEUE)).status_code == 200


@pytest.mark.parametrize("who", ["medic", "expert"])
def test_admin_users_without_the_permission_are_turned_away(request, client, held, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse(QUEUE))
    acted = _act(client, held, "approve")
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert response.status_code == 302
    assert "Held for a moderator" not in client.get(response.url).content.decode()
    assert acted.status_code == 302
    assert PageComment.objects.get(pk=held.pk).awaiting_moderation
    assert reverse(QUEUE) not in home


def test_members_and_visitors_cannot_reach_the_queue(client, member, held):
    for user in (member, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(reverse(QUEUE))
        assert response.status_code == 302
        assert not response.url.startswith(reverse(QUEUE))
        assert _act(client, held, "remove").status_code == 302
    assert PageComment.objects.get(pk=held.pk).awaiting_moderation


def test_approve_shows_a_held_comment(client, editor, held, post_page):
    client.force_login(editor)

    response = _act(client, held, "approve")

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.is_public and not held.awaiting_moderation
    client.logout()
    assert "Held for a moderator" in client.get(post_page.url).content.decode()


def test_approve_keeps_a_reported_comment_and_closes_its_reports(client, editor, reported):
    client.force_login(editor)

    _act(client, reported, "approve")

    reported.refresh_from_db()
    assert reported.is_public
    report = CommentReport.objects.get()
    assert report.resolved_at is not None and report.resolved_by == editor
    assert "Reported words" not in client.get(reverse(QUEUE)).content.decode()


def test_hide_takes_a_comment_off_the_page_and_approve_brings_it_back(
    client, editor, reported, post_page
):
    client.force_login(editor)

    _act(client, reported, "hide")
    client.logout()
    hidden_page = client.get(post_page.url).content.decode()
    client.force_login(editor)
    _act(client, reported, "approve")

    assert "Reported words" not in hidden_page
    client.logout()
    assert "Reported words" in client.get(post_page.url).content.decode()


def test_remove_keeps_replies_readable_under_a_placeholder(
    client, editor, post_page, other, trusted, commenter
):
    parent = add_comment(post_page, other, "Parent to be removed")
    reply = add_comment(post_page, trusted, "A reply that stays", parent=parent)
    deeper = add_comment(post_page, commenter, "A deeper reply that stays", parent=reply)
    client.force_login(editor)

    response = _act(client, parent, "remove")

    assert response.status_code == 302
    assert set(
        PageComment.objects.filter(pk__in=[reply.pk, deeper.pk]).values_list(
            "is_public", "is_removed"
        )
    ) == {(True, False)}
    client.logout()
    html = client.get(post_page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    placeholder = soup.select_one(f"#c{parent.pk}")
    assert placeholder.get_text(strip=True) == "This comment was removed."
    assert "Parent to be removed" not in html
    assert other.public_name not in html
    assert "A reply that stays" in html and "A deeper reply that stays" in html
    # The replies are still nested under the placeholder.
    assert soup.select_one(f"#c{parent.pk}").find_parent("li").select_one(f"#c{reply.pk}")
    # The API carries the placeholder without text or author.
    api = client.get(reverse("discussion:api_list", args=[post_page.pk])).json()
    assert api["comments"][0] == {
        "id": parent.pk,
        "parent_id": None,
        "level": 0,
        "removed": True,
        "author": None,
        "profile_url": None,
        "submitted_at": None,
        "edited": False,
        "html": None,
    }
    assert api["count"] == 2


def test_a_removed_comment_without_replies_disappears(client, editor, reported, post_page):
    client.force_login(editor)

    _act(client, reported, "remove")
    client.logout()

    html = client.get(post_page.url).content.decode()
    assert "Reported words" not in html
    assert "This comment was removed." not in html


def test_removal_is_final(client, editor, reported):
    client.force_login(editor)
    _act(client, reported, "remove")

    response = _act(client, reported, "approve")

    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.is_removed and not reported.is_public


def test_each_action_is_in_the_audit_log(client, editor, held, reported, post_page, other):
    third = add_comment(post_page, other, "Third")
    client.force_login(editor)

    for comment, action in ((held, "approve"), (reported, "hide"), (third, "remove")):
        _act(client, comment, action)

    entries = ModelLogEntry.objects.filter(action__startswith="discussion.comment.")
    assert {(e.object_id, e.action, e.user_id) for e in entries} == {
        (str(held.pk), "discussion.comment.approve", editor.pk),
        (str(reported.pk), "discussion.comment.hide", editor.pk),
        (str(third.pk), "discussion.comment.remove", editor.pk),
    }
    # The log's label names the comment, never its words or its author.
    for entry in entries:
        assert entry.label.startswith("Comment #")
    assert entries.get(action="discussion.comment.hide").data["reports_resolved"] == 1


def test_actions_need_post_and_csrf(editor, held):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    forged = _act(client, held, "approve")
    via_get = client.get(reverse("discussion_admin:moderate", args=[held.pk, "approve"]))

    assert forged.status_code == 403
    assert via_get.status_code == 405
    assert PageComment.objects.get(pk=held.pk).awaiting_moderation


def test_unknown_action_or_comment_changes_nothing(client, editor, held):
    client.force_login(editor)

    assert _act(client, held, "publish-everything").status_code == 302
    assert (
        client.post(reverse("discussion_admin:moderate", args=[999999, "remove"])).status_code
        == 302
    )
    assert PageComment.objects.get(pk=held.pk).awaiting_moderation


def test_nobody_moderates_their_own_comment(client, moderator, post_page):
    own = add_comment(post_page, moderator, "My own", state="awaiting")
    client.force_login(moderator)

    _act(client, own, "approve")

    assert PageComment.objects.get(pk=own.pk).awaiting_moderation


def test_queue_renders_in_few_queries_whatever_its_length(
    client, editor, post_page, other, trusted, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(reverse(QUEUE))  # warm Wagtail's per-user caches
    for n in range(12):
        comment = add_comment(
            post_page, other, f"Queued {n}", state="awaiting" if n % 2 else "visible"
        )
        if not n % 2:
            CommentReport.objects.create(comment=comment, reporter=trusted, reason="spam")

    with django_assert_max_num_queries(30):
        response = client.get(reverse(QUEUE))

    assert response.status_code == 200
    assert response.content.decode().count("Queued ") == 12
