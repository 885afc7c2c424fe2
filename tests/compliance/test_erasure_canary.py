"""The proof of erasure: a canary planted everywhere a member's data lives is found nowhere after.

The canary is a token no stemmer changes (``qzcanary7f3k``), in the member's
names, username, address, bio, the titles and texts of items of every kind
and state (several revisions each), questions and answers, comments (one
that another member replied to), a tag, a comment report, a side-effect
report, a crisis signal, a search, the browser's user agent, and an address
(``198.51.100.213``) for the sign-in and a comment. The member is erased
through the real request page, the real command and the real database task
queue and worker (as deployed). Then the canary must be absent from:

- a full dump of the database (SQLite: ``iterdump``; PostgreSQL: ``pg_dump``,
  or every table through ``COPY`` when the binary is missing), compared
  case-insensitively; each table is also scanned on its own, so a failure
  names the table, and the same scan *before* the erasure proves the canary
  was planted in every one of them (a test that cannot fail proves nothing);
- the media and export folders (file names and bytes; the avatar's file is gone);
- the database search index (its rows are in the dump; a search finds nothing);
- the task queue (its rows are in the dump: tasks carry ids, not data);
- the logs, captured at DEBUG for the whole scenario;
- the outbox, once the receipt is sent (it is scrubbed then).

It runs on the database ``DATABASE_URL`` names (CI: PostgreSQL).
``test_erasure_canary_sqlite.py`` runs this file again on SQLite in a
subprocess when the main run is on PostgreSQL, so both are proved each time.
The engine's index is proved in ``tests/engine/test_erasure_on_engine.py``.
"""

import io
import logging
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest
from allauth.usersessions.models import UserSession
from django_tasks_db.models import DBTaskResult
from PIL import Image

from accounts.services import consent_give
from compliance.models import ErasureRequest
from compliance.services.exports import archive_path, export_request
from core import roles
from core.models import ContentPage, OutboundEmail
from discussion.models import PageComment
from discussion.services.posting import comment_post, comment_report
from moderation.services import page_submit_for_review, review_request_changes
from ratings.models import RatingSummary
from ratings.services import rating_upsert
from safety.models import CrisisSignal, SafetyCase
from safety.services import case_update
from social.avatars import avatar_prepare
from social.models import MemberFollow, Notification, Profile
from social.services import profile_update
from social.services.relations import (
    block_create,
    follow_create,
    mute_create,
    topic_follow_create,
)
from tests.concurrency import DATABASE_BACKGROUND, run_background_worker
from tests.factories import (
    AnswerPageFactory,
    BlogPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertVerificationFactory,
    ProfileFactory,
    QuestionPageFactory,
    UserFactory,
)
from tests.factories.users import TEST_PASSWORD

CANARY = "qzcanary7f3k"
CANARY_EMAIL = f"{CANARY}@example.org"
CANARY_IP = "198.51.100.213"
CANARY_AGENT = f"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 {CANARY}"
CANARY_NAME = "Qzcanary7f3k Rivers"
CANARY_FILE = f"{CANARY}-portrait.png"
CRISIS_WORDS = "I want to end my life, I have a plan for tonight"

# The worker takes its own transactions, as in production; the erasure is real.
pytestmark = pytest.mark.django_db(transaction=True)


# --- Looking for the canary ---------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def tables_holding(needle: str) -> dict[str, int]:
    """{table: rows containing ``needle``, case-insensitively}, every table of the database."""
    found = {}
    needle = needle.lower()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            hits = sum(
                1 for row in cursor.fetchall() if needle in " ".join(map(_text, row)).lower()
            )
            if hits:
                found[table] = hits
    return found


def _pg_dump_binary() -> str | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)
    return str(candidates[0]) if candidates else shutil.which("pg_dump")


def database_dump() -> str:
    """The whole database as text: ``iterdump`` on SQLite, ``pg_dump`` on PostgreSQL."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    assert connection.vendor == "postgresql", connection.vendor
    binary = _pg_dump_binary()
    params = connection.get_connection_params()
    if binary:
        env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
        command = [binary, "--data-only", "--no-owner", f"--dbname={params['dbname']}"]
        for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
            if params.get(key):
                command.append(f"{flag}={params[key]}")
        return subprocess.run(  # noqa: S603 (the test database, fixed arguments)
            command, env=env, check=True, capture_output=True, text=True
        ).stdout
    # No binary: every table through COPY, as pg_dump would write it.
    out = io.StringIO()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                for data in copy:
                    out.write(bytes(data).decode("utf-8", "replace"))
    return out.getvalue()


def files_holding(needle: str) -> list[str]:
    """Files under the media and export folders whose name or bytes contain ``needle``."""
    needle_bytes = needle.lower().encode()
    found = []
    for root in (Path(settings.MEDIA_ROOT), Path(settings.KINDRED_EXPORT_ROOT)):
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if needle in str(path).lower() or (
                path.is_file() and needle_bytes in path.read_bytes().lower()
            ):
                found.append(str(path))
    return found


# The test's own tools log what they build (factory_boy names every user it makes):
# that is the test talking, not the site.
TEST_TOOLING_LOGGERS = ("factory", "PIL")


def logs_holding(caplog, needle: str) -> list[str]:
    """Log records of the site (not of the test's tools) that contain ``needle``."""
    lines = []
    for record in caplog.records:
        if record.name.split(".")[0] in TEST_TOOLING_LOGGERS:
            continue
        text = f"{record.getMessage()} {record.exc_text or ''}".lower()
        if needle in text:
            lines.append(f"{record.name}: {record.getMessage()[:200]}")
    return lines


# --- Planting it ------------------------------------------------------------------------


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (120, 30, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _consent(user):
    consent_give(user=user, kind="guidelines")
    consent_give(user=user, kind="health_data")
    return user


def _age_all_comments():
    PageComment.objects.update(submit_date=timezone.now() - timedelta(minutes=10))


class World:
    """The canary member, the others around them, and what they did."""


def plant(*, blog_index, story_index, question_index, community_index, editor) -> World:
    """Everything a member can leave on the site, each carrying the canary."""
    world = World()
    world.other = _consent(UserFactory(group=roles.MEMBERS, display_name="Other Olive"))
    world.third = UserFactory(group=roles.MEMBERS, display_name="Third Theo")
    world.expert = UserFactory(group=roles.EXPERTS, display_name="Dr Expert Ezra")
    for someone in (world.other, world.third, world.expert):
        ProfileFactory(user=someone, visibility=Profile.Visibility.EVERYONE)
    member = _consent(
        UserFactory(
            group=roles.MEMBERS,
            username=f"{CANARY}user",
            email=CANARY_EMAIL,
            display_name=CANARY_NAME,
            first_name=CANARY.title(),
            last_name=f"{CANARY}son",
            date_joined=timezone.now() - timedelta(days=120),
        )
    )
    world.member = member

    # Signing in through the real sign-in page, from the canary address and browser.
    browser = Client(REMOTE_ADDR=CANARY_IP, HTTP_USER_AGENT=CANARY_AGENT)
    response = browser.post("/accounts/login/", {"login": CANARY_EMAIL, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    world.browser = browser

    # The profile, with a picture uploaded under a canary file name.
    avatar = avatar_prepare(SimpleUploadedFile(CANARY_FILE, _png(), content_type="image/png"))
    profile = profile_update(
        user=member,
        display_name=CANARY_NAME,
        bio=f"Living with MS since 2019, {CANARY} on weekends.",
        conditions=[],
        visibility=Profile.Visibility.EVERYONE,
        show_in_suggestions=True,
        avatar=avatar,
    )
    world.avatar_path = Path(profile.avatar.path)
    assert world.avatar_path.exists()
    world.handle = profile.handle

    # Items of every kind and state, each with several revisions holding the canary.
    published = BlogPageFactory(
        parent=blog_index,
        author=member,
        title=f"My first year, {CANARY}",
        summary=f"Summary {CANARY}",
        tags=[CANARY],
    )
    for n in range(2):
        draft = published.get_latest_revision_as_object()
        draft.title = f"My first year, edited {n} {CANARY}"
        draft.save_revision(user=member)
    world.published = published
    story = ExperienceStoryPageFactory(
        parent=story_index, author=member, publish=False, title=f"Story in review {CANARY}"
    )
    story.title = f"Story in review, second go {CANARY}"
    story.save_revision(user=member)
    page_submit_for_review(page=story, user=member)
    rejected = BlogPageFactory(
        parent=blog_index, author=member, publish=False, title=f"Sent back {CANARY}"
    )
    page_submit_for_review(page=rejected, user=member)
    review_request_changes(page=rejected, user=editor, comment=f"Please leave out {CANARY}.")
    BlogPageFactory(parent=blog_index, author=member, publish=False, title=f"Draft {CANARY}")
    question = QuestionPageFactory(
        parent=question_index, author=member, title=f"Can I work with {CANARY}?"
    )
    AnswerPageFactory(parent=question, author=world.expert, summary=f"Yes, {CANARY} is fine.")
    others_question = QuestionPageFactory(
        parent=question_index, author=world.other, title="Heat and fatigue?"
    )
    AnswerPageFactory(parent=others_question, author=member, summary=f"Cool showers {CANARY}")
    ExpertVerificationFactory(user=member, registration_number=f"GMC-{CANARY}")

    # Someone else's post, which the member comments on, rates and reports on.
    world.others_post = BlogPageFactory(
        parent=blog_index, author=world.other, title="Pacing my energy"
    )
    response = browser.post(
        f"/comments/{world.others_post.pk}/", {"comment": f"{CRISIS_WORDS} {CANARY}"}
    )
    assert response.status_code in (302, 303), response.content[:500]
    _age_all_comments()
    replied = comment_post(user=member, page=world.others_post, text=f"Try pacing apps, {CANARY}")
    PageComment.objects.filter(pk=replied.pk).update(
        ip_address=CANARY_IP, user_email=CANARY_EMAIL, is_public=True, awaiting_moderation=False
    )
    _age_all_comments()
    world.reply = comment_post(
        user=world.other, page=world.others_post, text="Thanks, that helped!", parent_id=replied.pk
    )
    PageComment.objects.filter(pk=world.reply.pk).update(is_public=True, awaiting_moderation=False)
    world.replied = replied
    _age_all_comments()
    others_comment = comment_post(user=world.other, page=world.others_post, text="My own view.")
    PageComment.objects.filter(pk=others_comment.pk).update(
        is_public=True, awaiting_moderation=False
    )
    _age_all_comments()
    comment_report(user=member, comment=others_comment, reason="other", text=f"Report {CANARY}")
    _age_all_comments()
    comment_post(user=world.other, page=published, text="Lovely post!")
    rating_upsert(page=world.others_post, score=2, user=member)
    rating_upsert(page=world.others_post, score=4, user=world.third)
    rating_upsert(page=published, score=5, user=world.other)

    # Relations both ways, a topic, a community; the notifications they cause.
    follow_create(follower=member, followee=world.other)
    follow_create(follower=world.other, followee=member)
    follow_create(follower=world.other, followee=world.third)
    block_create(blocker=member, blocked=world.third)
    mute_create(muter=world.expert, muted=member)
    from taggit.models import Tag

    topic_follow_create(follower=member, tag=Tag.objects.get(name=CANARY))
    community = CommunityPageFactory(parent=community_index)
    CommunityMembershipFactory(community=community, user=member, reason=f"Joined {CANARY}")

    # A copy of their data, built by the worker, its archive in the private folder.
    world.export = export_request(user=member).export
    run_background_worker()
    world.export.refresh_from_db()
    world.archive = archive_path(world.export)
    assert world.archive is not None and world.archive.exists()

    # A search for their own name, and a side effect reported through the site.
    browser.get("/search/", {"q": CANARY_NAME})
    response = browser.post(
        "/safety/report/",
        {
            "what_happened": f"A rash after Examplimab, {CANARY}",
            "medicine": "Examplimab",
            "when": "Last week",
            "contact": CANARY_EMAIL,
        },
    )
    assert response.status_code in (302, 303), response.content[:500]
    # Pharmacovigilance triages it: the case's history holds the member's words as the
    # fields' old values (safety.services.cases.case_update logs old and new).
    case = SafetyCase.objects.get(reporter_contact=CANARY_EMAIL)
    case_update(
        case=case,
        user=UserFactory(group=roles.PHARMACOVIGILANCE),
        event="Rash",
        reporter="A member of Kindred",
        reporter_contact="",
        patient=f"The reporter, {CANARY}",
        status=SafetyCase.Status.TRIAGED,
    )
    case_update(case=case, user=None, patient="The reporter")
    return world


def erase(world, *, choice="remove") -> ErasureRequest:
    """Ask through the real page, let the wait pass, run the command and the worker as deployed."""
    response = world.browser.post(
        "/me/account/delete/", {"password": TEST_PASSWORD, "published_items": choice}
    )
    assert response.status_code == 200
    request = ErasureRequest.objects.get(user=world.member)
    ErasureRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - timedelta(days=8),
        due_at=timezone.now() - timedelta(hours=1),
    )
    call_command("erase_due_accounts", stdout=io.StringIO())
    # The erasure, then what it queued (the receipt, the engine's updates).
    for _ in range(3):
        run_background_worker()
    call_command("erase_due_accounts", stdout=io.StringIO())
    request.refresh_from_db()
    return request


# --- The proof -------------------------------------------------------------------------

# Tables where the member's data lives, so the scan before the erasure can prove
# the canary really was planted in each (a missing one means the scenario is weak).
PLANTED_IN = {
    "accounts_user",
    "account_emailaddress",
    "social_profile",
    "wagtailcore_revision",
    "wagtailcore_page",
    "django_comments",
    "discussion_commentreport",
    "usersessions_usersession",
    "wagtailsearch_indexentry",
    "safety_safetycase",
    "safety_crisissignal",
    "wagtailsearchpromotions_query",
    "core_outboundemail",
    "taggit_tag",
    "core_communitymembership",
    "questions_expertverification",
    "wagtailcore_pagelogentry",
    "wagtailcore_modellogentry",
    "wagtailcore_taskstate",
}


@DATABASE_BACKGROUND
def test_the_canary_is_found_nowhere_after_the_erasure(
    blog_index, story_index, question_index, community_index, editor, caplog, mailoutbox
):
    caplog.set_level(logging.DEBUG)
    world = plant(
        blog_index=blog_index,
        story_index=story_index,
        question_index=question_index,
        community_index=community_index,
        editor=editor,
    )
    run_background_worker()  # notifications and their emails, as the worker would by now
    before = tables_holding(CANARY)
    assert set(before) >= PLANTED_IN, sorted(PLANTED_IN - set(before))
    assert tables_holding(CANARY_IP)
    assert ContentPage.objects.live().search(CANARY)
    assert SafetyCase.objects.exists() and CrisisSignal.objects.exists()
    assert Notification.objects.filter(recipient=world.member).exists()
    assert Notification.objects.filter(actor=world.member).exists()
    member_id = world.member.pk

    request = erase(world)

    assert request.status == "done"
    assert request.outcome["items_removed"] >= 5
    # Nowhere in the database, table by table and in the full dump.
    assert tables_holding(CANARY) == {}
    assert tables_holding(CANARY_IP) == {}
    dump = database_dump().lower()
    assert len(dump) > 10_000  # a real dump, not an empty string
    assert CANARY not in dump
    assert CANARY_IP not in dump
    # Nowhere in the files: the picture is gone, and no name or byte holds the canary.
    assert not world.avatar_path.exists()
    assert not world.archive.exists()
    assert files_holding(CANARY) == []
    # Not in the index: the database backend's rows are in the dump; a search finds nothing.
    assert not ContentPage.objects.search(CANARY)
    # Not in the task queue (its rows are in the dump too), which did run the erasure.
    assert DBTaskResult.objects.filter(task_path__endswith="erasure_run").exists()
    assert not [r for r in DBTaskResult.objects.all() if CANARY in str(r.args_kwargs).lower()]
    # Not in the logs, for the whole scenario.
    leaked = logs_holding(caplog, CANARY)
    assert leaked == [], "\n".join(leaked)
    assert logs_holding(caplog, CANARY_IP) == []
    # The outbox: the receipt was sent, then scrubbed.
    receipt = mailoutbox[-1]
    assert receipt.to == [CANARY_EMAIL]
    assert receipt.subject == "Your Kindred account has been deleted"
    assert "Hello Former member," in receipt.body
    assert CANARY not in receipt.body.lower()
    assert not OutboundEmail.objects.filter(to__icontains=CANARY).exists()

    # The account is a tombstone that names nobody.
    tombstone = type(world.member).objects.get(pk=member_id)
    assert tombstone.username.startswith("erased-")
    assert tombstone.email == "" and tombstone.display_name == "Former member"
    assert not tombstone.is_active and not tombstone.has_usable_password()
    assert tombstone.last_login is None and not tombstone.groups.exists()
    assert not UserSession.objects.filter(user_id=member_id).exists()
    # Others' data stays: the reply under the member's comment, and its place in the thread.
    reply = PageComment.objects.get(pk=world.reply.pk)
    assert reply.comment == "Thanks, that helped!" and reply.user == world.other
    replied = PageComment.objects.get(pk=world.replied.pk)
    assert replied.user_id is None and replied.user_name == "Former member"
    assert replied.comment.startswith("This comment was removed")
    assert MemberFollow.objects.filter(follower=world.other, followee=world.third).exists()
    # The rating summary was recounted without the member's 2.
    summary = RatingSummary.objects.get(page=world.others_post)
    assert (summary.count, summary.total) == (1, 4)
    # Signing in with the old address and password gets nowhere.
    response = Client().post("/accounts/login/", {"login": CANARY_EMAIL, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in Client().session
    assert response.status_code == 200
