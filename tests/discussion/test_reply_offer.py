"""Reply is offered only where the server would take the reply: a member blocked by a
comment's author (or, at the deepest level, by the author of the comment the reply
would attach to) is not offered it there, and is offered it everywhere else."""

from datetime import timedelta

from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from discussion.selectors import MAX_LEVEL
from social.services import block_create
from tests.discussion.conftest import add_comment, with_consent
from tests.discussion.test_queries import PAGE_QUERIES, _discussion
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(name):
    return with_consent(UserFactory(group="Members", display_name=name))


def reply_offered(client, page):
    """``{comment id: whether Reply is offered}`` for every comment shown."""
    soup = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    return {
        int(article["id"][1:]): article.select_one("details.comment-reply") is not None
        for article in soup.select("article.comment-body")
    }


@pytest.fixture
def people(portal):
    return member("Blocker Bea"), member("Blocked Bo"), member("Carol C")


def test_no_reply_offer_on_the_blockers_comments(client, blog_index, people):
    blocker, blocked, carol = people
    page = BlogPageFactory(parent=blog_index)
    hers = add_comment(page, blocker, "Mine")
    carols = add_comment(page, carol, "Carol's", parent=hers)
    block_create(blocker=blocker, blocked=blocked)
    client.force_login(blocked)

    assert reply_offered(client, page) == {hers.pk: False, carols.pk: True}
    # Others are still offered Reply on her comments.
    client.force_login(carol)
    assert reply_offered(client, page) == {hers.pk: True, carols.pk: True}


def test_at_the_deepest_level_the_comment_replied_beside_counts_too(client, blog_index, people):
    blocker, blocked, carol = people
    page = BlogPageFactory(parent=blog_index)
    root = add_comment(page, carol, "Level 0")
    middle = add_comment(page, blocker, "Level 1", parent=root)
    deepest = add_comment(page, carol, f"Level {MAX_LEVEL}", parent=middle)
    assert deepest.level == MAX_LEVEL
    block_create(blocker=blocker, blocked=blocked)
    client.force_login(blocked)

    # A reply to Carol's deepest comment would attach under Bea's: refused, so not offered.
    assert reply_offered(client, page) == {root.pk: True, middle.pk: False, deepest.pk: False}


def test_the_offer_matches_what_the_server_accepts(client, blog_index, people):
    """Every Reply shown is accepted; every one left out would be refused."""
    from discussion.models import PageComment
    from discussion.services import ReplyTargetGone, comment_post

    blocker, blocked, carol = people
    # Not new to the site, and each post moved back in time: pacing is not under test.
    blocked.date_joined = timezone.now() - timedelta(days=90)
    blocked.save()
    page = BlogPageFactory(parent=blog_index)
    root = add_comment(page, blocker, "Level 0")
    parent = root
    for level in range(1, MAX_LEVEL + 1):
        parent = add_comment(page, carol if level % 2 else blocker, f"L{level}", parent=parent)
    add_comment(page, carol, "Another root")
    block_create(blocker=blocker, blocked=blocked)
    client.force_login(blocked)

    for comment_id, offered in reply_offered(client, page).items():
        if offered:
            assert comment_post(user=blocked, page=page, text="ok", parent_id=comment_id).pk
            PageComment.objects.filter(user=blocked).update(
                submit_date=timezone.now() - timedelta(hours=1)
            )
        else:
            with pytest.raises(ReplyTargetGone):
                comment_post(user=blocked, page=page, text="no", parent_id=comment_id)


def test_a_block_the_other_way_changes_no_offer(client, blog_index, people):
    # The server refuses replies to people who block you, not to people you block.
    blocker, blocked, _carol = people
    page = BlogPageFactory(parent=blog_index)
    theirs = add_comment(page, blocked, "Theirs")
    block_create(blocker=blocker, blocked=blocked)
    client.force_login(blocker)

    assert reply_offered(client, page) == {theirs.pk: True}


@pytest.mark.parametrize("blocks", [1, 15])
def test_queries_do_not_grow_with_blocks(
    client, blog_index, trusted, django_assert_max_num_queries, blocks
):
    page = BlogPageFactory(parent=blog_index, title="Busy discussion")
    _discussion(page, 12)
    for number in range(blocks):
        blocker = member(f"Blocker {number}")
        add_comment(page, blocker, "Blocking")
        block_create(blocker=blocker, blocked=trusted)
    client.force_login(trusted)
    client.get(page.url)  # warm per-process caches

    with django_assert_max_num_queries(PAGE_QUERIES["member"]):
        response = client.get(page.url)

    assert response.status_code == 200
    assert response.content.decode().count('details class="comment-reply"') == 12


def test_a_blockers_name_links_to_their_profile_only_if_it_is_public(client, blog_index, people):
    # Their profile answers the blocked reader 404 unless it is open to everyone.
    from social.models import Profile
    from tests.factories import ProfileFactory

    blocker, blocked, carol = people
    ProfileFactory(user=blocker, visibility=Profile.Visibility.MEMBERS)
    ProfileFactory(user=carol, visibility=Profile.Visibility.MEMBERS)
    page = BlogPageFactory(parent=blog_index)
    add_comment(page, blocker, "Mine")
    add_comment(page, carol, "Carol's")
    block_create(blocker=blocker, blocked=blocked)
    client.force_login(blocked)

    html = client.get(page.url).content.decode()
    assert blocker.profile.get_absolute_url() not in html
    assert carol.profile.get_absolute_url() in html
    assert client.get(blocker.profile.get_absolute_url()).status_code == 404

    blocker.profile.visibility = Profile.Visibility.EVERYONE
    blocker.profile.save()
    assert blocker.profile.get_absolute_url() in client.get(page.url).content.decode()
