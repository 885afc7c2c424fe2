"""Threads of up to three levels, who is shown, and what visitors are offered."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from discussion.models import PageComment
from social.models import Profile
from tests.discussion.conftest import add_comment
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _post(client, page, text, parent=None):
    data = {"comment": text}
    if parent is not None:
        data["parent"] = parent.pk
    return client.post(reverse("discussion:post", args=[page.pk]), data)


def _thread_ids(html):
    """(id, level) of every comment article in the thread, in document order."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        (int(article["id"][1:]), int(article.parent["class"][1].rsplit("-", 1)[1]))
        for article in soup.select("#comments li.comment > article")
    ]


def test_replies_nest_three_levels_in_thread_order(client, post_page, trusted, other):
    first = add_comment(post_page, other, "First on the page")
    second = add_comment(post_page, other, "Second on the page")
    client.force_login(trusted)

    reply = _post(client, post_page, "A reply to the first", parent=first)
    assert reply.status_code == 303
    reply_comment = PageComment.objects.get(comment="A reply to the first")
    deep = add_comment(post_page, other, "A reply to the reply", parent=reply_comment)

    assert (reply_comment.level, reply_comment.thread_id, reply_comment.parent_id) == (
        1,
        first.pk,
        first.pk,
    )
    assert (deep.level, deep.thread_id) == (2, first.pk)
    html = client.get(post_page.url).content.decode()
    assert _thread_ids(html) == [
        (first.pk, 0),
        (reply_comment.pk, 1),
        (deep.pk, 2),
        (second.pk, 0),
    ]
    assert reply.url.endswith(f"#c{reply_comment.pk}")


def test_a_reply_to_the_deepest_level_is_placed_beside_it(client, post_page, trusted, other):
    """Decision: replying to a level-3 comment attaches the reply at level 3, same parent."""
    root = add_comment(post_page, other, "Root")
    middle = add_comment(post_page, other, "Middle", parent=root)
    deepest = add_comment(post_page, other, "Deepest", parent=middle)
    client.force_login(trusted)

    response = _post(client, post_page, "Answering the deepest", parent=deepest)

    assert response.status_code == 303
    answer = PageComment.objects.get(comment="Answering the deepest")
    assert (answer.level, answer.parent_id, answer.thread_id) == (2, middle.pk, root.pk)
    assert max(PageComment.objects.values_list("level", flat=True)) == 2


@pytest.mark.parametrize("state", ["awaiting", "hidden", "removed", "missing", "other page"])
def test_a_reply_needs_a_visible_comment_on_the_same_page(
    client, post_page, blog_index, trusted, other, state
):
    from tests.factories import BlogPageFactory

    if state == "other page":
        target_id = add_comment(BlogPageFactory(parent=blog_index), other, "Elsewhere").pk
    elif state == "missing":
        target_id = 987654
    else:
        target_id = add_comment(post_page, other, "Target", state=state).pk
    client.force_login(trusted)

    response = client.post(
        reverse("discussion:post", args=[post_page.pk]),
        {"comment": "My reply text", "parent": target_id},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "no longer available" in html
    # The member's words are kept for them to post again.
    assert "My reply text" in html
    assert not PageComment.objects.filter(comment="My reply text").exists()
    # The answer is the same whichever reason applies.
    if state != "missing":
        assert "Target" not in html and "Elsewhere" not in html


def test_comment_shows_display_name_profile_link_and_uploaded_avatar(
    client, post_page, trusted, other
):
    profile = ProfileFactory(user=other, visibility=Profile.Visibility.EVERYONE)
    profile.avatar = "avatars/olive.webp"
    profile.save()
    add_comment(post_page, other, "With an avatar")
    add_comment(post_page, trusted, "With initials")

    html = client.get(post_page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    metas = soup.select("#comments .comment-meta")

    assert metas[0].select_one(".comment-author a")["href"] == profile.get_absolute_url()
    assert metas[0].select_one(".comment-author").get_text(strip=True) == "Other Olive"
    assert metas[0].select_one("img.avatar")["src"].endswith("avatars/olive.webp")
    # No profile (or one the reader may not see): the name without a link, initials.
    assert metas[1].select_one(".comment-author a") is None
    assert metas[1].select_one(".avatar-initials").get_text(strip=True) == "RR"
    assert metas[0].select_one("time")["datetime"]


def test_profile_visible_to_members_only_is_linked_for_members_only(
    client, post_page, trusted, other
):
    profile = ProfileFactory(user=other, visibility=Profile.Visibility.MEMBERS)
    add_comment(post_page, other, "Members may look me up")

    assert profile.get_absolute_url() not in client.get(post_page.url).content.decode()
    client.force_login(trusted)
    assert profile.get_absolute_url() in client.get(post_page.url).content.decode()


def test_no_email_username_or_gravatar_in_any_comment_html(client, post_page, trusted, other):
    root = add_comment(post_page, other, "Root")
    add_comment(post_page, trusted, "Reply", parent=root)
    client.force_login(trusted)

    pages = [
        client.get(post_page.url).content.decode(),
        client.get(reverse("discussion:reply", args=[root.pk])).content.decode(),
        client.get(reverse("discussion:api_list", args=[post_page.pk])).content.decode(),
    ]

    for html in pages:
        for secret in (other.email, trusted.email, other.username, trusted.username):
            assert secret not in html
        assert "gravatar" not in html.lower()
    # Nor is anything of the kind stored.
    assert set(PageComment.objects.values_list("user_email", flat=True)) == {""}
    assert set(PageComment.objects.values_list("ip_address", flat=True)) == {None}


def test_posting_stores_no_address_and_the_display_name(client, post_page, trusted):
    client.force_login(trusted)
    _post(client, post_page, "Stored carefully")

    comment = PageComment.objects.get(comment="Stored carefully")
    assert comment.user_email == ""
    assert comment.ip_address is None
    assert comment.user_name == "Regular Robin"
    assert comment.user_id == trusted.pk


def test_visitors_read_public_threads_and_are_invited_to_sign_in(client, post_page, other):
    add_comment(post_page, other, "Public words")

    response = client.get(post_page.url)
    soup = BeautifulSoup(response.content, "html.parser")

    assert "Public words" in response.content.decode()
    link = soup.find("a", string="Sign in to join the discussion")
    assert link["href"] == (
        reverse("account_login") + "?next=" + post_page.url.replace("/", "%2F") + "%23comments"
    )
    assert soup.select("#comments form") == []
    assert soup.find("a", string="Report") is None


def test_visitor_post_is_sent_to_sign_in(client, post_page):
    response = _post(client, post_page, "Anonymous words")

    assert response.status_code == 303
    assert response.url.startswith(reverse("account_login"))
    assert not PageComment.objects.filter(object_pk=str(post_page.pk)).exists()


def test_member_without_consent_is_asked_for_it(client, post_page, member):
    client.force_login(member)

    html = client.get(post_page.url).content.decode()
    response = _post(client, post_page, "No consent yet")

    as_json = client.post(
        reverse("discussion:post", args=[post_page.pk]),
        {"comment": "No consent yet"},
        headers={"accept": "application/json"},
    )

    assert "review your consent" in html
    assert response.status_code == 403
    assert as_json.status_code == 403 and "agree" in as_json.json()["error"]
    assert not PageComment.objects.filter(object_pk=str(post_page.pk)).exists()


def test_every_content_type_has_a_discussion(
    client, blog_index, expert_index, story_index, expert, other
):
    from tests.factories import (
        BlogPageFactory,
        ExperienceStoryPageFactory,
        ExpertArticlePageFactory,
    )

    for page in (
        BlogPageFactory(parent=blog_index),
        ExpertArticlePageFactory(parent=expert_index, author=expert),
        ExperienceStoryPageFactory(parent=story_index),
    ):
        add_comment(page, other, f"Comment on {page.pk}")
        html = client.get(page.url).content.decode()
        assert 'id="comments"' in html
        assert f"Comment on {page.pk}" in html


def test_expert_comments_carry_the_verified_badge(client, post_page, expert):
    add_comment(post_page, expert, "Clinician's answer")

    soup = BeautifulSoup(client.get(post_page.url).content, "html.parser")

    assert soup.select_one("#comments .badge-expert").get_text(strip=True) == "Verified expert"
