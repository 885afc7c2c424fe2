"""The demo's data-rights records (README, "Your data and the audit trail").

Staff have opened some of ``member1``'s non-public data as they would in their work, so
"Who saw my data" (/me/access/) shows what it is for, and the data-protection officer's
Reports › Access log has rows: an Editor opened an item of theirs in review, and the
Pharmacovigilance reader opened the safety case about their comment.
"""

from wagtail.models import WorkflowState

from audit.models import AccessRecord
from audit.services import access_record
from safety.models import SafetyCase


def demo_data_rights_seed(*, accounts):
    """Record the demo's staff accesses to ``member1``'s data once; returns what it added."""
    member = accounts["member1"]
    if AccessRecord.objects.filter(subject=member).exists():
        return {}
    added = 0
    in_review = (
        WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS, requested_by=member)
        .order_by("pk")
        .first()
    )
    if in_review is not None:
        access_record(
            viewer=accounts["editor"],
            subject=member,
            what=AccessRecord.What.IN_REVIEW,
            purpose=AccessRecord.Purpose.REVIEW,
            object_ref=f"page:{in_review.object_id}",
        )
        added += 1
    case = SafetyCase.objects.filter(comment__user=member).order_by("pk").first()
    if case is not None:
        access_record(
            viewer=accounts["safety"],
            subject=member,
            what=AccessRecord.What.SAFETY_CASE,
            purpose=AccessRecord.Purpose.SAFETY,
            object_ref=f"case:{case.pk}",
        )
        added += 1
    return {"staff accesses recorded": added} if added else {}
