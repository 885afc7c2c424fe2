"""The stored-XSS corpus in comments: harmless on the page, in the API and in the admin queue."""

import json

from django.urls import reverse

import pytest

from discussion.models import CommentReport
from tests.discussion.conftest import add_comment
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(post_page, other, trusted):
    """Every payload as a comment, a reply and a report text, plus one posted through the form."""
    root = add_comment(post_page, other, "\n".join(PAYLOADS))
    for payload in PAYLOADS:
        comment = add_comment(post_page, other, payload, parent=root)
        CommentReport.objects.create(
            comment=comment, reporter=trusted, reason="other", text=payload
        )
    return root


def test_payloads_posted_through_the_form_are_stored_as_typed_and_shown_as_text(
    client, post_page, trusted
):
    client.force_login(trusted)
    payload = PAYLOADS[1]

    client.post(reverse("discussion:post", args=[post_page.pk]), {"comment": payload})
    html = client.get(post_page.url).content.decode()

    assert_harmless(html, "content page")
    assert "&lt;img src=x onerror=" in html


def test_corpus_is_harmless_on_the_content_page(client, post_page, hostile, trusted):
    for viewer in (None, trusted):
        if viewer:
            client.force_login(viewer)
        assert_harmless(client.get(post_page.url).content.decode(), "content page")


def test_corpus_is_harmless_on_the_reply_and_report_pages(client, post_page, hostile, trusted):
    client.force_login(trusted)

    for url in (
        reverse("discussion:reply", args=[hostile.pk]),
        reverse("discussion:report", args=[hostile.pk]),
    ):
        assert_harmless(client.get(url).content.decode(), url)


def test_corpus_is_harmless_in_the_api_html(client, post_page, hostile):
    response = client.get(reverse("discussion:api_list", args=[post_page.pk]))

    assert response["Content-Type"] == "application/json"
    comments = json.loads(response.content)["comments"]
    assert len(comments) == len(PAYLOADS) + 1
    for comment in comments:
        assert_harmless(comment["html"], f"API comment {comment['id']}")


def test_corpus_is_harmless_in_the_admin_queue(client, editor, hostile):
    client.force_login(editor)

    html = client.get(reverse("discussion_admin:queue")).content.decode()

    assert html.count("discussion-queue-item") >= len(PAYLOADS)
    assert_harmless(html, "moderation queue")


def test_hostile_display_names_are_escaped(client, post_page, other):
    other.display_name = '"><img src=x onerror=alert("xss-name")>'
    type(other).objects.filter(pk=other.pk).update(display_name=other.display_name)
    add_comment(post_page, other, "Hello")

    assert_harmless(client.get(post_page.url).content.decode(), "display name")
    api = client.get(reverse("discussion:api_list", args=[post_page.pk])).json()
    assert api["comments"][0]["author"] == other.display_name
