"""One unread notification per reader, item and kind: a newer event replaces the unread one.

Held by a partial unique constraint; ``_deliver`` updates the unread row in
place (same id, moved to the top, due for email again) and retries when a
concurrent delivery inserted first.
"""

from datetime import timedelta

from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import pytest

from moderation.services import page_submit_for_review, review_approve
from social.models import EmailDelivery, Notification, NotificationKind
from social.notifications import services
from social.notifications.selectors import pending_digest, unread_count
from social.notifications.services import _deliver, notify_review_decision
from social.notifications.tasks import send_daily_digests
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, ExpertArticlePageFactory, UserFactory

from .conftest import follow, follow_topic, prefer

pytestmark = pytest.mark.django_db

REPLY = NotificationKind.COMMENT_REPLY
REVIEW = NotificationKind.REVIEW_DECISION
FOLLOWED = NotificationKind.FOLLOWED_ITEM


@pytest.fixture
def page(blog_index, author):
    return BlogPageFactory(parent=blog_index, author=author, title="Cooling vests")


def unread(user, kind=None):
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return rows.filter(kind=kind) if kind else rows


# --- The database constraint --------------------------------------------------------


def test_the_database_refuses_a_second_unread_notification_about_one_item(reader, page):
    Notification.objects.create(recipient=reader, kind=REVIEW, page=page, verb="approved")

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=reader, kind=REVIEW, page=page, verb="published")


def test_read_ones_other_kinds_other_items_and_page_less_kinds_are_not_concerned(
    reader, author, page, blog_index
):
    other_page = BlogPageFactory(parent=blog_index, author=author)
    Notification.objects.create(recipient=reader, kind=REVIEW, page=page, read_at=timezone.now())
    Notification.objects.create(recipient=reader, kind=REVIEW, page=page, read_at=timezone.now())
    Notification.objects.create(recipient=reader, kind=REVIEW, page=page)
    Notification.objects.create(recipient=reader, kind=FOLLOWED, page=page)
    Notification.objects.create(recipient=reader, kind=REVIEW, page=other_page)
    Notification.objects.create(recipient=author, kind=REVIEW, page=page)
    kind = NotificationKind.NEW_FOLLOWER
    Notification.objects.create(recipient=reader, kind=kind, actor=author)
    Notification.objects.create(recipient=reader, kind=kind, actor=UserFactory())

    assert Notification.objects.count() == 8


# --- The service --------------------------------------------------------------------


def test_a_newer_event_replaces_the_unread_one_in_place(reader, author, page):
    ((first, _),) = _deliver(
        recipient_ids=[reader.pk], kind=REVIEW, page=page, verb="approved", email=False
    )
    Notification.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=2), emailed_at=timezone.now()
    )

    ((second, delivery),) = _deliver(
        recipient_ids=[reader.pk], kind=REVIEW, page=page, verb="published", email=False
    )

    row = unread(reader).get()
    assert row.pk == first.pk == second.pk
    assert (row.verb, second.verb) == ("published", "published")
    # Moved to the top, and due for email again: the new news is not lost.
    assert row.created_at > timezone.now() - timedelta(minutes=1)
    assert row.emailed_at is None and second.emailed_at is None
    assert delivery == EmailDelivery.IMMEDIATE


def test_once_read_a_newer_event_is_a_new_unread_notification(reader, page):
    ((first, _),) = _deliver(
        recipient_ids=[reader.pk], kind=REVIEW, page=page, verb="approved", email=False
    )
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())

    _deliver(recipient_ids=[reader.pk], kind=REVIEW, page=page, verb="published", email=False)

    assert Notification.objects.count() == 2
    assert unread(reader).get().verb == "published"
    assert Notification.objects.get(pk=first.pk).verb == "approved"


def test_replacing_for_some_recipients_and_inserting_for_others_in_one_delivery(
    reader, author, page
):
    newcomer = UserFactory(group="Members")
    _deliver(recipient_ids=[reader.pk], kind=FOLLOWED, page=page, email=False)

    delivered = _deliver(
        recipient_ids=[newcomer.pk, reader.pk, newcomer.pk], kind=FOLLOWED, page=page, email=False
    )

    assert [n.recipient_id for n, _ in delivered] == [newcomer.pk, reader.pk]
    assert Notification.objects.count() == 2
    assert unread_count(user=reader) == unread_count(user=newcomer) == 1


def test_review_decisions_keep_the_latest_and_count_one_in_the_bell(client, reader, author, page):
    for verb in ("changes_requested", "approved", "published"):
        notify_review_decision(page=page, author=author, verb=verb)
    client.force_login(author)

    assert list(unread(author).values_list("verb", flat=True)) == ["published"]
    html = client.get("/notifications/").content.decode()
    assert html.count("“Cooling vests”") == 1
    assert "passed review and is now published" in html


def test_a_lost_race_is_retried_and_replaces_the_winners_row(reader, author, page, monkeypatch):
    """Two deliveries racing (PostgreSQL, READ COMMITTED): ours looked before the other's
    row was committed, so our insert meets it in the constraint. No error reaches
    anyone: the retry finds that row and replaces it."""
    winner = Notification.objects.create(recipient=reader, kind=REPLY, page=page, comment_id=1)
    looked = []
    real = services._unread_about

    def blind_first_look(**kwargs):
        looked.append(kwargs)
        return {} if len(looked) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "_unread_about", blind_first_look)

    ((notification, _),) = _deliver(
        recipient_ids=[reader.pk], kind=REPLY, page=page, actor=author, comment_id=2
    )

    assert len(looked) == 2
    assert notification.pk == winner.pk
    assert Notification.objects.get().comment_id == 2


def test_a_race_lost_every_time_gives_up_with_the_error(reader, page, monkeypatch):
    Notification.objects.create(recipient=reader, kind=REPLY, page=page)
    monkeypatch.setattr(services, "_unread_about", lambda **kwargs: {})

    with pytest.raises(IntegrityError):
        _deliver(recipient_ids=[reader.pk], kind=REPLY, page=page, email=False)
    # The savepoint kept the transaction usable.
    assert Notification.objects.count() == 1


def test_a_lost_race_never_undoes_the_callers_own_work(reader, author, page, monkeypatch):
    Notification.objects.create(recipient=reader, kind=REPLY, page=page)
    real = services._unread_about
    calls = []
    monkeypatch.setattr(
        services,
        "_unread_about",
        lambda **kwargs: calls.append(1) or ({} if len(calls) == 1 else real(**kwargs)),
    )

    with transaction.atomic():
        someone = UserFactory(display_name="Made by the caller")
        _deliver(recipient_ids=[reader.pk], kind=REPLY, page=page, email=False)

    assert UserFactory._meta.model.objects.filter(pk=someone.pk).exists()


# --- Email: queued, sent, digested ---------------------------------------------------------


def _two_replies(page, author):
    starter = with_consent(UserFactory(group="Members", display_name="Starter Sam"))
    first = with_consent(UserFactory(group="Members", display_name="First Fran"))
    second = with_consent(UserFactory(group="Members", display_name="Second Sid"))
    root = add_comment(page, starter, "Does heat make it worse?")
    return (
        starter,
        (first, add_comment(page, first, "Yes", parent=root)),
        (second, add_comment(page, second, "For me too", parent=root)),
    )


def test_an_email_queued_for_the_replaced_row_sends_the_new_news_once(
    page, author, django_capture_on_commit_callbacks
):
    starter, (first, reply1), (second, reply2) = _two_replies(page, author)
    prefer(starter, REPLY, EmailDelivery.IMMEDIATE)

    # Both emails are queued before the worker runs either.
    with django_capture_on_commit_callbacks() as queued:
        _deliver(
            recipient_ids=[starter.pk], kind=REPLY, page=page, actor=first, comment_id=reply1.pk
        )
        _deliver(
            recipient_ids=[starter.pk], kind=REPLY, page=page, actor=second, comment_id=reply2.pk
        )
    assert len(queued) == 2
    for callback in queued:
        callback()

    (message,) = mail.outbox
    assert "Second Sid replied" in message.subject
    assert reverse("discussion:permalink", args=[reply2.pk]) in message.body
    assert "First Fran" not in message.body


def test_a_newer_event_after_the_email_went_out_is_emailed_too(
    page, author, django_capture_on_commit_callbacks
):
    starter, (first, reply1), (second, reply2) = _two_replies(page, author)
    prefer(starter, REPLY, EmailDelivery.IMMEDIATE)

    with django_capture_on_commit_callbacks(execute=True):
        _deliver(
            recipient_ids=[starter.pk], kind=REPLY, page=page, actor=first, comment_id=reply1.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(
            recipient_ids=[starter.pk], kind=REPLY, page=page, actor=second, comment_id=reply2.pk
        )

    assert ["First Fran" in m.subject for m in mail.outbox] == [True, False]
    assert "Second Sid replied" in mail.outbox[1].subject
    assert unread(starter).get().emailed_at is not None


def test_the_digest_lists_the_latest_event_once_and_a_replaced_row_comes_back(author, page):
    prefer(author, REVIEW, EmailDelivery.DAILY)
    notify_review_decision(page=page, author=author, verb="approved")
    notify_review_decision(page=page, author=author, verb="published")

    assert send_daily_digests.call() == 1
    (message,) = mail.outbox
    assert "1 new notification" in message.subject
    assert "passed review and is now published" in message.body
    assert "goes to the next reviewer" not in message.body

    # Digested, still unread; a newer event makes it due again.
    notify_review_decision(page=page, author=author, verb="changes_requested")
    assert send_daily_digests.call() == 1
    assert "Reviewers asked for changes" in mail.outbox[1].body


def test_read_notifications_are_not_sent_in_the_digest(reader, author, page):
    _deliver(recipient_ids=[reader.pk], kind=FOLLOWED, page=page, actor=author, email=False)
    Notification.objects.update(read_at=timezone.now())

    assert not pending_digest().exists()
    assert send_daily_digests.call() == 0


# --- The demo scenario and follows --------------------------------------------------------


def test_editorial_approval_then_publication_leaves_one_unread_notification(
    client, expert_index, editor, medic
):
    """The demo's member2 had one notice per step for every item (21 unread)."""
    writer = UserFactory(group="Experts", display_name="Dr Writer")
    articles = [
        ExpertArticlePageFactory(parent=expert_index, author=writer, publish=False)
        for _ in range(3)
    ]
    for article in articles:
        page_submit_for_review(page=article, user=writer)
        review_approve(page=article, user=editor)
        review_approve(page=article, user=medic)

    assert unread_count(user=writer) == 3
    assert sorted(unread(writer, REVIEW).values_list("page_id", "verb")) == sorted(
        (article.pk, "published") for article in articles
    )
    # Each decision was still emailed as it happened.
    assert [m.to for m in mail.outbox].count([writer.email]) == 6
    client.force_login(writer)
    assert "Notifications, 3 unread" in client.get("/").content.decode()


def test_following_the_author_and_a_topic_of_an_item_brings_one_notification(
    blog_index, author, reader, publish
):
    follow(reader, author)
    follow_topic(reader, "Fatigue")
    follow_topic(reader, "Sleep")

    page = publish(
        lambda: BlogPageFactory(parent=blog_index, author=author, tags=["Fatigue", "Sleep"])
    )
    # The same publication announced again (a retried or duplicated task).
    services.notify_followed_publication(page=page)
    _deliver(recipient_ids=[reader.pk], kind=FOLLOWED, page=page, actor=author)

    assert unread(reader, FOLLOWED).get().page_id == page.pk
