"""Screening what people send: adverse-event cases from a scan, crisis signals and their
handling.

Detection never blocks publishing by itself: an adverse-event signal opens a case for
the Pharmacovigilance group and nothing else. Crisis words are different, because a
person may be in danger: the item or comment is held until a moderator has handled the
signal, and the moderators are emailed at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log

from core.emails import site_url
from safety import detection
from safety.models import CrisisSignal, SafetyCase
from safety.staff_mail import moderators, staff_email_queue

from .cases import case_open

if TYPE_CHECKING:
    from wagtail.models import Page, Revision

    from accounts.models import User

CRISIS_OPENED = "kindred.safety.crisis_opened"
CRISIS_HANDLED = "kindred.safety.crisis_handled"
EXCERPT_JOIN = " … "


def _author_label(author: User | None) -> str:
    if author is None:
        return "A former member"
    return f"The author ({author.public_name})"


def _excerpt(spans_by_sentence: dict[tuple[int, int], list]) -> tuple[str, list[dict[str, Any]]]:
    """The sentences holding the matches, in text order, joined by an ellipsis; and the
    matches' offsets moved into that excerpt."""
    parts, matches, offset = [], [], 0
    for (start, _end), (sentence_text, spans) in sorted(spans_by_sentence.items()):
        if parts:
            offset += len(EXCERPT_JOIN)
        for span in spans:
            matches.append(
                {
                    "start": offset + span.start - start,
                    "end": offset + span.end - start,
                    "kind": span.kind,
                    "label": span.label,
                }
            )
        parts.append(sentence_text)
        offset += len(sentence_text)
    return EXCERPT_JOIN.join(parts), matches


def adverse_event_case_open(
    *,
    text: str,
    author: User | None,
    page: Page | None = None,
    revision: Revision | None = None,
    comment: Any = None,
) -> SafetyCase | None:
    """Open a case when ``text`` names a medicine near an adverse event; None when it does
    not, or when this revision or comment already has its case (a rerun).

    One case per source, holding every signal in it: the excerpt is the sentences that
    carry them, with the medicines and events marked; the case is serious if any signal
    is. Patient and reporter are the author unless the text names someone else.
    """
    signals = detection.find_adverse_events(text)
    if not signals:
        return None
    sentences: dict[tuple[int, int], tuple[str, list]] = {}
    for signal in signals:
        key = (signal.sentence.start, signal.sentence.end)
        _text, spans = sentences.setdefault(key, (signal.sentence.text, []))
        for span in (signal.medicine, signal.event):
            if span not in spans:
                spans.append(span)
    excerpt, matches = _excerpt(sentences)
    unique = lambda values: ", ".join(dict.fromkeys(v for v in values if v))  # noqa: E731
    patients = unique(signal.patient for signal in signals)
    return case_open(
        origin=SafetyCase.Origin.DETECTED,
        excerpt=excerpt,
        matches=matches,
        page=page,
        revision=revision,
        comment=comment,
        author=author,
        medicine=unique(signal.medicine.label for signal in signals),
        event=unique(signal.event.label for signal in signals),
        patient=patients or _author_label(author),
        reporter=_author_label(author),
        serious=any(signal.serious for signal in signals),
        lexicon_version=detection.LEXICON_VERSION,
    )


def crisis_signal_open(
    *,
    text: str,
    author: User | None,
    page: Page | None = None,
    revision: Revision | None = None,
    comment: Any = None,
) -> CrisisSignal | None:
    """Record crisis words in an item (``page`` at ``revision``) or a ``comment``, and email
    the moderators once the transaction commits; None when ``text`` has none, when the
    item already has an open signal (a resubmission adds nothing: it is still held), or
    when a moderator already handled the same words in the same item or comment.
    """
    spans = detection.find_crisis(text)
    if not spans:
        return None
    first, last = spans[0], spans[-1]
    # Some context either side, so a moderator can judge without opening the item.
    start, end = max(0, first.start - 300), min(len(text), last.end + 300)
    excerpt = text[start:end][:4000]
    if _handled_before(page=page, comment=comment, words={s.text.lower() for s in spans}):
        # A moderator already handled these very words here (a resubmission after other
        # changes): holding it again would only make them decide twice.
        return None
    signal = CrisisSignal(
        page=page,
        revision=revision,
        comment=comment,
        author=author,
        excerpt=excerpt,
        matches=[
            {"start": s.start - start, "end": s.end - start, "kind": s.kind, "label": s.label}
            for s in spans
            if s.end <= end
        ],
    )
    try:
        with transaction.atomic():
            signal.save()
    except IntegrityError:
        return None
    log(instance=signal, action=CRISIS_OPENED, user=None)
    transaction.on_commit(lambda: _tell_moderators(signal.pk))
    return signal


def _handled_before(*, page: Page | None, comment: Any, words: set[str]) -> bool:
    """Whether a handled signal on the same item or comment marked all of ``words``."""
    source = {"page": page} if page is not None else {"comment": comment}
    for signal in CrisisSignal.objects.filter(**source, handled_at__isnull=False):
        marked = {
            signal.excerpt[m["start"] : m["end"]].lower()
            for m in signal.matches
            if isinstance(m, dict) and isinstance(m.get("start"), int)
        }
        if words <= marked:
            return True
    return False


def _tell_moderators(signal_id: int) -> None:
    signal = CrisisSignal.objects.filter(pk=signal_id).first()
    if signal is None:
        return
    staff_email_queue(
        users=moderators(),
        template="safety/emails/crisis_signal",
        context={
            "signal": signal,
            "where": "an item" if signal.page_id else "a comment",
            "link": site_url(reverse("safety_crisis:index")),
        },
        key=f"crisis:{signal.pk}",
    )


@transaction.atomic
def crisis_signal_handle(*, signal: CrisisSignal, user: User, note: str) -> CrisisSignal:
    """Mark ``signal`` handled by ``user`` with ``note`` (required: what was done, or why it
    was not a crisis). The item may then be approved; a comment then waits in the
    moderation queue like any other. Handling twice changes nothing."""
    signal = CrisisSignal.objects.select_for_update().get(pk=signal.pk)
    if signal.handled_at is not None:
        return signal
    signal.handled_at = timezone.now()
    signal.handled_by = user
    signal.handled_note = note.strip()[:2000]
    signal.save(update_fields=["handled_at", "handled_by", "handled_note"])
    log(instance=signal, action=CRISIS_HANDLED, user=user, data={"note": signal.handled_note})
    return signal
