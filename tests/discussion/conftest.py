"""Fixtures for the discussion tests: members who may comment, pages, and a comment maker."""

from datetime import timedelta

from django.utils import timezone

import pytest

from accounts.services import consent_give
from discussion.models import PageComment
from discussion.selectors import page_content_type
from tests.factories import BlogPageFactory, UserFactory
from tests.html import without_csrf_tokens


def with_consent(user):
    consent_give(user=user, kind="guidelines")
    consent_give(user=user, kind="health_data")
    return user


def add_comment(page, user, text="A kind word.", *, parent=None, state="visible", ago=None):
    """A comment saved through xtd's own threading, in ``state``, posted ``ago`` (a timedelta) ago.

    Test set-up only: posting through the endpoint is paced, so tests that
    need many comments build them here and post through the endpoint where
    the posting itself is under test.
    """
    comment = PageComment(
        content_type=page_content_type(),
        object_pk=str(page.pk),
        site_id=1,
        user=user,
        user_name=user.public_name if user else "",
        comment=text,
        submit_date=timezone.now() - (ago or timedelta(minutes=30)),
        is_public=state == "visible",
        awaiting_moderation=state == "awaiting",
        is_removed=state == "removed",
        followup=True,
        parent_id=parent.pk if parent else 0,
    )
    comment.save()
    return comment


@pytest.fixture
def commenter(portal):
    """A member who agreed to the guidelines and health-data processing, not yet trusted."""
    return with_consent(UserFactory(group="Members", display_name="Pacing Pat"))


@pytest.fixture
def trusted(portal, blog_index):
    """A member for months, with three visible comments: new comments appear at once."""
    user = with_consent(
        UserFactory(
            group="Members",
            display_name="Regular Robin",
            date_joined=timezone.now() - timedelta(days=90),
        )
    )
    old = BlogPageFactory(parent=blog_index, title="An older post")
    for _ in range(3):
        add_comment(old, user, ago=timedelta(days=2))
    return user


@pytest.fixture
def other(portal):
    return with_consent(UserFactory(group="Members", display_name="Other Olive"))


@pytest.fixture
def post_page(blog_index):
    """A published blog post to discuss."""
    return BlogPageFactory(parent=blog_index, title="Pacing my energy")


@pytest.fixture
def moderator(editor):
    return with_consent(editor)


def same_answer(response, reference):
    """Whether two responses are the same to the byte, but for the per-response CSRF token."""
    return (
        response.status_code == reference.status_code
        and response.headers.get("Content-Type") == reference.headers.get("Content-Type")
        and without_csrf_tokens(response.content) == without_csrf_tokens(reference.content)
    )
