"""``/me/access/``: the member's own access log ("Who saw my data")."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessRecord
from audit.selectors import ADMINISTRATOR, STAFF, accesses_for, viewer_reference
from core import roles
from core.selectors import paginate

PAGE_SIZE = 25

# The roles a record names (group names, kept in English in the log), as the member reads them.
ROLE_LABELS = {
    ADMINISTRATOR: pgettext_lazy("staff role", "Administrator"),
    STAFF: pgettext_lazy("staff role", "Staff"),
    roles.DATA_PROTECTION: pgettext_lazy("staff role", "Data protection"),
    roles.PHARMACOVIGILANCE: pgettext_lazy("staff role", "Pharmacovigilance"),
    roles.MEDICAL_REVIEWERS: pgettext_lazy("staff role", "Medical reviewers"),
    roles.EDITORS: pgettext_lazy("staff role", "Editors"),
    roles.COMMUNITY_MANAGERS: pgettext_lazy("staff role", "Community managers"),
}


@dataclass(frozen=True)
class AccessRow:
    """One line as the member reads it: when, which role (and its reference), what, why.

    Never the staff member's name: a role and a pseudonymous reference tell the
    member what they need (who in the organisation, and whether it was the same
    person again) and let them ask the data-protection officer about one line,
    without making staff members' identities public to every member.
    """

    at: datetime
    role: str
    reference: str
    what: str
    purpose: str


def _row(record: AccessRecord) -> AccessRow:
    return AccessRow(
        at=record.at,
        role=str(ROLE_LABELS.get(record.viewer_role, record.viewer_role)),
        reference=viewer_reference(record.viewer_id),
        what=record.get_what_display(),
        purpose=record.get_purpose_display(),
    )


@require_GET
@never_cache
@login_required
def my_access(request: HttpRequest) -> HttpResponse:
    """The signed-in member's access records, newest first, 25 a page."""
    page = paginate(accesses_for(request.user), request.GET.get("page"), per_page=PAGE_SIZE)
    response = TemplateResponse(
        request,
        "audit/my_access.html",
        {"page_obj": page, "rows": [_row(record) for record in page.object_list]},
    )
    # never_cache says private and no-store already; said again so that no
    # later change of decorators can make a member's log cacheable.
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response
