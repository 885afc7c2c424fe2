"""Notification kinds that apps above social resolve come from a registry (issue 11).

Social sits below discussion: it learns how to show a reply notification from
the ``kindred_notification_kinds`` hook that discussion fills, never by
importing discussion.
"""

import ast
from pathlib import Path

from django.urls import reverse

from wagtail import hooks

import pytest

import social.notifications
from social.models import Notification, NotificationKind
from social.notifications import selectors
from social.notifications.kinds import NOTIFICATION_KINDS
from social.notifications.selectors import notification_entries, notifications_for
from tests.complexity import too_complex
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _imported_modules(path):
    """Every module a file imports, at the top or inside functions."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_social_notifications_import_nothing_from_discussion():
    package = Path(social.notifications.__file__).parent
    upward = {
        f"{path.name}: {module}"
        for path in package.glob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] in {"discussion", "authoring", "search", "portal", "accounts"}
    }
    assert upward == set()


@pytest.fixture
def replies(blog_index):
    """Three reply notifications for one member (one unread per page: three pages)."""
    member = with_consent(UserFactory(group="Members"))
    replier = with_consent(UserFactory(group="Members", display_name="Replier Ray"))
    for title in ("Heat", "Sleep", "Walking"):
        page = BlogPageFactory(parent=blog_index, title=title)
        root = add_comment(page, member, "A question?")
        reply = add_comment(page, replier, "Yes", parent=root)
        Notification.objects.create(
            recipient=member,
            kind=NotificationKind.COMMENT_REPLY,
            actor=replier,
            page_id=page.pk,
            comment_id=reply.pk,
        )
    return member


def test_discussion_resolves_reply_notifications_through_the_hook(replies):
    member = replies

    entries = notification_entries(user=member, notifications=notifications_for(user=member))

    assert [(entry.available, entry.title, entry.actor_name) for entry in entries] == [
        (True, "Walking", "Replier Ray"),
        (True, "Sleep", "Replier Ray"),
        (True, "Heat", "Replier Ray"),
    ]
    assert [entry.target_url for entry in entries] == [
        reverse("discussion:permalink", args=[entry.notification.comment_id]) for entry in entries
    ]


def test_a_kind_is_resolved_once_for_all_its_entries_by_what_is_registered(replies):
    member = replies
    calls = []

    def resolve(*, user, entries, readable):
        calls.append((user, len(entries)))
        for entry in entries:
            entry.title = "Resolved by the hook"

    with hooks.register_temporarily(
        NOTIFICATION_KINDS, lambda: {NotificationKind.COMMENT_REPLY: resolve}, order=1000
    ):
        entries = notification_entries(user=member, notifications=notifications_for(user=member))

    assert calls == [(member, 3)]
    assert {entry.title for entry in entries} == {"Resolved by the hook"}


def test_a_kind_nobody_resolves_shows_as_no_longer_available(replies, monkeypatch):
    member = replies
    real_get_hooks = hooks.get_hooks
    monkeypatch.setattr(
        hooks,
        "get_hooks",
        lambda name: [] if name == NOTIFICATION_KINDS else real_get_hooks(name),
    )

    entries = notification_entries(user=member, notifications=notifications_for(user=member))

    assert [(entry.available, entry.title, entry.actor_name, entry.url) for entry in entries] == [
        (False, "", "", "")
    ] * 3
    assert {entry.text for entry in entries} == {
        "A reply in a discussion that is no longer available."
    }


def test_rendering_notifications_reads_at_a_glance():
    # Issue 11: notification_entries had grown to a complexity of 34 (37 counted so);
    # it is named steps now, one per kind, and the sentences are one per kind too.
    assert not too_complex(selectors, defines="notification_entries")
