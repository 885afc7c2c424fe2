"""Writes of the access log (``audit.models.AccessRecord``)."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from audit.models import AccessRecord
from audit.selectors import staff_role

if TYPE_CHECKING:
    from accounts.models import User

# Opening the same thing again within this window adds no row: a reviewer who
# reloads a preview ten times opened it once, and the member's list stays
# readable. A later opening is a new row.
REPEAT_WINDOW = timedelta(minutes=15)


def access_record(
    *,
    viewer: "User",
    subject: "User | None",
    what: str,
    purpose: str,
    object_ref: str = "",
) -> AccessRecord | None:
    """Record that ``viewer`` opened ``subject``'s non-public ``what``; return the record.

    Nothing is recorded (``None``) when there is nobody to tell (no subject,
    an anonymous viewer) or when members open their own data. A repeat within
    ``REPEAT_WINDOW`` returns the earlier record instead of adding one. Call it
    from the view that shows the data, after the permission check passed.
    """
    if subject is None or viewer is None or not viewer.is_authenticated:
        return None
    if viewer.pk == subject.pk:
        return None
    if what not in AccessRecord.What.values or purpose not in AccessRecord.Purpose.values:
        raise ValueError(f"Unknown access: {what!r} for {purpose!r}")
    now = timezone.now()
    recent = (
        AccessRecord.objects.filter(
            subject=subject,
            viewer=viewer,
            what=what,
            object_ref=object_ref,
            at__gte=now - REPEAT_WINDOW,
        )
        .order_by("-at")
        .first()
    )
    if recent is not None:
        return recent
    return AccessRecord.objects.create(
        subject=subject,
        viewer=viewer,
        viewer_role=staff_role(viewer),
        what=what,
        purpose=purpose,
        object_ref=object_ref,
        at=now,
    )
