"""The demo's safety work (README, "Safety"): adverse-event cases from what members wrote,
one of them overdue, and a comment held for a crisis signal.

The demo items are screened as the worker would screen them (``safety.tasks``), at once,
so the Safety inbox has work in it before the worker starts. Two comments mention a
medicine and what it did; the first is backdated three weeks, so its case is past both
its triage and its report deadline (a serious case: 15 days). A third comment, by Ines,
has words that suggest a crisis: it is held, and the moderators' list shows it.
"""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import TaskState

from core.models import ContentPage
from discussion.models import PageComment
from discussion.selectors import page_content_type
from safety import deadlines
from safety.models import CrisisSignal, SafetyCase
from safety.services import adverse_event_case_open, crisis_signal_open
from safety.tasks import scan_revision

# (author, text, days ago): the first is the overdue one.
ADVERSE_EVENT_COMMENTS = [
    (
        "member2",
        "My wife started Kesimpta in the spring and has had three chest infections since; "
        "the last one put her in hospital for four days.",
        21,
    ),
    (
        "member1",
        "Fampridine gave me awful insomnia and headaches for the first month, so I only "
        "take it on work days now.",
        0,
    ),
]
CRISIS_COMMENT = (
    "member3",
    "Honestly, since the last relapse I don't want to be here anymore. Everything is so hard "
    "and I feel like a burden to everyone.",
)


def _comment(page, user, text, *, when, visible):
    comment = PageComment(
        content_type=page_content_type(),
        object_pk=str(page.pk),
        site_id=1,
        user=user,
        user_name=user.public_name,
        comment=text,
        submit_date=when,
        is_public=visible,
        awaiting_moderation=not visible,
        followup=True,
    )
    comment.save()
    return comment


def _backdate(case: SafetyCase, *, days: int) -> None:
    opened_at = timezone.now() - timedelta(days=days)
    SafetyCase.objects.filter(pk=case.pk).update(
        opened_at=opened_at,
        triage_due=deadlines.triage_due(opened_at),
        report_due=deadlines.report_due(opened_at, serious=case.serious),
    )


def demo_safety_seed(*, accounts: dict) -> dict[str, int]:
    """Screen the demo items, add the comments above; does nothing the second time."""
    if PageComment.objects.filter(comment=ADVERSE_EVENT_COMMENTS[0][1]).exists():
        return {}
    # Every version sent for review, screened as the worker screened it at the time.
    submitted = TaskState.objects.exclude(revision__isnull=True).order_by("revision_id")
    for revision_id in submitted.values_list("revision_id", flat=True).distinct():
        scan_revision.call(revision_id)
    published = list(ContentPage.objects.live().order_by("pk")[:3])
    if not published:
        return {}
    now = timezone.now()
    for position, (username, text, days) in enumerate(ADVERSE_EVENT_COMMENTS):
        page = published[position % len(published)]
        comment = _comment(
            page, accounts[username], text, when=now - timedelta(days=days), visible=True
        )
        case = adverse_event_case_open(
            text=text, author=accounts[username], comment=comment, page=page
        )
        if case is not None and days:
            _backdate(case, days=days)
    username, text = CRISIS_COMMENT
    comment = _comment(published[-1], accounts[username], text, when=now, visible=False)
    crisis_signal_open(text=text, author=accounts[username], comment=comment)
    return {
        "safety cases": SafetyCase.objects.count(),
        "crisis signals": CrisisSignal.objects.filter(handled_at__isnull=True).count(),
    }
