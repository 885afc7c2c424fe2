"""Each section of a member's archive: one function per kind of data (those about the
member among others, follows to notifications, are in ``social``).

A section function takes the member and returns a list of records, each a flat
dict of JSON values (strings, numbers, booleans, None, lists; times as ISO 8601).
It reads only rows that belong to the member (their own foreign key), never a
table filtered by something another member controls. Where a record names an
item, its title is given only if the member may read the item today (their own,
or through ``core.selectors.readable_content``): an old notification must not
reveal a draft or a community the member has since left.

Left out on purpose (see the report of issue 16):
- who blocked or muted the member (the site never tells them either);
- session keys and the ratings browser key (secrets that would let anyone
  holding the archive sign in or rate as the member); the device, address and
  times of each session are in;
- reviewers' internal admin comments stored in revisions
  (``wagtail_admin_comments``), and safety cases opened from the member's text by
  the detectors or by staff (the staff's pharmacovigilance assessment); what
  the member sent through "Report a side effect" is in.
"""

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from wagtail.models import Revision

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django_comments_xtd.models import XtdComment

from accounts.models import Consent, ConsentEvent, User
from audit.selectors import accesses_for
from compliance.models import DataExport
from core.models import ContentPage
from discussion.models import CommentReport
from questions.models import AcceptedAnswer, ExpertVerification, HelpfulMark, QuestionPage
from ratings.models import Rating
from safety.models import SafetyCase
from social.models import Profile

from .common import UNAVAILABLE, Record, Titles, fields, value
from .social import (
    blocks_and_mutes,
    communities,
    follows,
    notification_settings,
    notifications,
)

# Keys of a revision's content that are not the member's words: the reviewers'
# internal notes in the editor.
REVISION_KEYS_LEFT_OUT = frozenset({"wagtail_admin_comments"})


def profile(user: User) -> list[Record]:
    """The account, its email addresses and the public profile's fields and settings."""
    record = fields(
        user,
        ["username", "display_name", "first_name", "last_name", "email", "date_joined"],
    )
    record["last_login"] = value(user.last_login)
    record["email_addresses"] = [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("pk")
    ]
    member_profile = Profile.objects.filter(user=user).first()
    if member_profile is not None:
        record.update(
            fields(
                member_profile,
                [
                    "handle",
                    "bio",
                    "visibility",
                    "show_in_suggestions",
                    "show_follow_lists",
                    "show_followed_topics",
                    "redirect_former_handles",
                    "created_at",
                    "updated_at",
                ],
            )
        )
        record["former_handles"] = list(
            member_profile.handles.exclude(handle=member_profile.handle)
            .order_by("created_at")
            .values_list("handle", flat=True)
        )
        record["conditions_of_interest"] = list(
            member_profile.conditions.order_by("pk").values_list("name", flat=True)
        )
        record["avatar"] = avatar_name(member_profile) or None
    verification = ExpertVerification.objects.filter(user=user).first()
    if verification is not None:
        record["expert_verification"] = fields(
            verification,
            ["profession", "registration_body", "registration_number", "verified_at"],
        )
    return [record]


def avatar_name(member_profile: Profile | None) -> str:
    """The avatar's name inside the archive (``avatar/<file name>``), or ""."""
    if member_profile is None or not member_profile.avatar:
        return ""
    return "avatar/" + member_profile.avatar.name.rsplit("/", 1)[-1]


def _revision_content(content: Any) -> Any:
    if isinstance(content, dict):
        return {key: item for key, item in content.items() if key not in REVISION_KEYS_LEFT_OUT}
    return content


def items(user: User) -> list[Record]:
    """Every item the member wrote (posts, stories, articles, questions, answers), each
    with every revision Wagtail keeps of it, drafts and rejected versions included."""
    pages = list(ContentPage.objects.filter(author=user).order_by("pk").specific())
    revisions: dict[str, list[Revision]] = {}
    for revision in Revision.page_revisions.filter(
        object_id__in=[str(page.pk) for page in pages]
    ).order_by("created_at", "pk"):
        revisions.setdefault(revision.object_id, []).append(revision)
    records = []
    for page in pages:
        record = {
            "id": page.pk,
            "type": page._meta.verbose_name,
            "title": page.title,
            "summary": page.summary,
            "live": page.live,
            "first_published_at": value(page.first_published_at),
            "last_published_at": value(page.last_published_at),
            "address": page.url_path,
            "revisions": [
                {
                    "id": revision.pk,
                    "created_at": value(revision.created_at),
                    "content": value(_revision_content(revision.content)),
                }
                for revision in revisions.get(str(page.pk), [])
            ],
        }
        records.append(record)
    return records


def questions_and_answers(user: User) -> list[Record]:
    """The questions the member asked and what became of them, the answers they accepted
    and marked helpful. (The text of each question and answer is under items.)"""
    titles = Titles(user)
    asked = list(QuestionPage.objects.filter(author=user).order_by("pk"))
    accepted = list(AcceptedAnswer.objects.filter(accepted_by=user).order_by("pk"))
    helpful = list(HelpfulMark.objects.filter(user=user).order_by("pk"))
    titles.load(
        [mark.answer_id for mark in helpful]
        + [row.answer_id for row in accepted]
        + [row.question_id for row in accepted]
    )
    records: list[Record] = [
        {
            "what": "question asked",
            "id": question.pk,
            "title": question.title,
            "live": question.live,
        }
        for question in asked
    ]
    records += [
        {
            "what": "answer accepted",
            "question": titles(row.question_id),
            "answer": titles(row.answer_id),
            "at": value(row.accepted_at),
        }
        for row in accepted
    ]
    records += [
        {"what": "marked helpful", "answer": titles(mark.answer_id), "at": value(mark.created_at)}
        for mark in helpful
    ]
    return records


def comments(user: User) -> list[Record]:
    """Every comment the member wrote, with the name, address and IP stored with it,
    hidden and removed ones included."""
    rows = list(XtdComment.objects.filter(user=user).order_by("submit_date", "pk"))
    titles = Titles(user)
    titles.load(int(row.object_pk) for row in rows if str(row.object_pk).isdigit())
    return [
        {
            "id": row.pk,
            "on": titles(int(row.object_pk)) if str(row.object_pk).isdigit() else str(UNAVAILABLE),
            "comment": row.comment,
            "submitted_at": value(row.submit_date),
            "in_reply_to": row.parent_id if row.parent_id != row.pk else None,
            "public": row.is_public,
            "removed": row.is_removed,
            "name": row.user_name,
            "email": row.user_email,
            "ip_address": row.ip_address,
        }
        for row in rows
    ]


def ratings(user: User) -> list[Record]:
    """The member's star ratings."""
    rows = list(Rating.objects.filter(user=user).order_by("pk"))
    titles = Titles(user)
    titles.load(row.page_id for row in rows)
    return [
        {
            "item": titles(row.page_id),
            "score": row.score,
            "created_at": value(row.created_at),
            "updated_at": value(row.updated_at),
        }
        for row in rows
    ]


def consents(user: User) -> list[Record]:
    """Every consent the member gave and withdrew (the state), and the consent ledger's
    events (``accounts.ConsentEvent``: every grant and withdrawal, with where and when)."""
    records: list[Record] = [
        {"record": "consent", **fields(row, ["kind", "version", "given_at", "withdrawn_at"])}
        for row in Consent.objects.filter(user=user).order_by("given_at", "pk")
    ]
    records += [
        {
            "record": "consent ledger event",
            **fields(row, ["kind", "action", "version", "scope", "channel", "at"]),
        }
        for row in ConsentEvent.objects.filter(user=user).order_by("pk")
    ]
    return records


def safety_reports(user: User) -> list[Record]:
    """What the member sent through "Report a side effect" while signed in."""
    rows = list(
        SafetyCase.objects.filter(author=user, origin=SafetyCase.Origin.REPORTED).order_by("pk")
    )
    titles = Titles(user)
    titles.load(row.page_id for row in rows)
    return [
        {
            "reference": row.reference,
            "sent_at": value(row.opened_at),
            "item": titles(row.page_id),
            "medicine": row.medicine,
            "what_you_wrote": row.excerpt,
            "serious": row.serious,
            "contact": row.reporter_contact,
        }
        for row in rows
    ]


def comment_reports(user: User) -> list[Record]:
    """The comments the member reported to the moderators, and whether it was handled."""
    return [
        {
            "comment": row.comment_id,
            "reason": str(row.get_reason_display()),
            "text": row.text,
            "sent_at": value(row.created_at),
            "handled": row.resolved_at is not None,
        }
        for row in CommentReport.objects.filter(reporter=user).order_by("pk")
    ]


def sessions(user: User) -> list[Record]:
    """Where the member is signed in: device, address and times (never the session key)."""
    return [
        fields(row, ["created_at", "last_seen_at", "ip", "user_agent"])
        for row in UserSession.objects.filter(user=user).order_by("created_at", "pk")
    ]


def access_log(user: User) -> list[Record]:
    """Who on the staff opened the member's non-public data: role, when, what, why."""
    return [
        {
            "at": value(row.at),
            "role": row.viewer_role,
            "what": str(row.get_what_display()),
            "purpose": str(row.get_purpose_display()),
            "reference": row.object_ref,
        }
        for row in accesses_for(user)
    ]


def data_requests(user: User) -> list[Record]:
    """The member's earlier requests for a copy of their data."""
    return [
        fields(row, ["requested_at", "status", "ready_at", "expires_at", "downloaded_at"])
        for row in DataExport.objects.filter(user=user).order_by("requested_at", "pk")
    ]


# (key, heading, function), in the order of the archive and of its index.html.
SECTIONS: list[tuple[str, str | Promise, Callable[[User], list[Record]]]] = [
    ("profile", gettext_lazy("Your account and profile"), profile),
    ("items", gettext_lazy("Everything you wrote, with every version"), items),
    ("questions_and_answers", gettext_lazy("Questions and answers"), questions_and_answers),
    ("comments", gettext_lazy("Comments"), comments),
    ("ratings", gettext_lazy("Ratings"), ratings),
    ("follows", gettext_lazy("Follows"), follows),
    ("blocks_and_mutes", gettext_lazy("Blocks and mutes"), blocks_and_mutes),
    ("communities", gettext_lazy("Communities"), communities),
    ("notifications", gettext_lazy("Notifications"), notifications),
    ("notification_settings", gettext_lazy("Notification settings"), notification_settings),
    ("consents", gettext_lazy("Consents"), consents),
    ("safety_reports", gettext_lazy("Side effects you reported"), safety_reports),
    ("comment_reports", gettext_lazy("Comments you reported"), comment_reports),
    ("sessions", gettext_lazy("Sessions and devices"), sessions),
    ("access_log", gettext_lazy("Who on our staff saw your data"), access_log),
    ("data_requests", gettext_lazy("Your requests for a copy of your data"), data_requests),
]
