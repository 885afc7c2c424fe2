"""Writes of the access log (``audit.models.AccessRecord``)."""

from collections.abc import Iterable
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


def access_record_many(
    *,
    viewer: "User",
    purpose: str,
    accesses: Iterable[tuple[int | None, str, str]],
) -> int:
    """Record that ``viewer`` opened several members' data on one page; return rows added.

    ``accesses`` are ``(member id, what, object reference)`` triples, such as
    ``(7, "held_comment", "comment:31")``; the first for each member and
    ``what`` counts, so a queue showing a member's three held comments adds
    one row for that member. A fixed number of queries however many members
    there are (the viewer's role, the repeats in the window, one insert). The
    rules of ``access_record`` hold: no subject, the viewer's own data and
    anonymous viewers are skipped; repeats within ``REPEAT_WINDOW`` add nothing.
    """
    if viewer is None or not viewer.is_authenticated:
        return 0
    if purpose not in AccessRecord.Purpose.values:
        raise ValueError(f"Unknown purpose: {purpose!r}")
    wanted: dict[tuple[int, str], str] = {}
    for subject_id, what, object_ref in accesses:
        if what not in AccessRecord.What.values:
            raise ValueError(f"Unknown access: {what!r}")
        if subject_id is None or subject_id == viewer.pk:
            continue
        wanted.setdefault((subject_id, what), object_ref)
    if not wanted:
        return 0
    now = timezone.now()
    recent = set(
        AccessRecord.objects.filter(
            subject_id__in={subject_id for subject_id, _what in wanted},
            viewer=viewer,
            at__gte=now - REPEAT_WINDOW,
        ).values_list("subject_id", "what", "object_ref")
    )
    new = [
        (subject_id, what, object_ref)
        for (subject_id, what), object_ref in wanted.items()
        if (subject_id, what, object_ref) not in recent
    ]
    if not new:
        # A reload within the window: one query, nothing written.
        return 0
    role = staff_role(viewer)
    AccessRecord.objects.bulk_create(
        AccessRecord(
            subject_id=subject_id,
            viewer=viewer,
            viewer_role=role,
            what=what,
            purpose=purpose,
            object_ref=object_ref,
            at=now,
        )
        for subject_id, what, object_ref in new
    )
    return len(new)
