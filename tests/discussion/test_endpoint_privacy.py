"""Every comment endpoint answers for an unreadable page or comment exactly as for a missing one.

Unreadable: a draft page, a page in review, and comments that are removed,
hidden by an Editor or awaiting moderation (someone else's). The routes that
django-comments-xtd and django-contrib-comments would add are not reachable.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import pytest

from core.models import ContentPage
from discussion.models import PageComment
from moderation.services import page_submit_for_review
from tests.discussion.conftest import add_comment, same_answer
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

MISSING = 987654
CANARY = "canary-unreadable-comment"


@pytest.fixture
def draft_page(blog_index, member, other):
    """Published once, commented on, then unpublished: a draft again."""
    page = BlogPageFactory(parent=blog_index, author=member, title="Draft again")
    add_comment(page, other, f"{CANARY} on a draft")
    page.unpublish()
    return page


@pytest.fixture
def review_page(blog_index, member, other):
    """Never published, sent into editorial review; a comment row points at it anyway."""
    page = BlogPageFactory(parent=blog_index, author=member, title="In review", publish=False)
    page_submit_for_review(page=page, user=member)
    add_comment(page, other, f"{CANARY} on a page in review")
    return page


@pytest.fixture
def unreadable_comments(post_page, draft_page, review_page, other):
    """Comment ids the requester must not reach, by why."""
    return {
        "removed": add_comment(post_page, other, f"{CANARY} removed", state="removed").pk,
        "hidden": add_comment(post_page, other, f"{CANARY} hidden", state="hidden").pk,
        "awaiting": add_comment(post_page, other, f"{CANARY} awaiting", state="awaiting").pk,
        "on a draft page": PageComment.objects.get(object_pk=str(draft_page.pk)).pk,
        "on a page in review": PageComment.objects.get(object_pk=str(review_page.pk)).pk,
    }


COMMENT_ENDPOINTS = [
    ("get", "discussion:reply"),
    ("get", "discussion:permalink"),
    ("get", "discussion:report"),
    ("post", "discussion:report"),
    ("get", "discussion:edit"),
    ("post", "discussion:edit"),
]
PAGE_ENDPOINTS = [
    ("get", "discussion:api_list"),
    ("get", "discussion:api_count"),
    ("post", "discussion:post"),
]


def _call(client, method, name, object_id, **headers):
    url = reverse(name, args=[object_id])
    if method == "post":
        return client.post(url, {"comment": "Probe", "reason": "spam"}, headers=headers)
    return client.get(url, headers=headers)


@pytest.mark.parametrize("who", ["visitor", "member", "editor"])
@pytest.mark.parametrize(("method", "name"), COMMENT_ENDPOINTS)
def test_comment_endpoints_answer_unreadable_comments_like_missing_ones(
    request, client, unreadable_comments, method, name, who
):
    if who != "visitor":
        client.force_login(request.getfixturevalue("trusted" if who == "member" else "editor"))
    missing = _call(client, method, name, MISSING)
    if who == "visitor" and name in ("discussion:report", "discussion:edit"):
        # Sign-in comes first, before anything is looked up.
        assert missing.status_code == 302
    else:
        assert missing.status_code == 404

    for why, comment_id in unreadable_comments.items():
        response = _call(client, method, name, comment_id)
        assert same_answer(response, missing), f"{method} {name} for a comment {why}"
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize("who", ["visitor", "member"])
@pytest.mark.parametrize(("method", "name"), PAGE_ENDPOINTS)
def test_page_endpoints_answer_unreadable_pages_like_missing_ones(
    request, client, draft_page, review_page, method, name, who
):
    if who == "member":
        client.force_login(request.getfixturevalue("trusted"))
    missing = _call(client, method, name, MISSING)
    assert missing.status_code == 404

    for page in (draft_page, review_page):
        response = _call(client, method, name, page.pk)
        assert same_answer(response, missing), f"{method} {name} for {page.title}"
    assert not PageComment.objects.filter(comment="Probe").exists()


def test_json_callers_get_the_same_404_too(client, trusted, unreadable_comments, draft_page):
    client.force_login(trusted)
    json_missing = _call(client, "post", "discussion:post", MISSING, accept="application/json")

    assert json_missing.status_code == 404
    assert same_answer(
        _call(client, "post", "discussion:post", draft_page.pk, accept="application/json"),
        json_missing,
    )


def test_replying_to_an_unreadable_comment_is_refused_like_a_missing_one(
    client, post_page, trusted, unreadable_comments
):
    client.force_login(trusted)

    def reply_to(comment_id):
        return client.post(
            reverse("discussion:post", args=[post_page.pk]),
            {"comment": "Probe", "parent": comment_id},
        )

    missing = reply_to(MISSING)
    assert missing.status_code == 400
    for why, comment_id in unreadable_comments.items():
        assert same_answer(reply_to(comment_id), missing), why
    assert not PageComment.objects.filter(comment="Probe").exists()


def test_the_author_reaches_their_own_held_comment_by_permalink_only(
    client, post_page, other, unreadable_comments
):
    client.force_login(other)
    held = unreadable_comments["awaiting"]

    link = client.get(reverse("discussion:permalink", args=[held]))

    assert link.status_code == 302
    assert link.url == f"{post_page.url}#c{held}"
    # Nobody replies to or reports a comment that is not yet visible.
    assert client.get(reverse("discussion:reply", args=[held])).status_code == 404


def test_readable_comment_endpoints_work(client, post_page, other, trusted):
    comment = add_comment(post_page, other, "Readable")
    client.force_login(trusted)

    assert client.get(reverse("discussion:reply", args=[comment.pk])).status_code == 200
    link = client.get(reverse("discussion:permalink", args=[comment.pk]))
    assert link.url == f"{post_page.url}#c{comment.pk}"
    assert client.get(reverse("discussion:api_count", args=[post_page.pk])).json() == {
        "page": post_page.pk,
        "count": 1,
    }


def test_visitor_reply_page_invites_to_sign_in(client, post_page, other):
    comment = add_comment(post_page, other, "Readable")

    response = client.get(reverse("discussion:reply", args=[comment.pk]))

    assert response.status_code == 200
    assert "Sign in to join the discussion" in response.content.decode()
    assert "<textarea" not in response.content.decode()


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_xtd_and_contrib_comments_routes_are_not_reachable(request, client, post_page, other, who):
    comment = add_comment(post_page, other, "Target")
    page_type = ContentType.objects.get_for_model(ContentPage).pk
    if who == "member":
        client.force_login(request.getfixturevalue("trusted"))
    probes = [
        f"/comments/reply/{comment.pk}/",
        f"/comments/api/{page_type}/{post_page.pk}/",
        f"/comments/api/{page_type}/{post_page.pk}/count/",
        "/comments/api/feedback/",
        "/comments/api/flag/",
        f"/comments/cr/{page_type}/{post_page.pk}/",
        f"/comments/flag/{comment.pk}/",
        "/comments/flagged/",
        f"/comments/like/{comment.pk}/",
        f"/comments/dislike/{comment.pk}/",
        f"/comments/delete/{comment.pk}/",
        f"/comments/approve/{comment.pk}/",
        "/comments/post/",
        "/comments/posted/",
        "/comments/sent/",
        "/comments/confirm/anything/",
    ]
    for path in probes:
        for method in ("get", "post"):
            response = getattr(client, method)(path, {"comment": "x", "name": "x"})
            assert response.status_code in (404, 405), f"{method.upper()} {path}"
    comment.refresh_from_db()
    assert comment.is_public and not comment.is_removed
    assert PageComment.objects.count() == PageComment.objects.filter(comment="Target").count() + (
        3 if who == "member" else 0
    )
