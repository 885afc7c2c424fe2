"""Review analytics: figures from rows made here, with times chosen here."""

import math
from datetime import UTC, date, datetime, timedelta

from wagtail.models import TaskState

import pytest

from analytics.periods import period_of
from analytics.selectors import (
    review_change_requests,
    review_decision_times,
    review_overdue,
    review_queue_history,
)
from core import roles
from tests.factories import UserFactory

from .conftest import EDITORIAL, MEDICAL, review_step

pytestmark = pytest.mark.django_db

# A Wednesday at noon: the period of two weeks runs from Monday 23 November.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def at(day, hour):
    return datetime(2026, 11 if day > 15 else 12, day, hour, tzinfo=UTC)


def nearest_rank_p95(values):
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def middle(values):
    ordered, n = sorted(values), len(values)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def test_queue_length_is_what_waited_at_the_end_of_each_day(item, member):
    review_step(page=item(), stage=EDITORIAL, started=at(24, 10), finished=at(26, 9))
    review_step(page=item(), stage=MEDICAL, started=at(1, 15))
    # Finished before the period: in no day's queue.
    review_step(page=item(), stage=EDITORIAL, started=at(20, 9), finished=at(21, 9))

    history = review_queue_history(period=period_of(weeks=2, now=NOW))

    days = [entry.day for entry in history]
    assert days[0] == date(2026, 11, 23) and days[-1] == date(2026, 12, 2)
    editorial = {entry.day for entry in history if entry.editorial}
    medical = {entry.day for entry in history if entry.medical}
    assert editorial == {date(2026, 11, 24), date(2026, 11, 25)}
    assert medical == {date(2026, 12, 1), date(2026, 12, 2)}
    assert max(entry.editorial for entry in history) == 1


def test_median_and_95th_percentile_per_reviewer_and_for_everyone(item, portal):
    ada = UserFactory(group=roles.EDITORS, display_name="Ada Reviewer")
    bea = UserFactory(group=roles.EDITORS, display_name="Bea Reviewer")
    doc = UserFactory(group=roles.MEDICAL_REVIEWERS, display_name="Dr Doc")
    decided = at(30, 12)
    ada_hours, bea_hours, doc_hours = [1, 2, 3, 10, 40], [4], [5, 7]
    for reviewer, stage, hours_list in (
        (ada, EDITORIAL, ada_hours),
        (bea, EDITORIAL, bea_hours),
        (doc, MEDICAL, doc_hours),
    ):
        for hours in hours_list:
            review_step(
                page=item(),
                stage=stage,
                started=decided - timedelta(hours=hours),
                finished=decided,
                by=reviewer,
            )
    # A request for changes is a decision too; one before the period is not counted.
    review_step(
        page=item(),
        stage=MEDICAL,
        started=decided - timedelta(hours=9),
        finished=decided,
        by=doc,
        status=TaskState.STATUS_REJECTED,
    )
    review_step(
        page=item(),
        stage=MEDICAL,
        started=at(1, 1) - timedelta(days=60),
        finished=at(1, 1) - timedelta(days=59),
        by=doc,
    )
    doc_hours = [*doc_hours, 9]

    times = {
        (t.stage, t.reviewer): t for t in review_decision_times(period=period_of(weeks=2, now=NOW))
    }

    expected = {
        (EDITORIAL, "Ada Reviewer"): ada_hours,
        (EDITORIAL, "Bea Reviewer"): bea_hours,
        (EDITORIAL, ""): ada_hours + bea_hours,
        (MEDICAL, "Dr Doc"): doc_hours,
        (MEDICAL, ""): doc_hours,
    }
    assert set(times) == set(expected)
    for key, hours in expected.items():
        assert times[key].decisions == len(hours)
        assert times[key].median_hours == pytest.approx(middle(hours))
        assert times[key].p95_hours == pytest.approx(nearest_rank_p95(hours))
    assert times[(EDITORIAL, "")].p95_hours == 40
    assert times[(EDITORIAL, "")].median_hours == 3.5


def test_requests_for_changes_by_step_with_their_comments(item, editor, medic):
    decided = at(30, 12)
    for comment in ("Please remove the ward's name.", ""):
        review_step(
            page=item(),
            stage=EDITORIAL,
            started=decided - timedelta(hours=2),
            finished=decided,
            by=editor,
            status=TaskState.STATUS_REJECTED,
            comment=comment,
        )
    review_step(
        page=item(),
        stage=MEDICAL,
        started=decided - timedelta(hours=2),
        finished=decided,
        by=medic,
        status=TaskState.STATUS_REJECTED,
        comment="Dose?",
    )
    # Approvals are not requests for changes.
    review_step(
        page=item(), stage=MEDICAL, started=decided - timedelta(hours=2), finished=decided, by=medic
    )

    counts = {
        c.stage: (c.requests, c.with_comment)
        for c in review_change_requests(period=period_of(weeks=2, now=NOW))
    }

    assert counts == {EDITORIAL: (2, 1), MEDICAL: (1, 1)}


def test_items_past_the_service_level_are_titled_only_for_their_reviewers(
    item, editor, manager, medic, hours_ago, now
):
    review_step(page=item("Waiting long at editorial"), stage=EDITORIAL, started=hours_ago(50))
    review_step(page=item("Fresh at editorial"), stage=EDITORIAL, started=hours_ago(2))
    review_step(page=item("Waiting long at medical"), stage=MEDICAL, started=hours_ago(49))

    for_editor = review_overdue(user=editor, service_level_hours=48, now=now)
    for_manager = review_overdue(user=manager, service_level_hours=48, now=now)
    for_medic = review_overdue(user=medic, service_level_hours=48, now=now)

    assert [(i.title, i.hours) for i in for_editor.items] == [("Waiting long at editorial", 50)]
    assert for_editor.late_by_stage == {EDITORIAL: 1, MEDICAL: 1}
    assert for_editor.others == 1
    assert [i.title for i in for_medic.items] == ["Waiting long at medical"]
    assert for_manager.items == [] and for_manager.others == 2
    assert review_overdue(user=editor, service_level_hours=51, now=now).late_by_stage == {
        EDITORIAL: 0,
        MEDICAL: 0,
    }


def test_nobody_sees_their_own_late_item_by_title(blog_index, editor, hours_ago, now):
    from tests.factories import BlogPageFactory

    own = BlogPageFactory(parent=blog_index, author=editor, publish=False, title="My own draft")
    review_step(page=own, stage=EDITORIAL, started=hours_ago(60))

    report = review_overdue(user=editor, service_level_hours=48, now=now)

    assert report.items == [] and report.others == 1
