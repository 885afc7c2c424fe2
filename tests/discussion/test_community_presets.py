"""A comment on a community's item follows that community's moderation preset, and only
a member in good standing (active, current rules accepted) may comment there."""

from datetime import timedelta

from django.urls import reverse

import pytest

from core.models import CommunityMembership, CommunityPage
from discussion.models import PageComment
from discussion.services import comment_is_held, comment_moderate
from tests.discussion.community_world import community_item, community_world, person
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory
from tests.factories.communities import CommunityMembershipFactory

pytestmark = pytest.mark.django_db

Preset = CommunityPage.ModerationPreset
RULES_FIRST = "accept the community's new rules first"


@pytest.fixture
def world(portal, blog_index):
    return community_world(blog_index)


def _post(client, page, text, **headers):
    return client.post(reverse("discussion:post", args=[page.pk]), {"comment": text}, **headers)


def _age_all(user, seconds=3600):
    """Move ``user``'s comments into the past, as if the pace limit had passed."""
    for comment in PageComment.objects.filter(user=user):
        PageComment.objects.filter(pk=comment.pk).update(
            submit_date=comment.submit_date - timedelta(seconds=seconds)
        )


def _set_preset(community, preset, count=2):
    CommunityPage.objects.filter(pk=community.pk).update(
        moderation_preset=preset, hold_first_count=count
    )
    community.refresh_from_db()


def _fresh(item):
    """The item read again, with its community's current policies."""
    return type(item).objects.get(pk=item.pk)


def _state(text):
    comment = PageComment.objects.get(comment=text)
    return "visible" if comment.is_visible else "held" if comment.awaiting_moderation else "?"


def test_hold_first_holds_a_members_first_comments_in_this_community_only(
    client, world, blog_index
):
    """Two held (the community's count); visible comments elsewhere earn nothing here."""
    member = world.member_a
    # Trusted on the open site (three visible comments), and visible in B too.
    elsewhere = BlogPageFactory(parent=blog_index, title="Open post")
    for _ in range(3):
        add_comment(elsewhere, member, ago=timedelta(days=2))
    CommunityMembershipFactory(community=world.b, user=member)
    for _ in range(3):
        add_comment(world.item_b, member, ago=timedelta(days=2))
    client.force_login(member)

    for n in range(2):
        assert _post(client, world.item_a, f"First {n}").status_code == 303
        _age_all(member)
    assert [_state(f"First {n}") for n in range(2)] == ["held", "held"]

    comment_moderate(
        moderator=world.mod_a, comment=PageComment.objects.get(comment="First 0"), action="approve"
    )
    _post(client, world.item_a, "Third, one approved")
    _age_all(member)
    assert _state("Third, one approved") == "held"

    comment_moderate(
        moderator=world.mod_a, comment=PageComment.objects.get(comment="First 1"), action="approve"
    )
    _post(client, world.item_a, "After two approvals")
    assert _state("After two approvals") == "visible"


def test_hold_first_counts_only_visible_comments_in_the_community(world):
    member = world.member_a
    for state in ("awaiting", "hidden", "removed", "removed"):
        add_comment(world.item_a, member, state=state)

    assert comment_is_held(user=member, page=world.item_a)
    add_comment(world.item_a, member)
    assert comment_is_held(user=member, page=world.item_a)
    add_comment(world.item_a, member)
    assert not comment_is_held(user=member, page=world.item_a)
    _set_preset(world.a, Preset.HOLD_FIRST, count=3)
    assert comment_is_held(user=member, page=_fresh(world.item_a))
    _set_preset(world.a, Preset.HOLD_FIRST, count=0)
    assert not comment_is_held(user=member, page=_fresh(world.item_a))


def test_hold_all_holds_every_comment_but_the_communitys_moderators(client, world):
    _set_preset(world.a, Preset.HOLD_ALL)
    for _ in range(5):
        add_comment(world.item_a, world.member_a, ago=timedelta(days=2))
    client.force_login(world.member_a)
    _post(client, world.item_a, "Held though I am a regular")
    client.force_login(world.mod_a)
    _post(client, world.item_a, "A moderator's word")

    assert _state("Held though I am a regular") == "held"
    assert _state("A moderator's word") == "visible"


def test_hold_all_does_not_spare_another_communitys_moderator(client, world):
    _set_preset(world.a, Preset.HOLD_ALL)
    CommunityMembershipFactory(community=world.a, user=world.mod_b)
    client.force_login(world.mod_b)

    _post(client, world.item_a, "Moderator elsewhere, member here")

    assert _state("Moderator elsewhere, member here") == "held"


def test_site_editors_are_not_held_in_communities(client, world, editor):
    """Editors moderate every queue: holding their words for a member to approve inverts that."""
    with_consent(editor)
    _set_preset(world.a, Preset.HOLD_ALL)
    CommunityMembershipFactory(community=world.a, user=editor)
    client.force_login(editor)

    _post(client, world.item_a, "An Editor in the community")

    assert _state("An Editor in the community") == "visible"


def test_reports_preset_publishes_a_new_members_first_comment_at_once(client, world):
    newcomer = person("Brand New")
    CommunityMembershipFactory(community=world.b, user=newcomer)
    client.force_login(newcomer)

    response = _post(client, world.item_b, "Straight on the page")

    assert response.status_code == 303
    assert _state("Straight on the page") == "visible"


def test_comments_in_communities_earn_no_trust_on_the_open_site(client, world, blog_index):
    """Published at once under "rely on reports", never read by a moderator: they do not count."""
    newcomer = person("Brand New")
    CommunityMembershipFactory(community=world.b, user=newcomer)
    for _ in range(3):
        add_comment(world.item_b, newcomer, ago=timedelta(days=2))
    open_post = BlogPageFactory(parent=blog_index, title="On the open site")
    client.force_login(newcomer)

    _post(client, open_post, "Held on the open site")

    assert _state("Held on the open site") == "held"


def test_members_only_items_keep_the_site_wide_rule(client, world, blog_index):
    members_item = BlogPageFactory(parent=blog_index, title="For members", audience="members")
    client.force_login(world.member_a)

    _post(client, members_item, "Site rule applies")

    assert _state("Site rule applies") == "held"


def test_the_held_message_says_the_communitys_rule(client, world):
    _set_preset(world.a, Preset.HOLD_ALL)
    client.force_login(world.member_a)

    response = _post(client, world.item_a, "Wait for it", headers={"accept": "application/json"})

    assert response.status_code == 201
    assert response.json()["state"] == "awaiting"
    assert "Newly diagnosed" in response.json()["message"]
    assert "every comment" in response.json()["message"]


@pytest.mark.parametrize("as_json", [False, True])
def test_a_member_who_has_not_accepted_the_new_rules_is_asked_to_first(client, world, as_json):
    CommunityPage.objects.filter(pk=world.a.pk).update(rules_version=2)
    client.force_login(world.member_a)
    headers = {"accept": "application/json"} if as_json else {}

    response = _post(client, world.item_a, "Before accepting", headers=headers)

    assert response.status_code == 403
    text = response.json()["error"] if as_json else response.content.decode()
    assert RULES_FIRST in text.replace("&#x27;", "'")
    assert not PageComment.objects.filter(comment="Before accepting").exists()
    # Accepting the new version opens commenting again.
    CommunityMembership.objects.filter(user=world.member_a).update(rules_version=2)
    assert _post(client, world.item_a, "After accepting").status_code in (201, 303)
    assert PageComment.objects.filter(comment="After accepting").exists()


def test_the_item_page_asks_for_the_new_rules_instead_of_offering_the_form(client, world):
    CommunityPage.objects.filter(pk=world.a.pk).update(rules_version=2)
    client.force_login(world.member_a)

    html = client.get(world.item_a.url).content.decode()

    assert 'id="comment-new"' not in html
    assert "rules of Newly diagnosed have changed" in html
    assert world.a.url in html


def test_an_edit_in_a_community_needs_the_current_rules_too(client, world):
    comment = add_comment(
        world.item_a, world.member_a, "Before the change", ago=timedelta(seconds=5)
    )
    CommunityPage.objects.filter(pk=world.a.pk).update(rules_version=2)
    client.force_login(world.member_a)

    response = client.post(reverse("discussion:edit", args=[comment.pk]), {"comment": "Edited"})

    assert response.status_code == 403
    assert RULES_FIRST in response.content.decode().replace("&#x27;", "'")
    comment.refresh_from_db()
    assert comment.comment == "Before the change"


def test_an_edit_under_hold_all_goes_back_to_the_moderators(client, world):
    _set_preset(world.a, Preset.HOLD_ALL)
    comment = add_comment(world.item_a, world.member_a, "Approved words", ago=timedelta(seconds=5))
    client.force_login(world.member_a)

    client.post(reverse("discussion:edit", args=[comment.pk]), {"comment": "New words"})

    comment.refresh_from_db()
    assert comment.awaiting_moderation and not comment.is_public


def test_a_comment_is_refused_when_the_membership_is_gone_by_the_time_it_is_saved(world):
    """The membership lock is taken while saving: a removal that won the race wins."""
    from discussion.services import CommentPageGone, comment_post

    CommunityMembership.objects.filter(user=world.member_a).update(
        state=CommunityMembership.State.REMOVED
    )

    with pytest.raises(CommentPageGone):
        comment_post(user=world.member_a, page=world.item_a, text="Too late")
    assert not PageComment.objects.filter(comment="Too late").exists()


def test_items_in_a_community_of_which_the_author_is_a_member_use_that_community(world, blog_index):
    """The preset is the item's community's, not any other community of the commenter."""
    item = community_item(world.b, blog_index, "Another in B")
    CommunityMembershipFactory(community=world.b, user=world.member_a)

    assert not comment_is_held(user=world.member_a, page=item)
    assert comment_is_held(user=world.member_a, page=world.item_a)
