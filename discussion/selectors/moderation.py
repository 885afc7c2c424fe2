"""What moderators see and who they are: the queues (the whole site for Editors,
one community for its moderators) and whether a person may decide about a comment."""

from dataclasses import dataclass

from django.db.models import (
    Prefetch,
    Q,
)

from core.models import CommunityMembership, CommunityPage, ContentPage
from core.selectors import Reader
from safety.crisis_selectors import open_crisis_comment_ids

from ..models import CommentReport, PageComment
from ..text import comment_html

# MAX_LEVEL lives with the thread's shape; discussion.services reads it from here.
from ..threads import MAX_LEVEL as MAX_LEVEL
from .comments import (
    MODERATE_PERMISSION,
    community_item_keys,
    page_content_type,
    valid_id,
)


def moderated_community(*, user: Reader, slug: object) -> CommunityPage | None:
    """The live community at ``slug`` if ``user`` is one of its active moderators, else None.

    Anyone else (a visitor, a plain member, another community's moderator, a
    Site Editor who is not its moderator) gets the same None, however the
    community is listed: its moderators' page answers them all as missing.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not isinstance(slug, str) or not 0 < len(slug) <= 255:
        return None
    return (
        CommunityPage.objects.live()
        .filter(
            slug=slug,
            memberships__user=user,
            memberships__state=CommunityMembership.State.ACTIVE,
            memberships__role=CommunityMembership.Role.MODERATOR,
        )
        .first()
    )


def may_moderate_comment(*, user: Reader, comment: PageComment) -> bool:
    """Whether ``user`` may decide about ``comment``: Editors anywhere; a community's own
    moderators on the comments of its items (and nowhere else). One query at most."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_perm(MODERATE_PERMISSION):
        return True
    if comment.page_id is None:
        return False
    return CommunityMembership.objects.filter(
        user=user,
        state=CommunityMembership.State.ACTIVE,
        role=CommunityMembership.Role.MODERATOR,
        community__items__pk=comment.page_id,
    ).exists()


@dataclass
class QueueItem:
    """A comment in the moderation queue with its page and its open reports."""

    comment: PageComment
    page: ContentPage | None
    page_url: str
    reports: list
    html: str
    # Held because its words suggest the writer may harm themselves (safety): first in
    # the queue, and approved only once a moderator has handled the signal.
    crisis: bool = False


def moderation_queue(
    *, community: CommunityPage | None = None
) -> tuple[list[QueueItem], list[QueueItem], list[QueueItem]]:
    """What moderators decide about: comments awaiting moderation, and reported comments.

    Returns ``(awaiting, reported, hidden)`` lists of ``QueueItem``, oldest
    first (the most recently hidden first), except that comments held for a crisis
    signal come first of all. Without ``community``: the whole
    site, for Editors. With it: only comments on that community's items, for
    its moderators, and no hidden list (hiding is the Editors' tool). Pages
    come in one query for all, so the count of queries is fixed.
    """
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True).select_related("reporter")
    base = PageComment.objects.select_related("user").prefetch_related(
        Prefetch("reports", queryset=open_reports, to_attr="open_reports")
    )
    if community is not None:
        base = base.filter(
            content_type=page_content_type(),
            object_pk__in=community_item_keys(community_id=community.pk),
        )
    awaiting = list(
        base.filter(awaiting_moderation=True, is_removed=False).order_by("submit_date")[:100]
    )
    reported = list(
        base.filter(
            is_removed=False,
            pk__in=CommentReport.objects.filter(resolved_at__isnull=True).values("comment_id"),
        ).order_by("submit_date")[:100]
    )
    hidden = []
    if community is None:
        hidden = list(
            base.filter(is_public=False, is_removed=False, awaiting_moderation=False).order_by(
                "-submit_date"
            )[:30]
        )
    page_ids = {c.page_id for c in (*awaiting, *reported, *hidden) if c.page_id is not None}
    pages = {
        page.pk: page
        for page in ContentPage.objects.filter(pk__in=page_ids).select_related("community")
    }
    urls = {pk: page.get_url() or "" for pk, page in pages.items()}
    crisis = open_crisis_comment_ids([c.pk for c in awaiting])
    # Crisis first, then oldest first (a stable sort keeps that order).
    awaiting.sort(key=lambda c: c.pk not in crisis)

    def items(comments):
        return [
            QueueItem(
                comment=c,
                page=pages.get(c.page_id),
                page_url=urls.get(c.page_id, ""),
                reports=c.open_reports,
                html=comment_html(c.comment),
                crisis=c.pk in crisis,
            )
            for c in comments
        ]

    return items(awaiting), items(reported), items(hidden)


def community_queue_comment(*, community: CommunityPage, comment_id: object) -> PageComment | None:
    """The comment ``comment_id`` if it is in ``community``'s queue: on one of its items, not
    removed, and awaiting moderation or reported. Anything else (another community's
    comment, a site comment, a missing id) is None alike."""
    if not valid_id(comment_id):
        return None
    return (
        PageComment.objects.filter(
            pk=comment_id,
            is_removed=False,
            content_type=page_content_type(),
            object_pk__in=community_item_keys(community_id=community.pk),
        )
        .filter(
            Q(awaiting_moderation=True)
            | Q(pk__in=CommentReport.objects.filter(resolved_at__isnull=True).values("comment_id"))
        )
        .first()
    )
