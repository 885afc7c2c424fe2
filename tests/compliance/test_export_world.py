"""Helpers (no tests): a member with something planted in every kind of data the export
covers, and another member whose data sits next to it (for "Download my data")."""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from taggit.models import Tag

from allauth.usersessions.models import UserSession

from accounts.models import Consent
from audit.services import access_record
from discussion.models import CommentReport, PageComment
from discussion.selectors import page_content_type
from questions.models import HelpfulMark
from ratings.models import Rating
from safety.models import SafetyCase
from social.models import (
    MemberBlock,
    MemberFollow,
    MemberMute,
    Notification,
    NotificationPreference,
    TopicFollow,
)
from tests.factories import (
    AnswerPageFactory,
    BlogPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    ProfileFactory,
    QuestionPageFactory,
    UserFactory,
)

XSS = '<script>alert("kindred")</script>'

# Each kind of the member's data, and the distinctive string planted in it.
CANARIES = {
    "profile": "CANARY-PROFILE-BIO",
    "display name": "CanaryDisplayName",
    "item, first version": "CANARY-ITEM-FIRST-VERSION",
    "item, later version": "CANARY-ITEM-LATER-VERSION",
    "draft item": "CANARY-DRAFT-NEVER-PUBLISHED",
    "question": "CANARY-QUESTION-ASKED",
    "comment": "CANARY-COMMENT-TEXT",
    "rated item": "CANARY-RATED-ITEM",
    "followed member": "CanaryFollowee",
    "followed topic": "canary-followed-topic",
    "blocked member": "CanaryBlocked",
    "muted member": "CanaryMuted",
    "community": "CANARY-COMMUNITY",
    "notification": "CanaryActor",
    "notification setting": "Replies in discussions I take part in",
    "consent": "canary-v7",
    "safety report": "CANARY-SIDE-EFFECT",
    "comment report": "CANARY-REPORT-TEXT",
    "session": "CanaryAgent/1.0",
    "access log": "page:424242",
}

# Another member's data next to the member's: none of it may be in the archive.
OTHERS = {
    "their name": "OtherPersonName",
    "their comment on the same item": "OTHER-COMMENT-ON-SAME-ITEM",
    "their private profile": "OTHER-PRIVATE-BIO",
    "their draft": "OTHER-DRAFT-TITLE",
    "their session": "OtherAgent/9.9",
    "their reason for a block": "OTHER-REPORT-TEXT",
}
SESSION_KEY = "secretsessionkeyofthemember0001"


@dataclass
class World:
    member: object
    other: object
    item: object
    other_item: object
    comment: object
    other_comment: object


def add_comment(page, user, text):
    comment = PageComment(
        content_type=page_content_type(),
        object_pk=str(page.pk),
        site_id=1,
        user=user,
        user_name=user.public_name,
        user_email=user.email,
        comment=text,
        submit_date=timezone.now() - timedelta(minutes=30),
        is_public=True,
        followup=True,
        parent_id=0,
    )
    comment.save()
    return comment


def build_world(*, blog_index, question_index, community_index, editor, expert) -> World:
    member = UserFactory(group="Members", display_name=CANARIES["display name"])
    other = UserFactory(group="Members", display_name=OTHERS["their name"])

    profile = ProfileFactory(user=member, bio=CANARIES["profile"])
    profile.avatar.save("face.png", ContentFile(b"CANARY-AVATAR-BYTES"), save=True)
    ProfileFactory(user=other, bio=OTHERS["their private profile"], visibility="only_me")

    item = BlogPageFactory(parent=blog_index, author=member, title=CANARIES["item, first version"])
    item.title = CANARIES["item, later version"]
    item.save_revision(user=member).publish()
    BlogPageFactory(parent=blog_index, author=member, title=CANARIES["draft item"], publish=False)
    BlogPageFactory(parent=blog_index, author=other, title=OTHERS["their draft"], publish=False)
    xss_item = BlogPageFactory(parent=blog_index, author=member, title=f"Title {XSS}")

    question = QuestionPageFactory(parent=question_index, author=member, title=CANARIES["question"])
    answer = AnswerPageFactory(parent=question, author=expert)
    HelpfulMark.objects.create(answer=answer, user=member)

    other_item = BlogPageFactory(parent=blog_index, author=editor, title=CANARIES["rated item"])
    comment = add_comment(other_item, member, CANARIES["comment"])
    add_comment(xss_item, member, f"Comment {XSS}")
    other_comment = add_comment(other_item, other, OTHERS["their comment on the same item"])
    Rating.objects.create(page=other_item, user=member, score=4)
    Rating.objects.create(page=other_item, user=other, score=1)

    MemberFollow.objects.create(
        follower=member, followee=UserFactory(display_name=CANARIES["followed member"])
    )
    TopicFollow.objects.create(
        follower=member,
        tag=Tag.objects.create(name=CANARIES["followed topic"], slug="canary-followed-topic"),
    )
    MemberBlock.objects.create(
        blocker=member, blocked=UserFactory(display_name=CANARIES["blocked member"])
    )
    MemberMute.objects.create(
        muter=member, muted=UserFactory(display_name=CANARIES["muted member"])
    )
    # The other member blocked the member: the site never tells, nor does the archive.
    MemberBlock.objects.create(blocker=other, blocked=member)

    community = CommunityPageFactory(parent=community_index, title=CANARIES["community"])
    CommunityMembershipFactory(community=community, user=member)

    Notification.objects.create(
        recipient=member,
        kind="new_follower",
        actor=UserFactory(display_name=CANARIES["notification"]),
    )
    Notification.objects.create(recipient=other, kind="new_follower", actor=member)
    NotificationPreference.objects.create(user=member, kind="comment_reply", email="off")
    Consent.objects.create(user=member, kind="guidelines", version=CANARIES["consent"])

    today = timezone.now().date()
    SafetyCase.objects.create(
        origin=SafetyCase.Origin.REPORTED,
        author=member,
        excerpt=CANARIES["safety report"],
        medicine="Canarinib",
        triage_due=today,
        report_due=today,
    )
    CommentReport.objects.create(
        comment=other_comment, reporter=member, reason="other", text=CANARIES["comment report"]
    )
    CommentReport.objects.create(
        comment=comment, reporter=other, reason="other", text=OTHERS["their reason for a block"]
    )
    UserSession.objects.create(
        user=member, session_key=SESSION_KEY, ip="192.0.2.77", user_agent=CANARIES["session"]
    )
    UserSession.objects.create(
        user=other, session_key="otherkey0002", ip="192.0.2.78", user_agent=OTHERS["their session"]
    )
    access_record(
        viewer=editor, subject=member, what="draft", purpose="review", object_ref="page:424242"
    )
    return World(
        member=member,
        other=other,
        item=item,
        other_item=other_item,
        comment=comment,
        other_comment=other_comment,
    )


def read_zip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def archive_texts(files: dict[str, bytes]) -> tuple[str, str, dict]:
    """(data.json as text, index.html, data.json parsed)."""
    data_text = files["data.json"].decode()
    return data_text, files["index.html"].decode(), json.loads(data_text)
