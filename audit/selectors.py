"""Reads of the access log."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from audit.models import AccessRecord
from core import roles

if TYPE_CHECKING:
    from accounts.models import User

# The staff roles, in the order a person with several is named by.
STAFF_ROLES = (
    roles.DATA_PROTECTION,
    roles.PHARMACOVIGILANCE,
    roles.MEDICAL_REVIEWERS,
    roles.EDITORS,
    roles.COMMUNITY_MANAGERS,
)
ADMINISTRATOR = "Administrator"


def staff_role(user: "User") -> str:
    """The role ``user`` acts in, as a member is told it: "Editors", "Administrator"…

    Superusers are "Administrator"; otherwise the first staff group in
    ``STAFF_ROLES`` they belong to; "Staff" for anyone else with admin access.
    """
    if user.is_superuser:
        return ADMINISTRATOR
    names = set(user.groups.values_list("name", flat=True))
    for role in STAFF_ROLES:
        if role in names:
            return role
    return "Staff"


def accesses_for(subject: "User") -> QuerySet[AccessRecord]:
    """Every access to ``subject``'s data, newest first (the member's /me/access/)."""
    return AccessRecord.objects.filter(subject=subject).order_by("-at", "-pk")
