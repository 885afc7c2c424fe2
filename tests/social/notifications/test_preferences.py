"""Each kind is emailed at once, in the daily digest, or not at all, as the member chose."""

from django.core import mail
from django.urls import reverse

import pytest

from moderation.services import page_submit_for_review, review_request_changes
from social.models import EmailDelivery, Notification, NotificationKind, NotificationPreference
from social.notifications.selectors import DEFAULT_EMAIL, email_preferences
from social.notifications.services import notify_new_follower, preference_set
from social.notifications.tasks import send_daily_digests
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, ExpertArticlePageFactory, UserFactory

from .conftest import follow, prefer

pytestmark = pytest.mark.django_db

IMMEDIATE, DAILY, OFF = EmailDelivery.IMMEDIATE, EmailDelivery.DAILY, EmailDelivery.OFF


def make_new_follower(recipient, ctx):
    with ctx["capture"](execute=True):
        notify_new_follower(follower=UserFactory(display_name="Fan Fay"), followee=recipient)


def make_followed_item(recipient, ctx):
    author = UserFactory(group="Members", display_name="Writer Wyn")
    follow(recipient, author)
    with ctx["capture"](execute=True):
        BlogPageFactory(parent=ctx["blog_index"], author=author, title="Cooling vests")


def make_comment_reply(recipient, ctx):
    from discussion.notifications import send_reply_notifications

    page = BlogPageFactory(parent=ctx["blog_index"], title="Cooling vests")
    root = add_comment(page, with_consent(recipient), "Anyone tried one?")
    reply = add_comment(
        page, with_consent(UserFactory(display_name="Replier Ray")), "Yes", parent=root
    )
    send_reply_notifications.call(reply.pk)


def make_review_decision(recipient, ctx):
    article = ExpertArticlePageFactory(
        parent=ctx["expert_index"], author=recipient, publish=False, title="Cooling vests"
    )
    page_submit_for_review(page=article, user=recipient)
    review_request_changes(page=article, user=ctx["editor"], comment="Sources, please.")


EVENTS = {
    NotificationKind.NEW_FOLLOWER: make_new_follower,
    NotificationKind.FOLLOWED_ITEM: make_followed_item,
    NotificationKind.COMMENT_REPLY: make_comment_reply,
    NotificationKind.REVIEW_DECISION: make_review_decision,
}


@pytest.fixture
def ctx(blog_index, expert_index, editor, django_capture_on_commit_callbacks):
    return {
        "blog_index": blog_index,
        "expert_index": expert_index,
        "editor": editor,
        "capture": django_capture_on_commit_callbacks,
    }


def recipient_for(kind):
    group = "Experts" if kind == NotificationKind.REVIEW_DECISION else "Members"
    return UserFactory(group=group, display_name="Recipient Rita")


def to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.mark.parametrize("kind", list(EVENTS))
def test_immediate_emails_at_once_and_not_again_in_the_digest(kind, ctx):
    recipient = prefer(recipient_for(kind), kind, IMMEDIATE)

    EVENTS[kind](recipient, ctx)

    notification = Notification.objects.get(recipient=recipient, kind=kind)
    (message,) = to(recipient)
    assert "/notifications/unsubscribe/" in message.body or "/comments/mute/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    mail.outbox.clear()
    assert send_daily_digests.call() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("kind", list(EVENTS))
def test_daily_waits_for_the_digest(kind, ctx):
    recipient = prefer(recipient_for(kind), kind, DAILY)

    EVENTS[kind](recipient, ctx)

    assert Notification.objects.filter(recipient=recipient, kind=kind).exists()
    assert to(recipient) == []
    assert send_daily_digests.call() == 1
    (digest,) = to(recipient)
    assert "daily digest" in digest.subject


@pytest.mark.parametrize("kind", list(EVENTS))
def test_off_shows_on_the_site_only(kind, ctx):
    recipient = prefer(recipient_for(kind), kind, OFF)

    EVENTS[kind](recipient, ctx)

    assert Notification.objects.filter(recipient=recipient, kind=kind).exists()
    send_daily_digests.call()
    assert to(recipient) == []


@pytest.mark.parametrize("kind", list(EVENTS))
def test_defaults_without_a_choice(kind, ctx):
    recipient = recipient_for(kind)

    EVENTS[kind](recipient, ctx)

    immediate = len(to(recipient))
    send_daily_digests.call()
    assert (immediate, len(to(recipient)) - immediate) == {
        IMMEDIATE: (1, 0),
        DAILY: (0, 1),
    }[DEFAULT_EMAIL[kind]]


def test_a_preference_changed_after_queueing_wins(ctx, django_capture_on_commit_callbacks):
    recipient = prefer(UserFactory(group="Members"), NotificationKind.NEW_FOLLOWER, IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        notify_new_follower(follower=UserFactory(), followee=recipient)
    preference_set(user=recipient, kind=NotificationKind.NEW_FOLLOWER, email=OFF)

    for callback in queued:
        callback()

    assert mail.outbox == []


def test_settings_page_shows_defaults_and_saves_choices(client, member):
    client.force_login(member)
    url = reverse("notifications:settings")

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for _kind, label in NotificationKind.choices:
        assert label in html

    response = client.post(
        url,
        {
            "new_follower": "off",
            "followed_item": "immediate",
            "comment_reply": "daily",
            "review_decision": "immediate",
            "community_invitation": "off",
            "community_decision": "daily",
            "question_for_expert": "daily",
            "question_answered": "off",
        },
    )

    assert response.status_code == 302
    assert {kind: email for kind, _label, email in email_preferences(user=member)} == {
        "new_follower": "off",
        "followed_item": "immediate",
        "comment_reply": "daily",
        "review_decision": "immediate",
        "community_invitation": "off",
        "community_decision": "daily",
        "question_for_expert": "daily",
        "question_answered": "off",
    }


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"new_follower": "sometimes"},
        {"new_follower": "off", "followed_item": "x" * 10_000},
        {"new_follower": ["off", "daily"], "followed_item": "<script>alert(1)</script>"},
    ],
)
def test_settings_refuse_bad_input_clearly(client, member, data):
    client.force_login(member)

    response = client.post(reverse("notifications:settings"), data)

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_settings_need_sign_in_and_csrf(client, member):
    from django.test import Client

    assert client.get(reverse("notifications:settings")).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    response = strict.post(reverse("notifications:settings"), {"new_follower": "off"})
    assert response.status_code == 403
    assert not NotificationPreference.objects.exists()


def test_the_account_page_and_the_list_link_to_the_settings(client, member):
    client.force_login(member)
    settings_url = reverse("notifications:settings")

    assert f'href="{settings_url}"' in client.get(reverse("accounts:account")).content.decode()
    assert f'href="{settings_url}"' in client.get(reverse("notifications:list")).content.decode()
