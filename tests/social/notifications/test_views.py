"""The bell, the list and its endpoints: privacy at read time, hostile input, query ceilings."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from social.models import Notification, NotificationKind, Profile
from social.notifications.services import _deliver
from tests.discussion.conftest import add_comment
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ProfileFactory,
    UserFactory,
)
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
# Measured on SQLite: session, user, the page of notifications and its count,
# readable pages (with the view-restriction read), own pages, visible replies,
# sites, the navigation, the bell. Must not grow with the notifications (two
# sizes below).
LIST_QUERIES = 15


def told(recipient, kind, page=None, actor=None, comment_id=None, verb=""):
    ((notification, _delivery),) = _deliver(
        recipient_ids=[recipient.pk],
        kind=kind,
        page=page,
        actor=actor,
        comment_id=comment_id,
        verb=verb,
        email=False,
    )
    return notification


def accessible_name(element):
    # An aria-label is the accessible name; the browser journeys check it too.
    if element.has_attr("aria-label"):
        return element["aria-label"]
    for hidden in element.select("[aria-hidden=true]"):
        hidden.decompose()
    return " ".join(element.get_text(" ", strip=True).split())


def bell(html):
    return BeautifulSoup(html, "html.parser").select_one("a.notification-bell")


@pytest.fixture
def page(blog_index, author):
    return BlogPageFactory(parent=blog_index, author=author, title="Cooling vests")


# --- The bell --------------------------------------------------------------------


def test_the_bell_says_how_many_are_unread(client, reader, author, page, blog_index):
    # Three items: about one item, only the latest unread notification counts.
    for item in (page, *(BlogPageFactory(parent=blog_index, author=author) for _ in range(2))):
        told(reader, NotificationKind.FOLLOWED_ITEM, page=item)
    told(reader, NotificationKind.NEW_FOLLOWER, actor=author).__class__.objects.filter(
        kind=NotificationKind.NEW_FOLLOWER
    ).update(read_at=timezone.now())
    told(author, NotificationKind.NEW_FOLLOWER, actor=reader)  # someone else's
    client.force_login(reader)

    link = bell(client.get("/").content.decode())

    assert link["href"] == LIST
    assert accessible_name(link) == "Notifications, 3 unread"


def test_no_unread_no_count(client, reader):
    client.force_login(reader)

    assert accessible_name(bell(client.get("/").content.decode())) == "Notifications"


def _notification_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return [q["sql"] for q in queries if "social_notification" in q["sql"]]


def test_the_count_costs_one_query_for_members_and_none_for_visitors(client, reader, page):
    for _ in range(5):
        told(reader, NotificationKind.FOLLOWED_ITEM, page=page)

    assert _notification_queries(client) == []
    assert bell(client.get("/").content.decode()) is None

    client.force_login(reader)
    assert len(_notification_queries(client)) == 1


# --- The list ----------------------------------------------------------------------


def test_the_list_shows_newest_first_and_marks_unread(client, reader, author, page):
    ProfileFactory(user=author, visibility=Profile.Visibility.MEMBERS)
    first = told(reader, NotificationKind.NEW_FOLLOWER, actor=author)
    told(reader, NotificationKind.FOLLOWED_ITEM, page=page, actor=author)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    client.force_login(reader)

    soup = BeautifulSoup(client.get(LIST).content.decode(), "html.parser")

    items = soup.select("li.notification")
    assert [
        " ".join(item.select_one(".notification-text").get_text(" ").split()) for item in items
    ] == [
        "New blog post by Author Ada : Cooling vests",
        "Author Ada started following you.",
    ]
    assert "notification-unread" in items[0]["class"]
    assert "notification-unread" not in items[1]["class"]
    assert items[0].select_one(f"a[href='{page.url}']")
    assert items[1].select_one(f"a[href='{author.profile.get_absolute_url()}']")


def test_actor_names_link_to_profiles_only_if_visible(client, reader, author):
    ProfileFactory(user=author, visibility=Profile.Visibility.ONLY_ME)
    told(reader, NotificationKind.NEW_FOLLOWER, actor=author)
    client.force_login(reader)

    html = client.get(LIST).content.decode()

    assert "Author Ada started following you." in html
    assert author.profile.get_absolute_url() not in html


def test_an_item_unpublished_since_reveals_nothing(client, reader, author, page):
    told(reader, NotificationKind.FOLLOWED_ITEM, page=page, actor=author)
    reply = add_comment(page, author, "A reply")
    told(reader, NotificationKind.COMMENT_REPLY, page=page, actor=author, comment_id=reply.pk)
    page.unpublish()
    client.force_login(reader)

    html = client.get(LIST).content.decode()

    assert "Cooling vests" not in html
    assert "Author Ada" not in html
    assert page.url not in html
    assert "an item that is no longer available" in html
    assert "A reply in a discussion that is no longer available." in html


def test_a_removed_reply_reveals_nothing(client, reader, author, page):
    reply = add_comment(page, author, "A reply", state="removed")
    told(reader, NotificationKind.COMMENT_REPLY, page=page, actor=author, comment_id=reply.pk)
    client.force_login(reader)

    html = client.get(LIST).content.decode()

    assert "Author Ada" not in html
    assert "no longer available" in html


def test_an_anonymous_story_never_names_its_author(client, reader, author, story_index):
    ProfileFactory(user=author, visibility=Profile.Visibility.EVERYONE)
    story = ExperienceStoryPageFactory(
        parent=story_index, author=author, is_anonymous=True, title="Living alone with MS"
    )
    # Even a notification that recorded the author (the item was made anonymous
    # after it was published) is rendered from the page as it is now.
    told(reader, NotificationKind.FOLLOWED_ITEM, page=story, actor=author)
    client.force_login(reader)

    html = client.get(LIST).content.decode()

    assert "Living alone with MS" in html
    assert "Author Ada" not in html
    assert author.profile.get_absolute_url() not in html


def test_review_decisions_show_the_authors_own_draft_to_them_only(
    client, reader, author, blog_index
):
    draft = BlogPageFactory(parent=blog_index, author=author, title="My draft", publish=False)
    told(author, NotificationKind.REVIEW_DECISION, page=draft, verb="changes_requested")
    # A notification pointing at someone else's draft (it cannot happen, but if
    # it did) says nothing about it.
    told(reader, NotificationKind.REVIEW_DECISION, page=draft, verb="approved")

    client.force_login(author)
    assert "Reviewers asked for changes to “My draft”" in client.get(LIST).content.decode()
    client.force_login(reader)
    html = client.get(LIST).content.decode()
    assert "My draft" not in html
    assert "no longer available" in html


def test_the_list_is_for_signed_in_members(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_and_titles_render_as_text(client, reader, blog_index, payload):
    hostile = UserFactory(group="Members", display_name=payload[:60])
    ProfileFactory(user=hostile, visibility=Profile.Visibility.EVERYONE)
    page = BlogPageFactory(parent=blog_index, author=hostile, title=payload[:200], slug="hostile")
    told(reader, NotificationKind.FOLLOWED_ITEM, page=page, actor=hostile)
    told(reader, NotificationKind.NEW_FOLLOWER, actor=hostile)
    client.force_login(reader)

    response = client.get(LIST)

    assert response.status_code == 200
    assert_harmless(response.content.decode(), "the notification list")


def _fill(reader, author, pages, n):
    for i in range(n):
        page = pages[i % len(pages)]
        kind = list(NotificationKind)[i % 4]
        if kind == NotificationKind.COMMENT_REPLY:
            told(reader, kind, page=page, actor=author, comment_id=add_comment(page, author).pk)
        elif kind == NotificationKind.REVIEW_DECISION:
            told(reader, kind, page=page, verb="published")
        else:
            told(reader, kind, page=page, actor=author)
        if i < n - len(pages):
            # Read since: a newer one about the same item would otherwise replace it.
            Notification.objects.filter(recipient=reader, read_at__isnull=True).update(
                read_at=timezone.now()
            )


@pytest.mark.parametrize("count", [4, 40])
def test_query_ceiling_does_not_grow_with_notifications(
    client, reader, author, blog_index, count, django_assert_max_num_queries
):
    ProfileFactory(user=author, visibility=Profile.Visibility.EVERYONE)
    pages = [BlogPageFactory(parent=blog_index, author=author) for _ in range(4)]
    _fill(reader, author, pages, count)
    client.force_login(reader)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(BeautifulSoup(response.content, "html.parser").select("li.notification")) == min(
        count, 20
    )


# --- Opening and marking read ------------------------------------------------------


def test_opening_marks_read_and_goes_to_the_item(client, reader, author, page):
    notification = told(reader, NotificationKind.FOLLOWED_ITEM, page=page, actor=author)
    client.force_login(reader)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == page.url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_reply_goes_to_the_comment(client, reader, author, page):
    reply = add_comment(page, author, "A reply")
    notification = told(
        reader, NotificationKind.COMMENT_REPLY, page=page, actor=author, comment_id=reply.pk
    )
    client.force_login(reader)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == reverse("discussion:permalink", args=[reply.pk])


def test_opening_one_about_an_unavailable_item_goes_back_to_the_list(client, reader, author, page):
    notification = told(reader, NotificationKind.FOLLOWED_ITEM, page=page, actor=author)
    page.unpublish()
    client.force_login(reader)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == LIST


def test_mark_all_as_read(client, reader, author, page):
    for _ in range(3):
        told(reader, NotificationKind.FOLLOWED_ITEM, page=page)
    theirs = told(author, NotificationKind.NEW_FOLLOWER, actor=reader)
    client.force_login(reader)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert accessible_name(bell(client.get(LIST).content.decode())) == "Notifications"


def test_someone_elses_notification_answers_like_a_missing_one(client, reader, author, page):
    theirs = told(author, NotificationKind.FOLLOWED_ITEM, page=page)
    client.force_login(reader)

    someone_elses = client.post(reverse("notifications:open", args=[theirs.pk]))
    missing = client.post(reverse("notifications:open", args=[theirs.pk + 1000]))
    huge = client.post(f"/notifications/{2**63}/open/")

    assert someone_elses.status_code == missing.status_code == huge.status_code == 404

    def main(response):
        return BeautifulSoup(response.content, "html.parser").select_one("main").decode()

    assert main(someone_elses) == main(missing)
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("path", ["/notifications/abc/open/", "/notifications/-1/open/"])
def test_malformed_ids_are_not_found(client, reader, path):
    client.force_login(reader)

    assert client.post(path).status_code == 404


def test_get_never_changes_state(client, reader, page):
    notification = told(reader, NotificationKind.FOLLOWED_ITEM, page=page)
    client.force_login(reader)

    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_posts_need_csrf(reader, page):
    notification = told(reader, NotificationKind.FOLLOWED_ITEM, page=page)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 403
    assert client.post(reverse("notifications:mark_all_read")).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_visitors_are_sent_to_sign_in(client, reader, page):
    notification = told(reader, NotificationKind.FOLLOWED_ITEM, page=page)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
