"""Reads for the moderators' crisis signals: the list, the open count, what the queues mark."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wagtail.models import Page

from . import detection
from .highlight import highlighted
from .models import CrisisSignal

MODERATE_PERMISSION = "discussion.moderate_comments"


def may_handle_crisis(user) -> bool:
    """Moderators (those who moderate comments: the Editors) and administrators."""
    return bool(user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def crisis_in(text: str) -> bool:
    """Whether ``text`` (a comment, an item, a question) has words suggesting its writer may
    harm themselves: the writer is shown help at once, and the text is held."""
    return bool(text) and bool(detection.find_crisis(text))


def crisis_query(query: str) -> bool:
    """Whether a search for ``query`` should show help above its results: looking for
    words about suicide or self-harm is itself a reason to offer help."""
    return bool(query) and detection.is_crisis_query(query)


def open_crisis_signals() -> QuerySet[CrisisSignal]:
    """Signals nobody has handled yet, oldest first: they are the most urgent."""
    return CrisisSignal.objects.filter(handled_at__isnull=True).order_by("detected_at", "pk")


def open_crisis_count() -> int:
    """How many signals wait for a moderator."""
    return open_crisis_signals().count()


@dataclass(frozen=True)
class CrisisRow:
    signal: CrisisSignal
    where: str
    title: str
    page_id: int | None
    author_name: str
    excerpt_html: str


def crisis_rows(*, handled: bool, limit: int = 100) -> list[CrisisRow]:
    """Open (or recently handled) signals with what their rows show, in three queries."""
    signals = (
        CrisisSignal.objects.filter(handled_at__isnull=not handled)
        .select_related("author", "handled_by", "comment")
        .order_by("-handled_at" if handled else "detected_at", "pk")[:limit]
    )
    signals = list(signals)
    page_ids = {s.page_id for s in signals if s.page_id}
    page_ids |= {int(s.comment.object_pk) for s in signals if s.comment and s.comment.object_pk}
    titles = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))
    rows = []
    for signal in signals:
        if signal.page_id:
            page_id, where = signal.page_id, _("Item")
        else:
            page_id = int(signal.comment.object_pk) if signal.comment else None
            where = _("Comment")
        rows.append(
            CrisisRow(
                signal=signal,
                where=where,
                title=titles.get(page_id, _("An item that no longer exists")),
                page_id=page_id if page_id in titles else None,
                author_name=signal.author.public_name if signal.author else _("A former member"),
                excerpt_html=highlighted(signal.excerpt, signal.matches),
            )
        )
    return rows


def page_held_for_crisis(page_id: int) -> bool:
    """Whether the item ``page_id`` is held by an open crisis signal (one query)."""
    return open_crisis_signals().filter(page_id=page_id).exists()


def open_crisis_page_ids(page_ids: list[int]) -> set[int]:
    """Which of ``page_ids`` are held by an open crisis signal (one query)."""
    return set(open_crisis_signals().filter(page_id__in=page_ids).values_list("page_id", flat=True))


def open_crisis_comment_ids(comment_ids: list[int]) -> set[int]:
    """Which of ``comment_ids`` have an open crisis signal (one query)."""
    held = open_crisis_signals().filter(comment_id__in=comment_ids)
    return set(held.values_list("comment_id", flat=True))
