"""The safety app's hooks: log actions, the "possible adverse event" flag in the review
queue; the admin's parts register their own (``admin_hooks``: the Safety inbox;
``crisis_admin``: the moderators' crisis signals; ``hint_hooks``: the personal-data
hints)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from wagtail import hooks

from moderation.selectors import REVIEW_FLAGS, REVIEW_TOOLS, ReviewFlag, ReviewTool

from . import admin_hooks, crisis_admin, hint_hooks  # noqa: F401  (they register their own)
from .hints import reviewer_hints_url
from .models import SafetyCase
from .services import CASE_OPENED, CASE_VIEWED

POSSIBLE_ADVERSE_EVENT = ReviewFlag(label=gettext_lazy("Possible adverse event"), tone="warning")


@hooks.register("register_log_actions")
def register_safety_log_actions(actions):
    actions.register_action(
        CASE_OPENED, gettext_lazy("Safety case opened"), gettext_lazy("Safety case opened")
    )
    actions.register_action(
        CASE_VIEWED, gettext_lazy("Safety case viewed"), gettext_lazy("Safety case viewed")
    )


@hooks.register(REVIEW_FLAGS)
def adverse_event_review_flags(*, pages) -> dict:
    """Items with a case still open (new or triaged): the medical reviewer should know,
    although the case itself is the Pharmacovigilance group's (reviewers do not see it)."""
    open_cases = SafetyCase.objects.filter(
        Q(status=SafetyCase.Status.NEW) | Q(status=SafetyCase.Status.TRIAGED),
        page_id__in=[page.pk for page in pages],
    )
    flagged = open_cases.values_list("page_id", flat=True).distinct()
    return {page_id: [POSSIBLE_ADVERSE_EVENT] for page_id in flagged}


@hooks.register(REVIEW_TOOLS)
def personal_data_review_tool(*, page_id: int) -> list:
    """Every item in review: what in it looks like personal data, marked."""
    return [
        ReviewTool(label=gettext_lazy("Check for personal data"), url=reviewer_hints_url(page_id))
    ]
