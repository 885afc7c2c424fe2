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
"""

from django.db.models import Q

from safety.models import CrisisSignal, SafetyCase

from . import SAFETY_NOTICE, Erasure


def safety_erase(erasure: Erasure) -> None:
    """Scrub the member's words from cases and crisis signals; keep the coded record."""
    mine = Q(author=erasure.user)
    if erasure.emails:
        mine |= Q(reporter_contact__in=erasure.emails)
    # Until a triager writes the event proper, it is the first line of the member's
    # own words (safety.services.reports): it goes with them.
    SafetyCase.objects.filter(mine, triaged_at__isnull=True).update(event=SAFETY_NOTICE)
    erasure.add(
        "safety_cases_scrubbed",
        SafetyCase.objects.filter(mine).update(
            excerpt=SAFETY_NOTICE, matches=[], patient="", reporter="", reporter_contact=""
        ),
    )
    erasure.add(
        "crisis_signals_scrubbed",
        CrisisSignal.objects.filter(author=erasure.user).update(excerpt=SAFETY_NOTICE, matches=[]),
    )
