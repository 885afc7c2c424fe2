"""Community moderators decide about the comments on their community's items, and nothing else;
Editors keep deciding about everything, community items included."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from discussion.models import CommentReport, PageComment
from discussion.selectors import community_queue_comment, moderation_queue
from discussion.services import CommentRefused, comment_moderate
from tests.discussion.community_world import community_world
from tests.discussion.conftest import add_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(portal, blog_index, post_page):
    world = community_world(blog_index)
    world.held_a = add_comment(world.item_a, world.member_a, "Held in A", state="awaiting")
    world.reported_a = add_comment(world.item_a, world.member_a, "Reported in A")
    CommentReport.objects.create(comment=world.reported_a, reporter=world.mod_a, reason="spam")
    world.held_b = add_comment(world.item_b, world.member_b, "Held in B", state="awaiting")
    world.reported_b = add_comment(world.item_b, world.member_b, "Reported in B")
    CommentReport.objects.create(comment=world.reported_b, reporter=world.mod_b, reason="spam")
    world.held_site = add_comment(post_page, world.outsider, "Held on the site", state="awaiting")
    return world


def _texts(items):
    return [item.comment.comment for item in items]


def test_the_community_queue_holds_only_the_communitys_comments(world):
    awaiting, reported, hidden = moderation_queue(community=world.a)

    assert _texts(awaiting) == ["Held in A"]
    assert _texts(reported) == ["Reported in A"]
    assert hidden == []


def test_the_site_queue_still_holds_everything(world):
    awaiting, reported, _hidden = moderation_queue()

    assert set(_texts(awaiting)) == {"Held in A", "Held in B", "Held on the site"}
    assert set(_texts(reported)) == {"Reported in A", "Reported in B"}


def test_a_queue_comment_is_found_only_in_its_community(world):
    assert community_queue_comment(community=world.a, comment_id=world.held_a.pk) == world.held_a
    assert community_queue_comment(community=world.a, comment_id=world.reported_a.pk)
    for other in (world.held_b, world.reported_b, world.held_site):
        assert community_queue_comment(community=world.a, comment_id=other.pk) is None
    visible = add_comment(world.item_a, world.member_a, "Fine, unreported")
    assert community_queue_comment(community=world.a, comment_id=visible.pk) is None
    for junk in (0, -1, 2**31, "1", None):
        assert community_queue_comment(community=world.a, comment_id=junk) is None


def test_a_community_moderator_approves_and_removes_in_their_community(world):
    comment_moderate(moderator=world.mod_a, comment=world.held_a, action="approve")
    comment_moderate(moderator=world.mod_a, comment=world.reported_a, action="remove")

    assert PageComment.objects.get(pk=world.held_a.pk).is_visible
    assert PageComment.objects.get(pk=world.reported_a.pk).is_removed
    assert not CommentReport.objects.filter(comment=world.reported_a, resolved_at=None).exists()
    assert ModelLogEntry.objects.filter(action="discussion.comment.approve").count() == 1


def test_dismissing_closes_the_reports_and_keeps_the_comment(world):
    comment_moderate(moderator=world.mod_a, comment=world.reported_a, action="dismiss")

    comment = PageComment.objects.get(pk=world.reported_a.pk)
    assert comment.is_visible
    report = CommentReport.objects.get(comment=comment)
    assert report.resolved_by == world.mod_a and report.resolved_at is not None
    assert ModelLogEntry.objects.filter(action="discussion.comment.dismiss").count() == 1
    with pytest.raises(CommentRefused, match="no open reports"):
        comment_moderate(moderator=world.mod_a, comment=comment, action="dismiss")


@pytest.mark.parametrize("target", ["held_b", "reported_b", "held_site"])
def test_a_community_moderator_may_not_decide_elsewhere(world, target):
    comment = getattr(world, target)

    for action in ("approve", "remove", "dismiss"):
        with pytest.raises(PermissionDenied):
            comment_moderate(moderator=world.mod_a, comment=comment, action=action)
    comment.refresh_from_db()
    assert not comment.is_removed and comment.is_public == (target == "reported_b")


@pytest.mark.parametrize("who", ["member_a", "outsider", "left"])
def test_members_who_are_not_moderators_may_not_decide(world, who):
    with pytest.raises(PermissionDenied):
        comment_moderate(moderator=getattr(world, who), comment=world.held_a, action="approve")
    assert PageComment.objects.get(pk=world.held_a.pk).awaiting_moderation


def test_a_moderator_who_stepped_down_may_not_decide(world):
    world.a.memberships.filter(user=world.mod_a).update(role="member")

    with pytest.raises(PermissionDenied):
        comment_moderate(moderator=world.mod_a, comment=world.held_a, action="approve")


def test_community_moderators_do_not_hide_that_is_the_editors_tool(world):
    with pytest.raises(CommentRefused):
        comment_moderate(moderator=world.mod_a, comment=world.reported_a, action="hide")
    assert PageComment.objects.get(pk=world.reported_a.pk).is_visible


def test_nobody_moderates_their_own_comment_in_a_community(world):
    own = add_comment(world.item_a, world.mod_a, "My own held words", state="awaiting")

    with pytest.raises(CommentRefused):
        comment_moderate(moderator=world.mod_a, comment=own, action="approve")


def test_editors_keep_deciding_about_community_comments(world, editor):
    comment_moderate(moderator=editor, comment=world.held_b, action="approve")
    comment_moderate(moderator=editor, comment=world.reported_a, action="hide")

    assert PageComment.objects.get(pk=world.held_b.pk).is_visible
    assert PageComment.objects.get(pk=world.reported_a.pk).is_hidden


def test_the_editors_admin_queue_names_each_comments_community(client, world, editor):
    client.force_login(editor)

    html = client.get(reverse("discussion_admin:queue")).content.decode()

    assert "Held in A" in html and "Held in B" in html and "Held on the site" in html
    assert "in the community Newly diagnosed" in html
    assert "in the community Carers and family" in html
