"""Nothing cached for a visitor outlives a change, and nobody else's page is ever stored.

Each test first lets a visitor store the pages concerned, makes the change the
way people make it (signed in, through the endpoints, or as an editor would),
then reads as the next visitor.
"""

from django.test import Client
from django.urls import reverse

import pytest

from core.models import Audience
from discussion.models import PageComment
from discussion.services.moderation import comment_moderate
from tests.discussion.conftest import with_consent
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db


def store(*urls):
    """A visitor reads each address twice: stored, then served from the cache."""
    for url in urls:
        Client().get(url)
        assert cache_state(Client().get(url)) == "hit", url


def next_visitor(url):
    return Client().get(url)


def listings(home, blog_index):
    return [home.url, blog_index.url, "/tags/fatigue/", f"/feeds/{blog_index.slug}/rss/"]


def test_a_members_page_is_never_stored_and_the_next_visitor_gets_a_visitors_page(item, member):
    signed_in = Client()
    signed_in.force_login(member)

    mine = signed_in.get(item.url)

    assert mine.status_code == 200
    assert cache_state(mine) == "bypass"
    assert b"Log out" in mine.content
    theirs = next_visitor(item.url)
    assert cache_state(theirs) == "stored"  # nothing was there before the visitor
    assert b"Log out" not in theirs.content
    # And a member is never served the visitors' copy.
    assert cache_state(signed_in.get(item.url)) == "bypass"


def test_a_rating_reaches_the_item_and_the_listings(item, blog_index, home):
    store(item.url, blog_index.url, home.url)
    rater = Client()
    rater.force_login(UserFactory(group="Members"))

    rated = rater.post(
        reverse("ratings:rate", args=[item.pk]),
        {"score": 4},
        headers={"Accept": "application/json"},
    )

    assert rated.status_code == 200
    page = next_visitor(item.url)
    assert cache_state(page) == "stored"
    assert b"from 1 rating" in page.content
    assert cache_state(next_visitor(blog_index.url)) == "stored"
    assert cache_state(next_visitor(home.url)) == "stored"


def test_a_held_comment_shows_only_once_approved(item, editor):
    store(item.url)
    commenter = with_consent(UserFactory(group="Members", display_name="Pacing Pat"))
    browser = Client()
    browser.force_login(commenter)

    posted = browser.post(reverse("discussion:post", args=[item.pk]), {"comment": "Pacing helps."})

    assert posted.status_code in (200, 302, 303)
    comment = PageComment.objects.get(comment="Pacing helps.")
    assert comment.awaiting_moderation and not comment.is_public
    held = next_visitor(item.url)
    assert b"Pacing helps." not in held.content
    assert cache_state(next_visitor(item.url)) == "hit"

    comment_moderate(moderator=with_consent(editor), comment=comment, action="approve")

    approved = next_visitor(item.url)
    assert cache_state(approved) == "stored"
    assert b"Pacing helps." in approved.content


def test_joining_a_community_changes_the_directorys_counts(community, community_index):
    store(community_index.url, community.url)
    assert b"0 members" in next_visitor(community_index.url).content
    # Visitors count only members who show the community on a profile open to everyone.
    person = UserFactory(group="Members")
    ProfileFactory(user=person, visibility="everyone")
    joiner = Client()
    joiner.force_login(person)

    joined = joiner.post(
        reverse("communities:join", kwargs={"slug": community.slug}),
        {"accept_rules": "on", "rules_version": community.rules_version},
    )
    shown = joiner.post(
        reverse("communities:profile_listing", kwargs={"slug": community.slug}), {"show": "on"}
    )

    assert joined.status_code in (200, 302, 303)
    assert shown.status_code in (200, 302, 303)
    directory = next_visitor(community_index.url)
    assert cache_state(directory) == "stored"
    assert b"1 member " in directory.content


def test_unpublishing_reaches_the_item_and_every_listing(item, home, blog_index):
    urls = listings(home, blog_index)
    store(item.url, *urls)
    for url in urls:
        assert item.title.encode() in next_visitor(url).content, url

    item.unpublish()

    assert next_visitor(item.url).status_code == 404
    for url in urls:
        response = next_visitor(url)
        assert item.title.encode() not in response.content, url


def test_a_new_item_appears_on_every_listing(item, home, blog_index, member):
    urls = listings(home, blog_index)
    store(*urls)

    BlogPageFactory(parent=blog_index, author=member, title="Brand new hope", tags=["fatigue"])

    for url in urls:
        assert b"Brand new hope" in next_visitor(url).content, url


def test_a_new_draft_invalidates_nothing_and_its_publishing_reaches_every_listing(
    item, home, blog_index, member
):
    urls = [item.url, *listings(home, blog_index)]
    store(*urls)

    draft = BlogPageFactory(parent=blog_index, author=member, title="Quiet draft", publish=False)

    for url in urls:
        response = next_visitor(url)
        assert cache_state(response) == "hit", url
        assert b"Quiet draft" not in response.content, url

    draft.get_latest_revision().publish()

    for url in listings(home, blog_index)[:2]:
        assert b"Quiet draft" in next_visitor(url).content, url


def test_a_drafts_tags_invalidate_nothing_until_it_is_published(item, home, blog_index, member):
    urls = [item.url, *listings(home, blog_index)]
    store(*urls)

    from core.models import ContentPageTag

    draft = BlogPageFactory(
        parent=blog_index, author=member, title="Tagged draft", tags=["fatigue"], publish=False
    )
    rows = ContentPageTag.objects.filter(content_object_id=draft.pk)
    fatigue = rows.get().tag
    rows.delete()  # read back from the database: the page is not cached on the rows
    ContentPageTag.objects.create(content_object=draft, tag=fatigue)

    for url in urls:
        assert cache_state(next_visitor(url)) == "hit", url

    draft.save_revision().publish()

    assert b"Tagged draft" in next_visitor("/tags/fatigue/").content


def test_a_tag_row_added_to_a_live_item_reaches_the_tag_page(item, blog_index, member):
    from taggit.models import Tag

    from core.models import ContentPageTag

    other = BlogPageFactory(parent=blog_index, author=member, title="Untagged so far")
    store("/tags/fatigue/")

    ContentPageTag.objects.create(content_object=other, tag=Tag.objects.get(name="fatigue"))

    assert b"Untagged so far" in next_visitor("/tags/fatigue/").content


def test_follows_blocks_and_mutes_invalidate_no_visitors_page(item, home, blog_index, member):
    from taggit.models import Tag

    from social.models import MemberBlock, MemberMute
    from social.services.relations import follow_create, topic_follow_create

    ProfileFactory(user=member, visibility="everyone")
    reader = UserFactory()
    urls = [item.url, *listings(home, blog_index)]
    store(*urls)

    follow_create(follower=reader, followee=member)
    topic_follow_create(follower=reader, tag=Tag.objects.get(name="fatigue"))
    MemberMute.objects.create(muter=reader, muted=member).delete()
    MemberBlock.objects.create(blocker=reader, blocked=member).delete()

    for url in urls:
        assert cache_state(next_visitor(url)) == "hit", url


def test_a_moved_item_leaves_its_old_address_and_section(item, blog_index, expert_index, home):
    old_url = item.url
    store(old_url, blog_index.url)

    item.move(expert_index, pos="last-child")

    assert next_visitor(old_url).status_code == 404
    assert item.title.encode() not in next_visitor(blog_index.url).content


def test_a_deleted_item_is_gone_everywhere(item, home, blog_index):
    urls = listings(home, blog_index)
    store(item.url, *urls)

    item.delete()

    assert next_visitor(item.url).status_code == 404
    for url in urls:
        assert item.title.encode() not in next_visitor(url).content, url


def test_an_audience_change_to_members_only_gives_the_next_visitor_the_teaser(item):
    store(item.url)
    body = b"Some days are harder than others."
    assert body in next_visitor(item.url).content

    item.audience = Audience.MEMBERS
    item.save_revision().publish()

    teaser = next_visitor(item.url)
    assert teaser.status_code == 403
    assert body not in teaser.content
    assert cache_state(teaser) == "miss"
    assert cache_state(next_visitor(item.url)) == "miss"  # a teaser is never stored


def test_a_display_name_change_reaches_the_authors_items(item, member):
    store(item.url)
    assert b"MemberOne" in next_visitor(item.url).content

    member.display_name = "Renamed Rowan"
    member.save()

    page = next_visitor(item.url)
    assert b"Renamed Rowan" in page.content
    assert b"MemberOne" not in page.content


def test_a_sign_in_alone_invalidates_nothing(item, member):
    store(item.url)

    member.save(update_fields=["last_login"])

    assert cache_state(next_visitor(item.url)) == "hit"


def test_teasers_restricted_pages_and_missing_ones_are_never_stored(blog_index, member, community):
    from wagtail.models import PageViewRestriction

    members_only = BlogPageFactory(parent=blog_index, author=member, audience=Audience.MEMBERS)
    in_community = BlogPageFactory(
        parent=blog_index, author=member, audience=Audience.COMMUNITY, community=community
    )
    restricted = BlogPageFactory(parent=blog_index, author=member, title="Behind a restriction")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")

    for url, status in (
        (members_only.url, 403),
        (in_community.url, 403),
        (restricted.url, 302),
        ("/nowhere/", 404),
    ):
        first, second = next_visitor(url), next_visitor(url)
        assert first.status_code == second.status_code == status, url
        assert cache_state(first) == cache_state(second) == "miss", url
