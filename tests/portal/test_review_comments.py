"""The medical reviewer's comment with the approval that publishes reaches the author as a
request for changes does: in the email, in the notification list and on My
contributions. An editorial approval's note is for the medical reviewer and stays
in the admin."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from authoring.selectors import contribution_state
from moderation.selectors import review_decision_comments
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from social.models import Notification, NotificationKind
from tests.authoring.conftest import with_consent
from tests.factories import BlogPageFactory, ExpertArticlePageFactory, UserFactory
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

CONTRIBUTIONS = reverse("authoring:contributions")
NOTIFICATIONS = reverse("notifications:list")
MEDICAL_NOTE = "Accurate. I added the trial's full name to the second paragraph."
EDITORIAL_NOTE = "Lovely tone; I shortened the title."


@pytest.fixture
def article(expert_index, expert):
    page = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, title="Heat and MS"
    )
    page_submit_for_review(page=page, user=expert)
    return page


def emails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def comments_on(client, path, css):
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    return [" ".join(node.get_text().split()) for node in soup.select(css)]


# --- Email ---------------------------------------------------------------------------


def test_publication_email_carries_the_medical_reviewers_comment(article, expert, editor, medic):
    review_approve(page=article, user=editor)
    mail.outbox.clear()

    review_approve(page=article, user=medic, comment=MEDICAL_NOTE)

    (email,) = emails_to(expert)
    assert "is now published" in email.body
    assert "The reviewer (medical review) left you a note:" in email.body
    assert MEDICAL_NOTE in email.body


def test_editorial_note_for_the_medical_reviewer_is_not_emailed(article, expert, editor):
    mail.outbox.clear()

    review_approve(page=article, user=editor, comment=EDITORIAL_NOTE)

    (email,) = emails_to(expert)
    assert "has passed editorial review" in email.body
    assert EDITORIAL_NOTE not in email.body


def test_approval_without_comment_says_nothing_about_a_note(article, expert, editor):
    mail.outbox.clear()

    review_approve(page=article, user=editor)

    (email,) = emails_to(expert)
    assert "note" not in email.body


# --- Notifications ----------------------------------------------------------------------


def test_notification_of_publication_shows_the_medical_comment(
    client, article, expert, editor, medic
):
    review_approve(page=article, user=editor, comment=EDITORIAL_NOTE)
    client.force_login(expert)
    assert comments_on(client, NOTIFICATIONS, ".notification .review-comment") == []
    assert EDITORIAL_NOTE not in client.get(NOTIFICATIONS).content.decode()

    review_approve(page=article, user=medic, comment=MEDICAL_NOTE)

    # The unread "passed a step" is replaced by "published", with the medical comment.
    assert comments_on(client, NOTIFICATIONS, ".notification .review-comment") == [
        f"Reviewer's comment: {MEDICAL_NOTE}"
    ]


def test_notification_shows_the_comment_of_the_decision_it_reports(client, article, expert, editor):
    review_request_changes(page=article, user=editor, comment="Please cite the trial.")
    Notification.objects.filter(recipient=expert).update(read_at="2026-01-01T00:00Z")
    page_submit_for_review(page=article, user=expert)
    review_request_changes(page=article, user=editor, comment="Closer; one more source.")
    client.force_login(expert)

    # Newest first; the read one keeps the comment it reported.
    assert comments_on(client, NOTIFICATIONS, ".notification .review-comment") == [
        "Reviewer's comment: Closer; one more source.",
        "Reviewer's comment: Please cite the trial.",
    ]


def test_decision_without_comment_shows_none(client, article, expert, editor, medic):
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic)
    client.force_login(expert)

    assert comments_on(client, NOTIFICATIONS, ".review-comment") == []


def test_hostile_comment_is_shown_as_text(client, article, expert, editor, medic):
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic, comment="\n".join(PAYLOADS))
    client.force_login(expert)

    for path in (NOTIFICATIONS, CONTRIBUTIONS):
        html = client.get(path).content.decode()
        assert_harmless(html, path)
        assert "&lt;script&gt;" in html


def test_only_the_author_is_told_the_comment(article, expert, editor, member):
    review_request_changes(page=article, user=editor, comment="Please cite the trial.")
    (notification,) = Notification.objects.filter(kind=NotificationKind.REVIEW_DECISION)
    assert notification.recipient == expert

    # The selector is only ever asked about the reader's own items; someone
    # else's notification about the same page shows nothing (the page is not theirs).
    from social.notifications.selectors import notification_entries

    Notification.objects.create(
        recipient=member,
        kind=NotificationKind.REVIEW_DECISION,
        page=article,
        verb="changes_requested",
    )
    (entry,) = notification_entries(
        user=member, notifications=Notification.objects.filter(recipient=member)
    )
    assert entry.review_comment == ""
    assert not entry.available


def test_notification_comments_are_one_query_whatever_their_number(
    client, expert_index, expert, editor, django_assert_max_num_queries
):
    def decided(number):
        for index in range(number):
            page = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
            page_submit_for_review(page=page, user=expert)
            review_request_changes(page=page, user=editor, comment=f"Note {index}")

    decided(1)
    client.force_login(expert)
    client.get(NOTIFICATIONS)
    with CaptureQueriesContext(connection) as one:
        client.get(NOTIFICATIONS)
    decided(5)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(NOTIFICATIONS)

    assert response.content.decode().count("Reviewer's comment:") == 6


def test_comment_matching_ignores_decisions_after_the_notification(article, expert, editor, medic):
    review_request_changes(page=article, user=editor, comment="First request.")
    (notification,) = Notification.objects.filter(kind=NotificationKind.REVIEW_DECISION)
    told_at = notification.created_at
    page_submit_for_review(page=article, user=expert)
    review_request_changes(page=article, user=editor, comment="Second request.")
    page_submit_for_review(page=article, user=expert)
    review_approve(page=article, user=editor, comment=EDITORIAL_NOTE)
    review_approve(page=article, user=medic, comment=MEDICAL_NOTE)
    now = timezone.now()

    comments = review_decision_comments(
        decisions=[
            ("then", article.pk, "changes_requested", told_at),
            ("now", article.pk, "changes_requested", now),
            ("published then", article.pk, "published", told_at),
            ("published", article.pk, "published", now),
            ("step passed", article.pk, "approved", now),  # an editorial note: not for the author
            ("unknown", article.pk, "mystery", now),
        ]
    )

    assert comments == {
        "then": "First request.",
        "now": "Second request.",
        "published then": "",
        "published": MEDICAL_NOTE,
    }


# --- My contributions ----------------------------------------------------------------------


def test_contributions_show_the_medical_comment_on_the_published_item(
    client, article, expert, editor, medic
):
    review_approve(page=article, user=editor)
    review_approve(page=article, user=medic, comment=MEDICAL_NOTE)
    client.force_login(expert)

    assert comments_on(client, CONTRIBUTIONS, ".review-comment") == [
        f"Reviewer's comment: {MEDICAL_NOTE}"
    ]


def test_contributions_keep_the_editorial_note_from_the_author(
    client, article, expert, editor, medic
):
    review_approve(page=article, user=editor, comment=EDITORIAL_NOTE)
    client.force_login(expert)

    assert contribution_state(article).review_comment == ""
    assert comments_on(client, CONTRIBUTIONS, ".review-comment") == []

    review_approve(page=article, user=medic)

    assert EDITORIAL_NOTE not in client.get(CONTRIBUTIONS).content.decode()


def test_a_new_review_starts_without_the_old_comments(article, expert, editor):
    review_request_changes(page=article, user=editor, comment="Please cite the trial.")
    assert contribution_state(article).review_comment == "Please cite the trial."

    page_submit_for_review(page=article, user=expert)

    assert contribution_state(article).review_comment == ""


def test_an_approval_note_is_not_shown_as_a_request_for_changes(client, blog_index, editor, medic):
    writer = with_consent(UserFactory(group="Members"))
    page = BlogPageFactory(parent=blog_index, author=writer, publish=False)
    page_submit_for_review(page=page, user=writer)
    review_approve(page=page, user=editor)
    review_approve(page=page, user=medic, comment=MEDICAL_NOTE)
    client.force_login(writer)

    response = client.get(reverse("authoring:edit", args=(page.pk,)))

    assert response.status_code == 200
    assert "Changes requested by our reviewers" not in response.content.decode()
