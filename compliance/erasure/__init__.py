"""Erasing a member's account: each area of the site in a module of its own.

``compliance.services.erasure.erasure_perform`` runs the steps in order
(``STEPS``). Each step takes the ``Erasure`` (the member, their choice for
published items, what must be searched for) and adds its counts to it. The
account itself is kept as a pseudonymous tombstone (``account.tombstone``):
log entries, the consent ledger, access records and kept pages go on naming
an id that names nobody.

What is kept, and why (the issue leaves it to us):

- Published items the member chose to keep: the live version only, without
  an author ("Former member", or "Anonymous member" if it was anonymous);
  every other revision is deleted. Drafts, items in review and items sent
  back are always removed.
- A comment someone else replied to: its place in the thread, so the replies
  still read as replies; its text becomes ``COMMENT_NOTICE`` and it names
  nobody. A comment without replies is deleted.
- Safety cases: pharmacovigilance law requires the case to be kept, so its
  coded fields stay (origin, medicine, event, seriousness, status, dates) and
  the member's words (excerpt, patient, reporter, contact) become
  ``SAFETY_NOTICE``. Staff notes on the case are the staff's record and stay.
- Answers by others beneath a removed question go with it (they answer the
  member's own words); comments by others on a removed item go with the item.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser

# How long a request waits before the erasure runs; signing in cancels it.
WAIT = timedelta(days=7)
# The job runs hourly (README); a due request is finished well within a day.
FINISH_WITHIN = timedelta(hours=24)

FORMER_MEMBER = "Former member"
COMMENT_NOTICE = "This comment was removed when its author deleted their account."
SAFETY_NOTICE = "[Removed when the member deleted their account]"
ERASED_LABEL = "Erased"


@dataclass
class Erasure:
    """One erasure in progress: the member, their choice, and what it has done so far.

    ``needles`` are the member's identifiers, lower case; ``title_needles``
    the titles of what is removed: texts elsewhere (log labels, queued
    emails, task rows; for names only, the anonymous query log) that contain
    one of them are scrubbed.
    """

    user: AbstractBaseUser
    keep_published: bool
    needles: set[str] = field(default_factory=set)
    # Titles of removed items (and their orphaned tags): scrubbed from logs, the outbox
    # and the task queue, not from the anonymous search log (a title such as
    # "Fatigue" would take everyone's searches with it).
    title_needles: set[str] = field(default_factory=set)
    # Every address the account had (allauth's and the account's own), lower case.
    emails: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    # Pages removed (ids), and pages kept without their author (ids).
    removed_page_ids: set[int] = field(default_factory=set)
    kept_page_ids: set[int] = field(default_factory=set)
    # Comments deleted (ids): notifications naming them go too.
    removed_comment_ids: set[int] = field(default_factory=set)
    # Storage names of files to delete once the database work has committed.
    files: list[tuple[object, str]] = field(default_factory=list)

    def add(self, kind: str, number: int) -> None:
        """Count ``number`` more things of ``kind`` removed or anonymised (zero is not recorded)."""
        if number:
            self.counts[kind] = self.counts.get(kind, 0) + number

    def needle(self, text: str | None, *, title: bool = False) -> None:
        """Remember ``text`` (a name, an address; a title if ``title``) to scrub elsewhere."""
        text = (text or "").strip().lower()
        # Very short texts would match half the site; a title or name that short names nobody.
        if len(text) >= 4:
            (self.title_needles if title else self.needles).add(text)
