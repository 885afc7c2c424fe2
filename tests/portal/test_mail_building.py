"""One way to build mail (issue 11): one base template, one unsubscribe mechanism,
one place that knows the site's address (``core.emails``), one outbox task."""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

import pytest

from core.emails import LinkToken, email_build, site_url
from discussion.models import ThreadMute
from discussion.notifications import MUTE_SALT, read_mute_token
from social.models import EmailDelivery, NotificationKind, NotificationPreference
from social.notifications.emails import UNSUBSCRIBE_SALT, read_unsubscribe_token
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import BlogPageFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
KINDRED_PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/apps.py")
    if path.parent.name not in {"tests", "node_modules"}
)


def _reads_base_url(path):
    """Whether the code (not its docstrings) reads ``settings.KINDRED_BASE_URL``."""
    return any(
        isinstance(node, ast.Attribute) and node.attr == "KINDRED_BASE_URL"
        for node in ast.walk(ast.parse(path.read_text()))
    )


def test_only_core_emails_knows_the_sites_address():
    """Settings define it and set-up gives it to Wagtail; every link in every email comes
    from ``core.emails.site_url``."""
    readers = sorted(
        str(path.relative_to(ROOT))
        for package in KINDRED_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if _reads_base_url(path) and "migrations" not in path.parts and "settings" not in path.parts
    )
    assert readers == ["core/emails.py", "portal/setup.py"]


def test_every_feature_email_extends_the_one_base_template():
    bodies = [
        path
        for path in (ROOT / "templates").rglob("*.txt")
        if "emails" in path.parts
        and not path.name.endswith("_subject.txt")
        and path.relative_to(ROOT / "templates").as_posix() != "emails/base.txt"
    ]
    assert len(bodies) >= 4  # review decision, reply, notification, digest
    for path in bodies:
        assert path.read_text().startswith('{% extends "emails/base.txt" %}'), path


def test_site_url_follows_the_setting(settings):
    settings.KINDRED_BASE_URL = "https://kindred.example/"
    assert site_url("/notifications/") == "https://kindred.example/notifications/"


def test_email_build_keeps_the_subject_on_one_line_and_adds_one_click_headers(db):
    recipient = UserFactory.build(display_name="Ada\r\nBcc: evil@example.com")
    message = email_build(
        template="discussion/emails/reply",
        context={
            "recipient": recipient,
            "replier": "Ray\nBcc: evil@example.com",
            "title": "<script>alert(1)</script>",
            "text": "Hi",
            "comment_url": "https://x/c",
            "mute_url": "https://x/m",
            "unsubscribe_kind_url": "https://x/u",
        },
        to="ada@example.com",
        unsubscribe_url="https://x/m",
    )
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("[Kindred] Ray Bcc: evil@example.com replied")
    # Plain text: nothing escaped, nothing interpreted.
    assert "<script>alert(1)</script>" in message.body
    assert message.extra_headers == {
        "List-Unsubscribe": "<https://x/m>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert "\n\nThe Kindred team\n" in message.body


@pytest.mark.parametrize(
    "token",
    [
        None,
        42,
        ["a"],
        "",
        "x" * 201,
        "not-a-token",
        signing.dumps({"u": 1}, salt="another.salt"),
        signing.dumps([1, 2], salt="kindred.test"),
        signing.dumps("text", salt="kindred.test"),
    ],
    # Named: signed tokens carry the time they were made, and pytest-xdist's workers must
    # collect the same test names.
    ids=[
        "none",
        "a-number",
        "a-list",
        "empty",
        "oversized",
        "not-a-token",
        "another-salt",
        "a-list-signed",
        "text-signed",
    ],
)
def test_a_link_token_refuses_what_it_did_not_make(token):
    assert LinkToken(salt="kindred.test").read(token) is None


def test_a_link_token_reads_its_own_and_refuses_it_once_expired():
    token = LinkToken(salt="kindred.test").make({"u": 7})
    assert LinkToken(salt="kindred.test").read(token) == {"u": 7}
    assert LinkToken(salt="kindred.test", max_age=-1).read(token) is None  # type: ignore[arg-type]


# --- Links already sent in emails keep working -----------------------------------------
# Before issue 11 each pipeline signed its own tokens with signing.dumps and
# these salts; the same calls stand in for an email sent then.


def test_old_unsubscribe_tokens_are_still_read():
    old = signing.dumps({"u": 5, "k": "comment_reply"}, salt="social.notifications.unsubscribe")
    assert UNSUBSCRIBE_SALT == "social.notifications.unsubscribe"
    assert read_unsubscribe_token(old) == (5, "comment_reply")


def test_old_mute_tokens_are_still_read():
    old = signing.dumps({"u": 5, "t": 9}, salt="discussion.thread-mute")
    assert MUTE_SALT == "discussion.thread-mute"
    assert read_mute_token(old) == (5, 9)


@pytest.mark.django_db
def test_old_links_still_unsubscribe_and_mute_in_one_click(blog_index):
    member = with_consent(UserFactory(group="Members"))
    root = add_comment(BlogPageFactory(parent=blog_index), member, "Question")
    client = Client(enforce_csrf_checks=True)
    old_unsubscribe = signing.dumps(
        {"u": member.pk, "k": "new_follower"}, salt="social.notifications.unsubscribe"
    )
    old_mute = signing.dumps({"u": member.pk, "t": root.pk}, salt="discussion.thread-mute")

    unsubscribed = client.post(reverse("notifications:unsubscribe", args=[old_unsubscribe]))
    muted = client.post(reverse("discussion:mute", args=[old_mute]))

    assert (unsubscribed.status_code, muted.status_code) == (200, 200)
    preference = NotificationPreference.objects.get(user=member, kind=NotificationKind.NEW_FOLLOWER)
    assert preference.email == EmailDelivery.OFF
    assert ThreadMute.objects.filter(user=member, thread=root).exists()


def test_no_email_template_names_a_fixed_address():
    for path in (ROOT / "templates").rglob("*.txt"):
        if "emails" in path.parts or "email" in path.parts:
            assert not re.search(r"https?://", path.read_text()), path
