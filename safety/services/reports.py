"""Reports sent through "Report a side effect" (``safety.report_views``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from core.emails import site_url
from core.sanitize import one_line
from core.submissions import Submission, submission_claim, submission_done
from safety.models import SafetyCase
from safety.report_forms import excerpt_of
from safety.staff_mail import pharmacovigilance_staff, staff_email_queue

from .cases import case_open

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

EMAIL_TEMPLATE = "safety/emails/side_effect_report"
EVENT_MAX_LENGTH = 120


def report_send(
    *, user: User | AnonymousUser, cleaned: dict[str, Any], submission: Submission | None
) -> SafetyCase:
    """Open a case from a valid ``SideEffectReportForm`` and email the Pharmacovigilance
    group (the reference and a link to the case in the admin, not the words), in one
    transaction.

    ``user`` is the reporter, or an anonymous user for a visitor. A member's second
    press of the same form opens nothing new: it raises ``Repeated`` with the first case.
    """
    member = user if user.is_authenticated else None
    with transaction.atomic():
        receipt = (
            submission_claim(user=member, submission=submission) if member is not None else None
        )
        case = case_open(
            origin=SafetyCase.Origin.REPORTED,
            excerpt=excerpt_of(cleaned),
            author=member,
            reporter=f"the member {member.public_name}" if member else "a visitor",
            reporter_contact=cleaned["contact"],
            medicine=cleaned["medicine"],
            # A first line for the inbox's list; the triager writes the event proper.
            event=one_line(cleaned["what_happened"], max_length=EVENT_MAX_LENGTH),
            serious=cleaned["serious"],
            page=cleaned["item"],
        )
        submission_done(receipt=receipt, created=case)
        staff_email_queue(
            users=pharmacovigilance_staff(),
            template=EMAIL_TEMPLATE,
            context={"case": case, "link": site_url(reverse("safety_cases:edit", args=[case.pk]))},
            key=f"safety.report:{case.pk}",
        )
    return case
