"""Reads of the access log, and the rules that decide what an opening is."""

import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from audit.models import AccessRecord, AccessWhat
from core import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from wagtail.models import Page

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
STAFF = "Staff"
# Every role a record can name, for the admin report's filter.
ROLE_CHOICES = [(role, role) for role in (ADMINISTRATOR, *STAFF_ROLES, STAFF)]
ADMIN_ACCESS = "wagtailadmin.access_admin"
EXPORT_PERMISSION = "audit.export_accessrecord"


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
    return STAFF


def is_staff(user: "User | AnonymousUser | None") -> bool:
    """Whether ``user`` is staff for the access log: a superuser or anyone with admin access.

    Members and experts never have admin access (DESIGN.md), so whoever has it
    reads members' data as an organisation's role, not as a fellow member.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_perm(ADMIN_ACCESS))


def may_export(user: "User | AnonymousUser | None") -> bool:
    """Superusers and holders of ``audit.export_accessrecord`` (the Data protection group)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_perm(EXPORT_PERMISSION))


def page_access_what(page: "Page") -> str | None:
    """What a staff member opening ``page`` in the admin sees of its author's, or ``None``.

    ``in_review`` while a workflow runs on it, ``draft`` when it is not live or
    has changes not yet published; ``None`` when it is live and unchanged (what
    the admin shows is then what the site shows). Only members' items
    (``ContentPage``, which have an author) are anyone's personal data.
    """
    from core.models import ContentPage

    if not isinstance(page, ContentPage) or page.author_id is None:
        return None
    if page.workflow_in_progress:
        return AccessWhat.IN_REVIEW
    if not page.live or page.has_unpublished_changes:
        return AccessWhat.DRAFT
    return None


def viewer_reference(viewer_id: int | None) -> str:
    """A stable pseudonymous reference for a staff account, such as ``S-4F2A9C``.

    The member sees the same reference each time the same person opened their
    data, and can quote it to the data-protection officer, whose export names
    the account; it does not name the person (an HMAC of the id under the
    site's secret key, so it cannot be reversed by counting ids).
    """
    if viewer_id is None:
        return "S-deleted"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"audit-viewer:{viewer_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"S-{digest[:6].upper()}"


def accesses_for(subject: "User") -> QuerySet[AccessRecord]:
    """Every access to ``subject``'s data, newest first (the member's /me/access/)."""
    return AccessRecord.objects.filter(subject=subject).order_by("-at", "-pk")


def access_log() -> QuerySet[AccessRecord]:
    """Every record, newest first, with the accounts the admin report names (one query)."""
    return AccessRecord.objects.select_related("subject", "viewer").order_by("-at", "-pk")
