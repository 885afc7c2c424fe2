"""Each event makes one notification per recipient, and only for those who may know."""

from django.core import mail
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from discussion.models import ThreadMute
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from social.models import MemberBlock, MemberMute, Notification, NotificationKind
from social.notifications.services import notify_followed_publication, notify_new_follower
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    UserFactory,
)

from .conftest import follow, follow_topic

pytestmark = pytest.mark.django_db

FOLLOWED = NotificationKind.FOLLOWED_ITEM


def followed_items(user=None):
    notifications = Notification.objects.filter(kind=FOLLOWED)
    return notifications.filter(recipient=user) if user else notifications


# --- New follower ------------------------------------------------------------


def test_a_new_follower_notifies_the_followee(author, reader):
    notification = notify_new_follower(follower=reader, followee=author)

    assert notification.recipient == author
    assert notification.kind == NotificationKind.NEW_FOLLOWER
    assert notification.actor == reader
    assert notification.read_at is None and notification.emailed_at is None


def test_no_notice_from_a_blocked_follower_or_oneself(author, reader):
    MemberBlock.objects.create(blocker=author, blocked=reader)

    assert notify_new_follower(follower=reader, followee=author) is None
    assert notify_new_follower(follower=author, followee=author) is None
    assert not Notification.objects.exists()


def test_follow_unfollow_follow_does_not_pile_up_unread_notices(author, reader):
    notify_new_follower(follower=reader, followee=author)
    notify_new_follower(follower=reader, followee=author)

    assert Notification.objects.count() == 1
    # Once read, a later follow is news again.
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    notify_new_follower(follower=reader, followee=author)
    assert Notification.objects.count() == 2


# --- New item from someone or something followed -----------------------------


def test_publication_notifies_followers_of_the_author_and_of_its_tags_once_each(
    blog_index, author, reader, publish
):
    both = UserFactory(group="Members", display_name="Both Bo")
    topic_only = UserFactory(group="Members", display_name="Topic Tam")
    unrelated = UserFactory(group="Members", display_name="Unrelated Uma")
    follow(reader, author)
    follow(both, author)
    follow_topic(both, "Fatigue")
    follow_topic(both, "Sleep")
    follow_topic(topic_only, "Sleep")
    follow_topic(author, "Sleep")  # the author never hears about their own item

    page = publish(
        lambda: BlogPageFactory(parent=blog_index, author=author, tags=["Fatigue", "Sleep"])
    )

    assert sorted(followed_items().values_list("recipient__display_name", flat=True)) == [
        "Both Bo",
        "Reader Rae",
        "Topic Tam",
    ]
    notification = followed_items(reader).get()
    assert notification.page_id == page.pk
    assert notification.actor == author
    assert not followed_items(unrelated).exists()


def test_an_anonymous_story_reaches_topic_followers_only_and_names_nobody(
    story_index, author, reader, publish
):
    topic_follower = UserFactory(group="Members")
    follow(reader, author)
    follow_topic(topic_follower, "Diagnosis")

    publish(
        lambda: ExperienceStoryPageFactory(
            parent=story_index, author=author, is_anonymous=True, tags=["Diagnosis"]
        )
    )

    # Telling the author's followers would say who wrote it.
    assert not followed_items(reader).exists()
    notification = followed_items(topic_follower).get()
    assert notification.actor is None


def test_drafts_and_items_in_review_notify_nobody(
    blog_index, expert_index, author, reader, expert, editor, publish
):
    follow(reader, author)
    follow(reader, expert)

    publish(lambda: BlogPageFactory(parent=blog_index, author=author, publish=False))
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    publish(lambda: page_submit_for_review(page=article, user=expert))
    publish(lambda: review_approve(page=article, user=editor))  # editorial step only

    assert not followed_items().exists()


def test_publication_through_the_review_workflow_notifies_once_published(
    expert_index, expert, editor, medic, reader, publish
):
    follow(reader, expert)
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=article, user=expert)
    review_approve(page=article, user=editor)

    publish(lambda: review_approve(page=article, user=medic))

    assert followed_items(reader).get().page_id == article.pk


def test_a_republished_page_notifies_nobody_twice(blog_index, author, reader, publish):
    follow(reader, author)
    page = publish(lambda: BlogPageFactory(parent=blog_index, author=author))
    # The same task run again (a retry) tells nobody twice.
    notify_followed_publication(page=page, published_at=page.first_published_at)
    assert followed_items(reader).count() == 1
    late_follower = UserFactory(group="Members")
    follow(late_follower, author)

    # An edit published again, and an unpublish then publish: not news.
    publish(lambda: page.save_revision(user=author).publish())
    page.refresh_from_db()
    publish(lambda: page.unpublish())
    page.refresh_from_db()
    publish(lambda: page.save_revision(user=author).publish())
    notify_followed_publication(page=page)

    assert followed_items(reader).count() == 1
    assert not followed_items(late_follower).exists()


def test_muted_blocked_and_blocking_followers_are_not_told(blog_index, author, reader, publish):
    muter, blocker, blocked = (UserFactory(group="Members") for _ in range(3))
    for member in (reader, muter, blocker, blocked):
        follow_topic(member, "Pacing")
    MemberMute.objects.create(muter=muter, muted=author)
    MemberBlock.objects.create(blocker=blocker, blocked=author)
    MemberBlock.objects.create(blocker=author, blocked=blocked)

    publish(lambda: BlogPageFactory(parent=blog_index, author=author, tags=["Pacing"]))

    assert list(followed_items().values_list("recipient", flat=True)) == [reader.pk]


def test_only_recipients_who_may_read_the_page_are_told(blog_index, author, reader, publish):
    follow(reader, author)

    def publish_restricted():
        page = BlogPageFactory(parent=blog_index, author=author, publish=False)
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        page.save_revision(user=author).publish()
        return page

    publish(publish_restricted)

    assert not followed_items().exists()


def test_deactivated_followers_are_not_told(blog_index, author, reader, publish):
    follow(reader, author)
    reader.is_active = False
    reader.save()

    publish(lambda: BlogPageFactory(parent=blog_index, author=author))

    assert not followed_items().exists()


# --- Replies ---------------------------------------------------------------------


@pytest.fixture
def post_page(blog_index, author):
    return BlogPageFactory(parent=blog_index, author=author, title="Heat and fatigue")


def test_a_reply_notifies_each_thread_participant_on_the_site(
    post_page, django_capture_on_commit_callbacks
):
    from discussion.notifications import send_reply_notifications

    starter = with_consent(UserFactory(group="Members", display_name="Starter Sam"))
    second = with_consent(UserFactory(group="Members", display_name="Second Sid"))
    replier = with_consent(UserFactory(group="Members", display_name="Replier Ray"))
    root = add_comment(post_page, starter, "Does heat make it worse?")
    add_comment(post_page, second, "Yes", parent=root)
    reply = add_comment(post_page, replier, "For me too", parent=root)

    send_reply_notifications.call(reply.pk)

    notifications = Notification.objects.filter(kind=NotificationKind.COMMENT_REPLY)
    assert sorted(n.recipient.display_name for n in notifications) == ["Second Sid", "Starter Sam"]
    assert {(n.actor_id, n.page_id, n.comment_id) for n in notifications} == {
        (replier.pk, post_page.pk, reply.pk)
    }


def test_a_muted_thread_or_a_blocked_replier_brings_nothing(post_page):
    from discussion.notifications import send_reply_notifications

    starter = with_consent(UserFactory(group="Members"))
    blocker = with_consent(UserFactory(group="Members"))
    replier = with_consent(UserFactory(group="Members"))
    root = add_comment(post_page, starter, "Question")
    add_comment(post_page, blocker, "Answer", parent=root)
    ThreadMute.objects.create(user=starter, thread=root)
    MemberBlock.objects.create(blocker=blocker, blocked=replier)
    reply = add_comment(post_page, replier, "Another answer", parent=root)

    assert send_reply_notifications.call(reply.pk) == 0

    assert not Notification.objects.exists()
    assert mail.outbox == []


# --- Review decisions ------------------------------------------------------------


def review_notices(user):
    return list(
        Notification.objects.filter(recipient=user, kind=NotificationKind.REVIEW_DECISION)
        .order_by("pk")
        .values_list("verb", "page_id")
    )


def test_each_review_decision_notifies_the_author(expert_index, expert, editor, medic):
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=article, user=expert)
    seen = []

    review_request_changes(page=article, user=editor, comment="Cite the trial, please.")
    seen.append(review_notices(expert))
    page_submit_for_review(page=article, user=expert)
    review_approve(page=article, user=editor)
    seen.append(review_notices(expert))
    review_approve(page=article, user=medic)
    seen.append(review_notices(expert))

    # Each decision is news; while unread, the newer one takes the older's place
    # (tests/social/notifications/test_one_unread_per_item.py).
    assert seen == [
        [("changes_requested", article.pk)],
        [("approved", article.pk)],
        [("published", article.pk)],
    ]
    assert (
        not Notification.objects.exclude(recipient=expert)
        .filter(kind=NotificationKind.REVIEW_DECISION)
        .exists()
    )


def test_review_decision_links_lead_to_the_site_not_the_admin(client, expert_index, expert, editor):
    article = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    page_submit_for_review(page=article, user=expert)
    review_request_changes(page=article, user=editor, comment="Shorter, please.")
    client.force_login(expert)

    response = client.get(reverse("notifications:list"))

    html = response.content.decode()
    assert f"Reviewers asked for changes to “{article.title}”" in html
