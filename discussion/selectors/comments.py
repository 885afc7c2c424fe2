"""What a reader may see of the comments on a page, and who may comment where.

The page always comes through ``core.selectors.readable_content`` (the one
gate for drafts, pages in review and restricted pages). A comment is shown
when it is visible (public and not removed); its author also sees it while it
awaits moderation. Anything else answers exactly as a missing id does.

What templates and the JSON API receive are ``CommentNode`` objects (built
by ``discussion.threads``): a hidden or removed comment becomes a placeholder
that carries no text and no author, so nothing downstream can leak them.
"""

import threading
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.selectors import may_contribute
from core import roles
from core.models import CommunityMembership, CommunityPage, ContentPage
from core.prepared import prepared
from core.responses import login_url_for
from core.selectors import Reader, active_memberships, page_readable_by, readable_content
from social.models import MemberBlock

from ..models import COMMENT_MAX_LENGTH, PageComment

# MAX_LEVEL lives with the thread's shape; discussion.services reads it from here.
from ..threads import MAX_LEVEL as MAX_LEVEL
from ..threads import CommentLinks, CommentNode, ThreadRow, build_thread, thread_rows

# Ids come from URLs and forms; the database columns are 32-bit integers, and
# PostgreSQL answers a larger literal with an error rather than no row.
MAX_ID = 2**31 - 1
MODERATE_PERMISSION = "discussion.moderate_comments"

VISIBLE = Q(is_public=True, is_removed=False)


def valid_id(value: object) -> bool:
    """Whether ``value`` is an id the database can hold (a positive 32-bit integer)."""
    return isinstance(value, int) and 0 < value <= MAX_ID


def page_content_type() -> ContentType:
    """The content type every ``PageComment`` points at (Django caches it after one query)."""
    return ContentType.objects.get_for_model(ContentPage)


def readable_page(*, user: Reader, page_id: object) -> ContentPage | None:
    """The content page ``page_id`` if ``user`` may read it, else ``None`` (one query)."""
    if not valid_id(page_id):
        return None
    return readable_content(user=user, queryset=ContentPage.objects.filter(pk=page_id)).first()


def community_item_keys(*, community_id: int) -> QuerySet:
    """The ids, as comments store them (text), of the items whose audience is the community.

    A subquery for ``object_pk__in``: comments point at pages through a text
    column (django-contrib-comments' generic key), so the ids are cast.
    """
    return (
        ContentPage.objects.filter(community_id=community_id)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )


def community_items_keys() -> QuerySet:
    """The ids (as text) of every item whose audience is a community, as a subquery."""
    return (
        ContentPage.objects.filter(community__isnull=False)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )


def community_visible_comments(*, user: Reader, community_id: int) -> QuerySet:
    """``user``'s visible comments on the items of one community (the "hold first" count)."""
    return PageComment.objects.filter(
        VISIBLE,
        user=user,
        content_type=page_content_type(),
        object_pk__in=community_item_keys(community_id=community_id),
    )


def comments_on(page_id: int | str) -> QuerySet:
    """Every comment about the content page ``page_id``, whatever its state."""
    return PageComment.objects.filter(content_type=page_content_type(), object_pk=str(page_id))


def visible_comment(
    *, viewer: Reader, comment_id: object, own_awaiting: bool = False
) -> tuple[PageComment, ContentPage] | tuple[None, None]:
    """The comment ``comment_id`` and its page if ``viewer`` may see both, else ``(None, None)``.

    Visible means public and not removed; with ``own_awaiting`` the author's own
    comment awaiting moderation counts too (the permalink shows it to them).
    Missing, hidden, removed, unmoderated and comments on pages the viewer
    cannot read all give the same ``(None, None)``.
    """
    if not valid_id(comment_id):
        return None, None
    shown = VISIBLE
    if own_awaiting and getattr(viewer, "is_authenticated", False):
        shown |= Q(awaiting_moderation=True, is_removed=False, user_id=viewer.pk)
    comment = (
        PageComment.objects.filter(shown, pk=comment_id, content_type=page_content_type())
        .select_related("user__profile")
        .first()
    )
    if comment is None or comment.page_id is None:
        return None, None
    page = readable_page(user=viewer, page_id=comment.page_id)
    if page is None:
        return None, None
    return comment, page


def own_comment(
    *, user: Reader, comment_id: object
) -> tuple[PageComment, ContentPage] | tuple[None, None]:
    """``user``'s own comment ``comment_id`` (visible or awaiting) on a readable page.

    ``(None, None)`` for anyone else's comment, as for a missing one.
    """
    if not getattr(user, "is_authenticated", False) or not valid_id(comment_id):
        return None, None
    comment = (
        PageComment.objects.filter(
            pk=comment_id, user_id=user.pk, is_removed=False, content_type=page_content_type()
        )
        .filter(Q(is_public=True) | Q(awaiting_moderation=True))
        .first()
    )
    if comment is None or comment.page_id is None:
        return None, None
    page = readable_page(user=user, page_id=comment.page_id)
    if page is None:
        return None, None
    return comment, page


def with_comment_counts(queryset: QuerySet) -> QuerySet:
    """``queryset`` of content pages annotated with ``comment_count``: visible comments only.

    One correlated subquery in the same query (no query per item); hidden,
    removed and unmoderated comments are not counted.
    """
    counts = (
        PageComment.objects.filter(
            VISIBLE,
            content_type=page_content_type(),
            object_pk=Cast(OuterRef("pk"), CharField()),
        )
        .order_by()
        .values("object_pk")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        comment_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
    )


def comment_count(*, page: ContentPage) -> int:
    """How many visible comments ``page`` has (one query)."""
    return comments_on(page.pk).filter(VISIBLE).count()


def _in_group(names):
    memberships = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("user_id"), group__name__in=names
    )
    return Exists(memberships)


def _thread_rows_queryset(*, content_type_id, page_key, viewer_id=None) -> QuerySet:
    # Authors and their profiles (avatar, visibility) come with the comments,
    # and their badges as two EXISTS columns, all in one query however many
    # comments there are. For a signed-in reader a third says whether the
    # author blocks them (no Reply offered there: discussion.threads).
    rows = PageComment.objects.filter(
        content_type_id=content_type_id, object_pk=page_key
    ).select_related("user__profile")
    if viewer_id is not None:
        rows = rows.annotate(
            author_blocks_viewer=Exists(
                MemberBlock.objects.filter(blocker=OuterRef("user_id"), blocked_id=viewer_id)
            )
        )
    return rows.annotate(
        author_is_expert=_in_group([roles.EXPERTS]),
        author_is_reviewer=_in_group([roles.EDITORS, roles.MEDICAL_REVIEWERS]),
    ).order_by("thread_id", "order")


# Stand-ins for the values the comments' query takes, found again among its compiled
# parameters (``prepared``): no real content type or member has these ids, no page this key.
_CONTENT_TYPE = -770_000_023
_PAGE_KEY = "\x00kindred:comments:page\x00"
_VIEWER = -770_000_019
# Per thread (a compiler holds its thread's connection): the compiled queries, by
# database and whether the reader is signed in.
_compiled = threading.local()


def _thread_rows(page_id, viewer=None) -> list[PageComment]:
    """Every comment of ``page_id`` in thread order, with authors, profiles and badges.

    The query is compiled once per database and thread and run again with the
    page's id (``core.prepared``): compiling it was the largest
    piece of Python work in a member's item page's discussion.
    """
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    values = {"content_type_id": page_content_type().pk, "page_key": str(page_id)}
    stand_ins = {"content_type_id": _CONTENT_TYPE, "page_key": _PAGE_KEY}
    if viewer_id is not None:
        values["viewer_id"], stand_ins["viewer_id"] = viewer_id, _VIEWER
    alias = router.db_for_read(PageComment)
    query = prepared(
        _compiled.__dict__,
        (alias, viewer_id is not None),
        lambda: _thread_rows_queryset(**stand_ins),
        alias,
        stand_ins,
    )
    if query is None:
        return list(_thread_rows_queryset(**values))
    return query.objects(**values)


@dataclass
class Discussion:
    """What a content page shows of its discussion."""

    page_id: int
    nodes: list
    count: int
    can_post: bool
    consent_needed: bool
    login_url: str
    max_length: int = COMMENT_MAX_LENGTH
    # An item in a community whose rules changed since the member accepted
    # them: the community, so the page can say where to accept them.
    rules_changed_in: CommunityPage | None = None
    # Under the form: what happens to a comment here, when moderators read first.
    hold_note: str = ""
    # Where the forms post (``threads.CommentLinks``, as the comments' own addresses).
    post_url: str = ""

    @cached_property
    def rows(self) -> list[ThreadRow]:
        """The nodes in reading order, for the page's one loop (``threads.thread_rows``)."""
        return thread_rows(self.nodes)


def hold_note(*, community: CommunityPage | None, membership: CommunityMembership | None) -> str:
    """What a member is told under the form about a community's preset ("" when nothing waits).

    Only the presets that hold comments are worth a word, and the community's
    moderators are never held (``discussion.services.comment_is_held``).
    """
    if community is None or (membership is not None and membership.is_moderator):
        return ""
    Preset = CommunityPage.ModerationPreset
    if community.moderation_preset == Preset.HOLD_ALL:
        return _("In %(community)s, every comment is read by its moderators before it appears.") % {
            "community": community.title
        }
    if community.moderation_preset == Preset.HOLD_FIRST and community.hold_first_count:
        return _(
            "In %(community)s, a member's first comments are read by its moderators "
            "before they appear."
        ) % {"community": community.title}
    return ""


def _community_standing(*, user: Reader, page: ContentPage) -> tuple[bool, dict]:
    """For an item in a community: whether ``user`` may comment there, and what to tell them.

    No query of its own (``active_memberships``, read once per request). The reader is an active
    member already (``readable_content`` let them in); what may still stop
    them is a change of the rules they have not accepted yet.
    """
    # The reader's memberships are read once per request (the page's gate read them).
    membership = active_memberships(user=user).get(page.community_id)
    if membership is None:
        return False, {}
    community = membership.community
    if not membership.has_accepted_rules(community):
        return False, {"rules_changed_in": community}
    return True, {"hold_note": hold_note(community=community, membership=membership)}


def page_context(*, page: ContentPage, request: HttpRequest) -> dict:
    """The ``discussion`` a content page's template shows, or ``None`` when it has none.

    A page the reader may not read through ``readable_content`` (a preview of
    a draft, a page in review) has no discussion. Two queries for a visitor
    (the gate and the comments with their authors), plus one for a member's
    consent and one for the authors' groups, and on a community's item one
    for the member's standing there (the rules they accepted). A member is not offered Reply
    under comments whose authors block them (read in the comments' query).
    """
    user = getattr(request, "user", None)
    # readable_content's answer about the page being served, without a query of its own.
    if page.pk is None or not page_readable_by(user=user, page=page):
        return {"discussion": None}
    signed_in = getattr(user, "is_authenticated", False)
    consented = signed_in and may_contribute(user)
    can_post, community_notes = consented, {}
    if consented and page.community_id is not None:
        can_post, community_notes = _community_standing(user=user, page=page)
    rows = _thread_rows(page.pk, viewer=user if consented else None)
    links = CommentLinks()
    roots, count = build_thread(rows, viewer=user, can_post=can_post, links=links)
    # Only a visitor is offered a sign-in link back here (a member's address was ~0.1 ms).
    login_url = (
        "" if signed_in else login_url_for(f"{page.get_url(request=request) or '/'}#comments")
    )
    return {
        "discussion": Discussion(
            page_id=page.pk,
            nodes=roots,
            count=count,
            can_post=can_post,
            consent_needed=signed_in and not consented,
            login_url=login_url,
            post_url=links.url("post", page.pk),
            **community_notes,
        )
    }


def comment_card(*, comment: PageComment, viewer: Reader) -> CommentNode:
    """One visible comment as a ``CommentNode`` without replies (the reply and report pages)."""
    roots, _count = build_thread([comment], viewer=viewer)
    return roots[0]


def api_thread(*, page: ContentPage, viewer: Reader) -> tuple[list[dict], int]:
    """The visible comments of ``page`` for the JSON API, in thread order, flattened.

    Comments awaiting moderation are left out even for their author, and
    hidden or removed ones appear only as empty placeholders above visible
    replies.
    """
    roots, count = build_thread(_thread_rows(page.pk), viewer=viewer, include_own_awaiting=False)
    flat = []

    def walk(nodes):
        for node in nodes:
            flat.append(node.as_json())
            walk(node.children)

    walk(roots)
    return flat, count


def thread_recipients(*, comment: PageComment) -> QuerySet:
    """Who hears about ``comment``, a visible reply: the other members taking part in its thread.

    Authors of the thread's visible comments, without the replier, people who
    muted the thread, deactivated accounts and accounts without an address.
    """
    participant_ids = (
        PageComment.objects.filter(VISIBLE, thread_id=comment.thread_id, user__isnull=False)
        .exclude(user_id=comment.user_id)
        .values("user_id")
    )
    return (
        get_user_model()
        .objects.filter(pk__in=participant_ids, is_active=True)
        .exclude(email="")
        .exclude(muted_threads__thread_id=comment.thread_id)
        .order_by("pk")
    )
