"""Every email links to where the site is served (``KINDRED_BASE_URL``), not a fixed address.

`make run PORT=8001` exports KINDRED_BASE_URL=http://127.0.0.1:8001 to the
set-up, the server and the worker. Here the site was set up on the default
address and is then served on port 8001: every link of every kind of email
must start with the new address, whatever Wagtail's Site row or the
request's Host says.
"""

import re
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from discussion.services import PREMODERATED_COMMENTS
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from social.models import EmailDelivery, NotificationKind
from social.notifications.services import preference_set
from social.services import follow_create
from tests.accounts.conftest import STRONG_PASSWORD, signup_post
from tests.authoring.conftest import with_consent
from tests.discussion.conftest import add_comment
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SERVED_AT = "http://127.0.0.1:8001"
LINK = re.compile(r"https?://[^\s<>\"')\]]+")
HREF = re.compile(r"""href=["']([^"']*)["']""")


@pytest.fixture(autouse=True)
def served_elsewhere(portal, settings):
    """Set up on the default address (as the suite is), then served on another port.

    The admin's address follows KINDRED_BASE_URL unless set apart (see
    tests/portal/test_make_run.py), and Wagtail's own emails to reviewers use it.
    """
    settings.KINDRED_BASE_URL = SERVED_AT
    settings.WAGTAILADMIN_BASE_URL = SERVED_AT
    mail.outbox.clear()


def links_in(message):
    """Links in the text, in the headers (List-Unsubscribe) and every href of an HTML part."""
    texts = [message.body, *(str(value) for value in message.extra_headers.values())]
    html = [content for content, _type in getattr(message, "alternatives", [])]
    if getattr(message, "content_subtype", "") == "html":
        texts, html = texts[1:], [message.body, *html]
    links = [link for text in texts for link in LINK.findall(text)]
    return links + [link for part in html for link in HREF.findall(part)]


def assert_links_served_at(messages):
    assert messages, "no email was sent"
    for message in messages:
        links = links_in(message)
        assert links, f"no link in {message.subject!r}"
        elsewhere = [link for link in links if not link.startswith(f"{SERVED_AT}/")]
        assert elsewhere == [], f"{message.subject!r} links elsewhere"


def emails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


@pytest.fixture
def author(portal):
    author = with_consent(UserFactory(group="Members", display_name="Author Ann"))
    ProfileFactory(user=author)
    return author


def test_review_decision_emails_and_the_reviewers_emails(
    author, story_index, editor, medic, django_capture_on_commit_callbacks
):
    story = ExperienceStoryPageFactory(parent=story_index, author=author, publish=False)
    sent_back = ExperienceStoryPageFactory(parent=story_index, author=author, publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        page_submit_for_review(page=story, user=author)
        page_submit_for_review(page=sent_back, user=author)
        review_approve(page=story, user=editor)
        review_approve(page=story, user=medic)
        review_request_changes(page=sent_back, user=editor, comment="Please remove the ward.")

    subjects = " | ".join(message.subject for message in emails_to(author))
    assert "Published" in subjects and "ward" in " ".join(m.body for m in emails_to(author))
    assert emails_to(editor) and emails_to(medic), "Wagtail tells the reviewers too"
    assert_links_served_at(mail.outbox)
    story.refresh_from_db()
    # The published item itself, on the served address.
    assert any(f"{SERVED_AT}{story.url}" in message.body for message in emails_to(author)), subjects


def test_notification_emails_at_once(
    author, story_index, editor, medic, django_capture_on_commit_callbacks
):
    reader = UserFactory(group="Members", display_name="Reader Rae")
    preference_set(user=reader, kind=NotificationKind.FOLLOWED_ITEM, email=EmailDelivery.IMMEDIATE)
    preference_set(user=author, kind=NotificationKind.NEW_FOLLOWER, email=EmailDelivery.IMMEDIATE)
    story = ExperienceStoryPageFactory(parent=story_index, author=author, publish=False)
    page_submit_for_review(page=story, user=author)

    with django_capture_on_commit_callbacks(execute=True):
        follow_create(follower=reader, followee=author)
        review_approve(page=story, user=editor)
        review_approve(page=story, user=medic)

    assert emails_to(reader) and emails_to(author)
    assert_links_served_at(emails_to(reader) + emails_to(author))


def test_the_daily_digest(author, story_index, editor, medic, django_capture_on_commit_callbacks):
    reader = UserFactory(group="Members", display_name="Digest Dee")
    follow_create(follower=reader, followee=author)  # followed items: digest by default
    story = ExperienceStoryPageFactory(parent=story_index, author=author, publish=False)
    page_submit_for_review(page=story, user=author)
    with django_capture_on_commit_callbacks(execute=True):
        review_approve(page=story, user=editor)
        review_approve(page=story, user=medic)
    mail.outbox.clear()

    call_command("send_digests", "--now", verbosity=0)

    assert_links_served_at(emails_to(reader))


def test_comment_reply_emails(client, blog_index, django_capture_on_commit_callbacks):
    post = BlogPageFactory(parent=blog_index, title="Pacing my energy")
    older = BlogPageFactory(parent=blog_index, title="An older post")
    starter = with_consent(UserFactory(group="Members", display_name="Starter Sam"))
    replier = with_consent(
        UserFactory(
            group="Members",
            display_name="Regular Robin",
            date_joined=timezone.now() - timedelta(days=90),
        )
    )
    for _ in range(PREMODERATED_COMMENTS):
        add_comment(older, replier, ago=timedelta(days=2))
    root = add_comment(post, starter, "Does heat make it worse for you?")
    client.force_login(replier)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussion:post", args=[post.pk]),
            {"comment": "Yes, every summer.", "parent": root.pk},
        )

    assert response.status_code == 303
    assert_links_served_at(emails_to(starter))


def test_sign_up_confirmation_email(client):
    signing_up = signup_post()

    # The request arrives under another name than the public address.
    response = client.post("/accounts/signup/", signing_up, headers={"host": "localhost"})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert "/accounts/confirm-email/" in message.body
    assert_links_served_at(mail.outbox)


def test_password_reset_and_account_emails(client, portal):
    member = UserFactory(group="Members", email="known@example.org")
    member.set_password(STRONG_PASSWORD)
    member.save()

    client.post("/accounts/password/reset/", {"email": "known@example.org"})
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert len(mail.outbox) == 2
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/signup/" in mail.outbox[1].body
    assert_links_served_at(mail.outbox)
