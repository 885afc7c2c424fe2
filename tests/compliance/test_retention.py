"""Retention (issue 16): each kind of record is kept for its period, then deleted in batches.

The periods are Settings › Retention (``audit.models.RetentionSettings``);
``manage.py enforce_retention`` applies them. Every kind is checked on its
boundary: a row just inside its period stays, one just outside goes.
"""

import io
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import ModelLogEntry

import pytest
from django_tasks_db.models import DBTaskResult

from audit.models import AccessRecord, RetentionSettings
from compliance.models import DataExport
from compliance.services import retention
from core import roles
from core.models import OutboundEmail
from search.models import ZeroResultQueryDay
from sharing.models import ShareCount
from sharing.networks import NETWORK_CHOICES
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
TODAY = timezone.localdate(NOW)
MINUTE = timedelta(minutes=1)


def _settings(**days) -> RetentionSettings:
    settings = RetentionSettings.load()
    for name, value in days.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def _access(subject, viewer, at) -> AccessRecord:
    return AccessRecord.objects.create(
        subject=subject,
        viewer=viewer,
        viewer_role=roles.EDITORS,
        what=AccessRecord.What.DRAFT,
        purpose=AccessRecord.Purpose.REVIEW,
        object_ref="page:1",
        at=at,
    )


def _task(status: str, finished_at) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="core.tasks.nothing",
        backend_name="background",
        run_after=NOW - timedelta(days=400),
        exception_class_path="",
        traceback="",
    )


def _email(status: str, sent_at=None) -> OutboundEmail:
    return OutboundEmail.objects.create(
        key=f"test:{uuid.uuid4()}",
        status=status,
        message={"to": ["someone@example.org"], "subject": "Hello", "body": "My diagnosis"},
        to="someone@example.org",
        subject="Hello",
        sent_at=sent_at,
    )


# --- Each kind on its boundary ---


def test_access_log_keeps_its_period_and_deletes_what_is_older(member, editor):
    _settings(access_log_days=730)
    boundary = NOW - timedelta(days=730)
    inside = _access(member, editor, boundary + MINUTE)
    on_boundary = _access(member, editor, boundary)
    outside = _access(member, editor, boundary - MINUTE)
    ancient = _access(member, editor, boundary - timedelta(days=3000))

    removed = retention.access_log_enforce(days=730, now=NOW)

    assert removed == 2
    assert set(AccessRecord.objects.values_list("pk", flat=True)) == {inside.pk, on_boundary.pk}
    assert not AccessRecord.objects.filter(pk__in=[outside.pk, ancient.pk]).exists()


def test_search_query_log_keeps_its_days_and_forgets_queries_nobody_searched_since(portal):
    days = 90
    first_kept = TODAY - timedelta(days=days)
    recent = Query.objects.create(query_string="recent ms fatigue")
    old = Query.objects.create(query_string="old query")
    promoted = Query.objects.create(query_string="promoted query")
    SearchPromotion.objects.create(
        query=promoted, page=BlogPageFactory(parent=portal[1][roles.BLOGS]), sort_order=0
    )
    kept_hit = QueryDailyHits.objects.create(query=recent, date=first_kept, hits=3)
    gone_hit = QueryDailyHits.objects.create(query=recent, date=first_kept - timedelta(1), hits=1)
    QueryDailyHits.objects.create(query=old, date=first_kept - timedelta(days=1), hits=2)
    QueryDailyHits.objects.create(query=promoted, date=first_kept - timedelta(days=5), hits=2)
    kept_zero = ZeroResultQueryDay.objects.create(query=recent, date=first_kept, hits=1)
    ZeroResultQueryDay.objects.create(query=old, date=first_kept - timedelta(days=1), hits=1)

    removed = retention.search_query_log_enforce(days=days, now=NOW)

    # Three daily hits, one zero-result day, and the query nobody searched since.
    assert removed == 5
    assert list(QueryDailyHits.objects.values_list("pk", flat=True)) == [kept_hit.pk]
    assert not QueryDailyHits.objects.filter(pk=gone_hit.pk).exists()
    assert list(ZeroResultQueryDay.objects.values_list("pk", flat=True)) == [kept_zero.pk]
    # The query with a promoted result stays, though nobody searched for it lately.
    assert set(Query.objects.values_list("query_string", flat=True)) == {
        "recent ms fatigue",
        "promoted query",
    }


def test_share_log_keeps_its_days(blog_index):
    page = BlogPageFactory(parent=blog_index)
    network = NETWORK_CHOICES[0][0]
    first_kept = TODAY - timedelta(days=365)
    kept = ShareCount.objects.create(page=page, network=network, day=first_kept, count=2)
    ShareCount.objects.create(page=page, network=network, day=first_kept - timedelta(1), count=1)

    assert retention.share_log_enforce(days=365, now=NOW) == 1
    assert list(ShareCount.objects.values_list("pk", flat=True)) == [kept.pk]


def test_finished_tasks_go_after_their_period_and_unfinished_ones_never(portal):
    boundary = NOW - timedelta(days=30)
    kept_success = _task("SUCCESSFUL", boundary + MINUTE)
    gone_success = _task("SUCCESSFUL", boundary - MINUTE)
    gone_failure = _task("FAILED", boundary - timedelta(days=2))
    waiting = _task("READY", None)
    running = _task("RUNNING", None)

    assert retention.finished_tasks_enforce(days=30, now=NOW) == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        kept_success.pk,
        waiting.pk,
        running.pk,
    }
    assert not DBTaskResult.objects.filter(pk__in=[gone_success.pk, gone_failure.pk]).exists()


def test_sent_emails_go_after_their_period_and_unsent_ones_stay(portal):
    boundary = NOW - timedelta(days=30)
    kept = _email("sent", boundary + MINUTE)
    _email("sent", boundary - MINUTE)
    queued = _email("queued")
    failed = _email("failed")

    assert retention.sent_emails_enforce(days=30, now=NOW) == 1
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {
        kept.pk,
        queued.pk,
        failed.pk,
    }


# --- The whole run: settings, command, log, idempotence, batches ---


def _old_rows(member, editor, blog_index):
    """One row past its default period for every kind, one within it."""
    long_ago = NOW - timedelta(days=3000)
    _access(member, editor, long_ago)
    _access(member, editor, NOW - MINUTE)
    query = Query.objects.create(query_string="ancient")
    QueryDailyHits.objects.create(query=query, date=TODAY - timedelta(days=3000), hits=1)
    page = BlogPageFactory(parent=blog_index)
    ShareCount.objects.create(
        page=page, network=NETWORK_CHOICES[0][0], day=TODAY - timedelta(days=3000), count=1
    )
    _task("SUCCESSFUL", long_ago)
    _email("sent", long_ago)


def test_the_command_applies_the_settings_prints_and_logs_one_run(member, editor, blog_index):
    _settings(access_log_days=10)
    _old_rows(member, editor, blog_index)
    _access(member, editor, NOW - timedelta(days=11))
    out = io.StringIO()

    call_command("enforce_retention", stdout=out)

    text = out.getvalue()
    assert "Access log records removed: 2" in text
    assert "Search query log rows removed: 2" in text  # its day, then the query itself
    assert "Share log rows removed: 1" in text
    assert "Finished background tasks removed: 1" in text
    assert "Sent emails removed: 1" in text
    assert AccessRecord.objects.count() == 1
    entries = ModelLogEntry.objects.filter(action="kindred.retention.run")
    assert entries.count() == 1
    counts = entries.get().data["counts"]
    assert counts["access_log"] == 2
    assert counts["share_log"] == 1
    assert counts["sent_emails"] == 1
    # Counts only: no query text, no address, no body.
    logged = str(entries.get().data)
    assert "ancient" not in logged and "example.org" not in logged


def test_members_exports_past_their_24_hours_expire_with_the_rest(member):
    """One daily command keeps every period: the exports' too (compliance.services.exports)."""
    ready = {"status": DataExport.Status.READY, "ready_at": NOW - timedelta(days=2)}
    expired = DataExport.objects.create(user=member, expires_at=NOW - timedelta(hours=1), **ready)
    current = DataExport.objects.create(
        user=member, expires_at=NOW + timedelta(hours=1), **{**ready, "ready_at": NOW}
    )

    outcome = retention.retention_enforce(now=NOW)

    assert outcome.counts["exports_expired"] == 1
    expired.refresh_from_db()
    current.refresh_from_db()
    assert (expired.status, current.status) == ("expired", "ready")


def test_a_second_run_removes_nothing(member, editor, blog_index):
    _old_rows(member, editor, blog_index)
    first = retention.retention_enforce(now=NOW)
    remaining = {
        model: model.objects.count()
        for model in (AccessRecord, QueryDailyHits, Query, ShareCount, DBTaskResult, OutboundEmail)
    }

    second = retention.retention_enforce(now=NOW)

    assert first.total >= 6
    assert second.total == 0
    assert remaining == {model: model.objects.count() for model in remaining}
    # Each run is in the audit trail, also the one that removed nothing.
    assert ModelLogEntry.objects.filter(action="kindred.retention.run").count() == 2


def test_more_rows_than_a_batch_go_in_several_bounded_deletes(member, editor):
    for _ in range(7):
        _access(member, editor, NOW - timedelta(days=800))
    kept = _access(member, editor, NOW - timedelta(days=1))

    with CaptureQueriesContext(connection) as queries:
        removed = retention.access_log_enforce(days=730, now=NOW, batch_size=3)

    deletes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("DELETE") and "audit_accessrecord" in q["sql"]
    ]
    assert removed == 7
    assert len(deletes) == 3  # 3 + 3 + 1 ids
    assert all(" IN (" in sql for sql in deletes)
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_command_refuses_a_nonsense_batch_size(portal):
    with pytest.raises(CommandError):
        call_command("enforce_retention", batch_size=0, stdout=io.StringIO())
    with pytest.raises(ValueError):
        retention.delete_in_batches(AccessRecord.objects.all(), batch_size=0)


# --- The settings: defaults, bounds, who edits them ---


def test_defaults_are_sensible(portal, settings):
    fresh = RetentionSettings.load()

    assert fresh.access_log_days == 730
    assert fresh.search_query_days == settings.WAGTAILSEARCH_HITS_MAX_AGE == 90
    assert fresh.share_log_days == 365
    assert fresh.finished_task_days == 30
    assert fresh.sent_email_days == 30


@pytest.mark.parametrize("days", [0, -1, 3651, 10**9])
def test_periods_out_of_bounds_are_refused_by_the_model(portal, days):
    settings = RetentionSettings.load()
    settings.access_log_days = days
    with pytest.raises(ValidationError):
        settings.full_clean()


def test_the_database_refuses_a_zero_period_too(portal):
    settings = RetentionSettings.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionSettings.objects.filter(pk=settings.pk).update(share_log_days=0)


def _edit_url() -> str:
    settings = RetentionSettings.load()
    return reverse("wagtailsettings:edit", args=("audit", "retentionsettings", settings.pk))


def _form(**overrides) -> dict:
    data = {
        "access_log_days": "730",
        "search_query_days": "90",
        "share_log_days": "365",
        "finished_task_days": "30",
        "sent_email_days": "30",
    }
    data.update(overrides)
    return data


def test_data_protection_sets_a_period_and_the_change_is_in_the_trail(client, portal):
    officer = UserFactory(group=roles.DATA_PROTECTION)
    client.force_login(officer)

    response = client.post(_edit_url(), _form(access_log_days="365"))

    assert response.status_code == 302
    assert RetentionSettings.load().access_log_days == 365
    assert ModelLogEntry.objects.filter(action="wagtail.edit", user=officer).exists()


@pytest.mark.parametrize(
    "value",
    ["0", "3651", "-5", "abc", "<script>alert(1)</script>", "9" * 5000, ""],
)
def test_hostile_periods_are_refused_with_a_message(client, superuser, value):
    client.force_login(superuser)

    response = client.post(_edit_url(), _form(share_log_days=value))

    assert response.status_code == 200  # the form again, with its error
    assert RetentionSettings.load().share_log_days == 365
    assert "share_log_days" in response.context["form"].errors


@pytest.mark.parametrize("fixture_name", ["editor", "manager", "member"])
def test_other_roles_cannot_edit_retention(client, request, fixture_name):
    client.force_login(request.getfixturevalue(fixture_name))

    response = client.post(_edit_url(), _form(access_log_days="1"))

    assert response.status_code in (302, 403)
    assert RetentionSettings.load().access_log_days == 730
