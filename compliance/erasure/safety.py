"""Safety cases and crisis signals: the law keeps the case, not the member's words.

An adverse-event case must be kept for pharmacovigilance (the marketing
authorisation holder's record of what was reported and what was done). Its
coded fields stay: origin, medicine, the event as triaged, seriousness, status, the dates,
the lexicon version, the staff's notes and decisions. What the member wrote
or said about themselves (the excerpt, the words the detector matched, the
patient and reporter descriptions, the contact, and the event while it is
still the first line of their report, untriaged) becomes ``SAFETY_NOTICE``.
A crisis signal is the moderators' record that someone was helped; it keeps
its dates and handling and loses the words.

The case's history (Wagtail's log) keeps every change's old and new value; for
the fields that hold what the member said (``WORDS``) both become the notice,
while the coded changes (seriousness, status, assignee, deadlines) stay.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.models import ModelLogEntry

from safety.models import CrisisSignal, SafetyCase

from . import SAFETY_NOTICE, Erasure

# The case fields that can hold the member's words (the event until it is triaged).
WORDS = ("patient", "reporter", "reporter_contact", "event", "excerpt")


def _history_scrub(case_ids: list[int]) -> int:
    """Replace the member's words in the logged old and new values of these cases' changes."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SafetyCase),
        object_id__in=[str(pk) for pk in case_ids],
    )
    scrubbed = 0
    for entry in entries:
        changed = (entry.data or {}).get("changed") or {}
        words = [name for name in WORDS if name in changed]
        if not words:
            continue
        for name in words:
            changed[name] = {"old": SAFETY_NOTICE, "new": SAFETY_NOTICE}
        entry.save(update_fields=["data"])
        scrubbed += 1
    return scrubbed


def safety_erase(erasure: Erasure) -> None:
    """Scrub the member's words from cases and crisis signals; keep the coded record."""
    mine = Q(author=erasure.user)
    if erasure.emails:
        mine |= Q(reporter_contact__in=erasure.emails)
    # Until a triager writes the event proper, it is the first line of the member's
    # own words (safety.services.reports): it goes with them.
    SafetyCase.objects.filter(mine, triaged_at__isnull=True).update(event=SAFETY_NOTICE)
    case_ids = list(SafetyCase.objects.filter(mine).values_list("pk", flat=True))
    erasure.add(
        "safety_cases_scrubbed",
        SafetyCase.objects.filter(pk__in=case_ids).update(
            excerpt=SAFETY_NOTICE, matches=[], patient="", reporter="", reporter_contact=""
        ),
    )
    erasure.add("safety_case_history_scrubbed", _history_scrub(case_ids))
    erasure.add(
        "crisis_signals_scrubbed",
        CrisisSignal.objects.filter(author=erasure.user).update(excerpt=SAFETY_NOTICE, matches=[]),
    )
