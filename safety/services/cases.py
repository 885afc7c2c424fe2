"""Opening and working safety cases (the Safety inbox in the admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from audit.models import AccessPurpose, AccessWhat
from audit.services import access_record
from safety import deadlines
from safety.models import CaseNote, SafetyCase
from safety.selectors import case_assignees

if TYPE_CHECKING:
    from wagtail.models import Page, Revision

    from django_comments_xtd.models import XtdComment

    from accounts.models import User

# Wagtail log actions for cases (registered in safety.wagtail_hooks).
CASE_OPENED = "kindred.safety.case_opened"
CASE_VIEWED = "kindred.safety.case_viewed"


def case_open(
    *,
    origin: str,
    excerpt: str,
    matches: list[dict[str, Any]] | None = None,
    page: Page | None = None,
    revision: Revision | None = None,
    comment: XtdComment | None = None,
    author: User | None = None,
    opened_by: User | None = None,
    medicine: str = "",
    event: str = "",
    patient: str = "",
    reporter: str = "",
    reporter_contact: str = "",
    serious: bool = False,
    lexicon_version: str = "",
) -> SafetyCase | None:
    """Open a case; day zero is now, and its deadlines follow from it.

    A scan that runs twice for the same revision or comment opens one case: the
    second call finds the partial unique constraint and returns None. The opening is
    logged (by ``opened_by``, or by nobody for the scan).
    """
    opened_at = timezone.now()
    case = SafetyCase(
        origin=origin,
        page=page,
        revision=revision,
        comment=comment,
        author=author,
        opened_by=opened_by,
        excerpt=excerpt[:4000],
        matches=matches or [],
        medicine=medicine[:200],
        event=event[:300],
        patient=patient[:200],
        reporter=reporter[:200],
        reporter_contact=reporter_contact[:254],
        serious=serious,
        opened_at=opened_at,
        triage_due=deadlines.triage_due(opened_at),
        report_due=deadlines.report_due(opened_at, serious=serious),
        lexicon_version=lexicon_version,
    )
    try:
        # A savepoint: the constraint's refusal must not spoil the caller's transaction.
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if origin == SafetyCase.Origin.DETECTED:
            return None
        raise
    log(instance=case, action=CASE_OPENED, user=opened_by)
    return case


# Registered with the Safety inbox's hooks (safety.admin_hooks).
CASE_UPDATED = "kindred.safety.case_updated"
CASE_NOTE_ADDED = "kindred.safety.case_note_added"

# What a case's form may change; everything else (the source, the excerpt, day zero,
# the deadlines, who opened it) is the case's record and follows from these.
EDITABLE_FIELDS = (
    "patient",
    "reporter",
    "reporter_contact",
    "medicine",
    "event",
    "serious",
    "status",
    "not_reportable_reason",
    "assignee",
)
# Where a case was seen: its page in the admin, the printable form, the CSV row.
VIEWED_ON = ("page", "print", "csv")


class CaseRefused(ValueError):
    """A change a case cannot take, in words for the person who asked for it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _logged(value: Any) -> Any:
    """A value as the log's JSON keeps it: a user by id, a date as ISO text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def case_update(*, case: SafetyCase, user: User | None, **changes: Any) -> list[str]:
    """Apply ``changes`` (fields in ``EDITABLE_FIELDS``) to ``case`` and log them; returns the
    names of the fields that changed (nothing is saved or logged when none did).

    A change of seriousness recomputes the report's deadline from day zero; the first
    move to "triaged" (or past it) stamps ``triaged_at``, the move to "reported" stamps
    ``reported_at``. "Not reportable" needs a reason (the database insists too); any other
    status clears the reason. The log entry's data holds each changed field's old and new
    value (the assignee by id), and the deadline when it moved.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise CaseRefused(
            _("A case has no editable field %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    status = changes.get("status", case.status)
    if status not in SafetyCase.Status.values:
        raise CaseRefused(_("Choose one of the statuses offered."))
    reason = changes.get("not_reportable_reason", case.not_reportable_reason) or ""
    if status == SafetyCase.Status.NOT_REPORTABLE:
        if not reason.strip():
            raise CaseRefused(_("Say why the case is not reportable: an inspector will ask."))
    else:
        changes["not_reportable_reason"] = ""
    assignee = changes.get("assignee")
    if (
        assignee is not None
        and assignee.pk != case.assignee_id
        and not case_assignees().filter(pk=assignee.pk).exists()
    ):
        raise CaseRefused(_("Cases go to members of the Pharmacovigilance group only."))
    before = {name: getattr(case, name) for name in EDITABLE_FIELDS}
    for name, value in changes.items():
        setattr(case, name, value)
    changed = [name for name in EDITABLE_FIELDS if getattr(case, name) != before[name]]
    if not changed:
        return []
    data: dict[str, Any] = {
        "changed": {
            name: {"old": _logged(before[name]), "new": _logged(getattr(case, name))}
            for name in changed
        }
    }
    update_fields = list(changed)
    if "serious" in changed:
        new_due = deadlines.report_due(case.opened_at, serious=case.serious)
        if new_due != case.report_due:
            data["report_due"] = {"old": _logged(case.report_due), "new": _logged(new_due)}
            case.report_due = new_due
            update_fields.append("report_due")
    if "status" in changed:
        now = timezone.now()
        if status != SafetyCase.Status.NEW and case.triaged_at is None:
            case.triaged_at = now
            update_fields.append("triaged_at")
        if status == SafetyCase.Status.REPORTED and case.reported_at is None:
            case.reported_at = now
            update_fields.append("reported_at")
    with transaction.atomic():
        case.save(update_fields=update_fields)
        log(instance=case, action=CASE_UPDATED, user=user, data=data, content_changed=True)
    return changed


def case_note_add(*, case: SafetyCase, user: User | None, text: str) -> CaseNote:
    """Add a note to ``case`` by ``user`` and log it; notes are never edited.

    Refused when the text is blank or longer than a note holds.
    """
    text = (text or "").strip()
    limit = CaseNote._meta.get_field("text").max_length
    if not text:
        raise CaseRefused(_("Write the note first."))
    if len(text) > limit:
        raise CaseRefused(
            _("A note holds at most %(limit)s characters; this one has %(length)s.")
            % {"limit": limit, "length": len(text)}
        )
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=user, text=text)
        log(instance=case, action=CASE_NOTE_ADDED, user=user, data={"note": note.pk})
    return note


def case_viewed(*, case: SafetyCase, user: User | None, on: str = "page") -> None:
    """Log that ``user`` saw ``case`` (``on``: its page, the printable form or the CSV row).

    The member the case is about (its author) is told too: a row of their access log.
    """
    if on not in VIEWED_ON:
        raise ValueError(f"on must be one of {VIEWED_ON}")
    log(instance=case, action=CASE_VIEWED, user=user, data={"on": on})
    if case.author_id is not None:
        access_record(
            viewer=user,
            subject=case.author,
            what=AccessWhat.SAFETY_CASE,
            purpose=AccessPurpose.SAFETY,
            object_ref=f"case:{case.pk}",
        )


def author_label(author: User | None) -> str:
    """How a case names its patient and reporter when the text names nobody else."""
    if author is None:
        return "Unknown (no account)"
    return f"The author ({author.display_name or author.get_username()})"


def matches_in(excerpt: str, *, medicine: str = "", event: str = "") -> list[dict[str, Any]]:
    """Where ``medicine`` and ``event`` first occur in ``excerpt`` (ignoring case), in the
    ``matches`` format the inbox highlights."""
    found = []
    folded = excerpt.casefold()
    for kind, words in (("medicine", medicine), ("event", event)):
        words = words.strip()
        # casefold() keeps the length for the texts people write, not for every
        # character (ß becomes ss): the offsets are trusted only when it did.
        if not words or len(folded) != len(excerpt):
            continue
        start = folded.find(words.casefold())
        if start >= 0 and len(words.casefold()) == len(words):
            found.append({"start": start, "end": start + len(words), "kind": kind, "label": words})
    return found


def case_open_by_hand(
    *,
    opened_by: User,
    excerpt: str,
    page: Page | None = None,
    comment: XtdComment | None = None,
    author: User | None = None,
    medicine: str = "",
    event: str = "",
    serious: bool = False,
    note: str = "",
) -> SafetyCase:
    """Open a case by hand from an item (``page``, its newest revision) or a comment, by
    ``opened_by``; the author is patient and reporter until the case says otherwise.

    The medicine and the event are marked where the excerpt names them; a note, if any,
    is the case's first. The opening is logged by ``case_open``.
    """
    excerpt = excerpt.strip()
    if not excerpt:
        raise CaseRefused(_("Give the words that suggest a side effect."))
    label = author_label(author)
    with transaction.atomic():
        case = case_open(
            origin=SafetyCase.Origin.MANUAL,
            excerpt=excerpt,
            matches=matches_in(excerpt[:4000], medicine=medicine, event=event),
            page=page,
            revision=page.latest_revision if page is not None else None,
            comment=comment,
            author=author,
            opened_by=opened_by,
            medicine=medicine.strip(),
            event=event.strip(),
            patient=label,
            reporter=label,
            serious=serious,
        )
        if note.strip():
            case_note_add(case=case, user=opened_by, text=note)
    return case
