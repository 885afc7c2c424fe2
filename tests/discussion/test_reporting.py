"""Members report comments with a reason; only Editors ever learn who reported."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

import pytest

from discussion.models import CommentReport
from tests.discussion.conftest import add_comment, same_answer, with_consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _report(client, comment, reason="abusive", text="", **headers):
    data = {"reason": reason, "text": text}
    return client.post(reverse("discussion:report", args=[comment.pk]), data, headers=headers)


@pytest.fixture
def reported(post_page, other):
    return add_comment(post_page, other, "Something unkind")


def test_member_reports_with_a_reason_and_optional_text(client, trusted, reported):
    client.force_login(trusted)

    form = client.get(reverse("discussion:report", args=[reported.pk]))
    response = _report(client, reported, "misinformation", "Says to stop medication.")

    assert form.status_code == 200
    for label in (
        "Spam or advertising",
        "Abusive or harassing",
        "Shares someone&#x27;s private information",
        "Medical misinformation",
        "Something else",
    ):
        assert label in form.content.decode()
    assert response.status_code == 303
    report = CommentReport.objects.get()
    assert (report.reporter, report.reason, report.text) == (
        trusted,
        "misinformation",
        "Says to stop medication.",
    )
    assert "Thank you for your report" in client.get(response.url).content.decode()


@pytest.mark.parametrize("reason", ["", "made-up", "<script>"])
def test_a_reason_from_the_list_is_required(client, trusted, reported, reason):
    client.force_login(trusted)

    response = _report(client, reported, reason)

    assert response.status_code == 400
    assert "Choose why you are reporting this comment." in response.content.decode()
    assert not CommentReport.objects.exists()


def test_one_report_per_member_and_comment(client, trusted, reported):
    client.force_login(trusted)

    _report(client, reported, "spam")
    again = _report(client, reported, "abusive")

    assert again.status_code == 400
    assert "already reported this comment" in again.content.decode()
    assert CommentReport.objects.count() == 1


def test_several_members_may_report_the_same_comment(client, trusted, reported):
    second = with_consent(UserFactory(group="Members"))
    for reporter in (trusted, second):
        client.force_login(reporter)
        assert _report(client, reported).status_code == 303

    assert CommentReport.objects.filter(comment=reported).count() == 2


def test_own_comment_cannot_be_reported(client, other, reported):
    client.force_login(other)

    response = _report(client, reported)

    assert response.status_code == 400
    assert not CommentReport.objects.exists()


def test_report_text_is_bounded(client, trusted, reported):
    client.force_login(trusted)

    response = _report(client, reported, "other", "w" * 501)

    assert response.status_code == 400
    assert not CommentReport.objects.exists()


def test_the_reporter_is_never_shown_on_the_page_or_in_the_api(
    client, post_page, trusted, other, reported
):
    client.force_login(trusted)
    _report(client, reported, "abusive", "reporter-words-canary")

    # The reported member, and a visitor.
    for viewer in (other, None):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        for url in (
            post_page.url,
            reverse("discussion:api_list", args=[post_page.pk]),
            reverse("discussion:api_count", args=[post_page.pk]),
            reverse("discussion:reply", args=[reported.pk]),
            reverse("discussion:permalink", args=[reported.pk]),
        ):
            body = client.get(url, follow=True).content.decode()
            assert trusted.public_name not in body
            assert "reporter-words-canary" not in body
            assert "abusive" not in body.lower()
    api = client.get(reverse("discussion:api_list", args=[post_page.pk])).json()
    assert set(api["comments"][0]) == {
        "id",
        "parent_id",
        "level",
        "removed",
        "author",
        "profile_url",
        "submitted_at",
        "edited",
        "html",
    }


def test_reports_need_sign_in_post_and_csrf(post_page, trusted, reported):
    anonymous = Client()
    response = _report(anonymous, reported)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trusted)
    assert _report(strict, reported).status_code == 403
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("state", ["awaiting", "hidden", "removed"])
def test_only_visible_comments_can_be_reported(client, post_page, trusted, other, state):
    comment = add_comment(post_page, other, "Not visible", state=state)
    client.force_login(trusted)

    response = _report(client, comment)
    missing = client.post(reverse("discussion:report", args=[999999]), {"reason": "spam"})

    assert response.status_code == 404
    assert same_answer(response, missing)
    assert not CommentReport.objects.exists()


def test_reports_are_throttled_with_a_message(client, post_page, trusted, other):
    comments = [
        add_comment(post_page, other, f"Comment {n}", ago=timedelta(hours=1)) for n in range(11)
    ]
    client.force_login(trusted)

    answers = [_report(client, comment).status_code for comment in comments]

    assert answers[:10] == [303] * 10
    assert answers[10] == 429
    assert CommentReport.objects.count() == 10


def test_report_json_for_fetch(client, trusted, reported):
    client.force_login(trusted)

    response = _report(client, reported, accept="application/json")

    assert response.status_code == 200
    assert "Thank you" in response.json()["message"]
