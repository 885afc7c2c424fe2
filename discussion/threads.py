"""Comments as a reader sees them: a tree of ``CommentNode`` built from loaded rows.

Pure Python over comments already loaded (with their authors and profiles)
by ``discussion.selectors``: nothing here queries. A comment the reader may
not see but that has visible replies becomes a placeholder that carries
only its id and place, never its text or author.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.addresses import id_address
from social.models import (
    EXPERT_BADGE,
    MEMBER_BADGE,
    REVIEWER_BADGE,
    role_badge_for,
)
from social.selectors import member_face

from .models import PageComment
from .text import comment_html

# Members may change what they wrote for this long after posting it.
EDIT_WINDOW = timedelta(minutes=15)
# The deepest level a comment can have (0 is a comment on the page itself). A
# reply to a comment at this level is attached beside it, to its parent.
MAX_LEVEL = 2

PLACEHOLDERS = {
    "removed": gettext_lazy("This comment was removed."),
    "hidden": gettext_lazy("This comment was hidden by the moderators."),
    "awaiting": gettext_lazy("This comment is awaiting moderation."),
}


class CommentLinks:
    """The discussion's addresses by comment or page id (permalink, edit, report, post).

    Two ``{% url %}`` per comment were most of a member's item page's ~48
    ``reverse()`` calls (issue 17). Each kind is reversed once per process
    (``core.addresses.id_address``: what comes before and after the id), and once
    per thread read from there.
    """

    NAMES = {
        "permalink": "discussion:permalink",
        "edit": "discussion:edit",
        "report": "discussion:report",
        "post": "discussion:post",
    }

    def __init__(self) -> None:
        self._parts: dict[str, tuple[str, str]] = {}

    def url(self, kind: str, object_id: int) -> str:
        """The address of ``kind`` for the comment (or, for "post", the page) ``object_id``."""
        parts = self._parts.get(kind)
        if parts is None:
            parts = self._parts[kind] = id_address(self.NAMES[kind])
        return f"{parts[0]}{int(object_id)}{parts[1]}"


def may_edit(comment: PageComment, *, now: datetime | None = None) -> bool:
    """Whether the edit window for ``comment`` is still open."""
    return (now or timezone.now()) - comment.submit_date <= EDIT_WINDOW


@dataclass
class CommentNode:
    """One comment as a reader may see it, with its replies.

    A placeholder (``placeholder`` set) stands for a hidden, removed or
    awaiting comment that has visible replies: it has only its id and place.
    """

    id: int
    parent_id: int | None
    level: int
    placeholder: str = ""
    author_name: str = ""
    profile_url: str = ""
    avatar_url: str = ""
    initials: str = ""
    badge: object = None
    submitted_at: object = None
    edited: bool = False
    html: str = ""
    awaiting: bool = False
    can_reply: bool = False
    can_edit: bool = False
    can_report: bool = False
    children: list = field(default_factory=list)
    # The thread's addresses, shared by its nodes (``CommentLinks``).
    links: CommentLinks | None = field(default=None, repr=False, compare=False)

    def _url(self, kind: str) -> str:
        return (self.links or CommentLinks()).url(kind, self.id)

    @property
    def permalink_url(self) -> str:
        return self._url("permalink")

    @property
    def edit_url(self) -> str:
        return self._url("edit")

    @property
    def report_url(self) -> str:
        return self._url("report")

    @property
    def is_placeholder(self) -> bool:
        return bool(self.placeholder)

    @property
    def placeholder_text(self) -> str:
        return PLACEHOLDERS.get(self.placeholder, "")

    def as_json(self) -> dict:
        """The API's view of the node (no email, flags or reports; placeholders stay empty)."""
        if self.is_placeholder:
            return {
                "id": self.id,
                "parent_id": self.parent_id,
                "level": self.level,
                "removed": True,
                "author": None,
                "profile_url": None,
                "submitted_at": None,
                "edited": False,
                "html": None,
            }
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "level": self.level,
            "removed": False,
            "author": self.author_name,
            "profile_url": self.profile_url or None,
            "submitted_at": self.submitted_at.isoformat(),
            "edited": self.edited,
            "html": str(self.html),
        }


def _author_face(comment, viewer):
    """(profile URL or "", avatar URL or "", initials, badge) from what was loaded.

    Avatar and link follow ``social.selectors.member_face``, the one rule for
    every surface: a profile hidden from the reader shows neither (an "only
    me" avatar used to show beside its owner's comments). An author who
    blocks the reader is seen as by a visitor.
    """
    user = comment.user
    face = member_face(user=user, viewer=viewer, blocks_viewer=_blocks_viewer(comment))
    badge = _badge(comment) if user is not None else None
    return face.profile_url, face.avatar_url, face.initials, badge


def _badge(comment):
    """The author's badge, as ``social.models.role_badge_for`` decides it.

    Read from the EXISTS columns of ``_thread_rows`` when present (no query),
    else from the author's groups.
    """
    if not hasattr(comment, "author_is_expert"):
        return role_badge_for(comment.user)
    if comment.author_is_expert:
        return EXPERT_BADGE
    if comment.author_is_reviewer:
        return REVIEWER_BADGE
    return MEMBER_BADGE


def _state(comment):
    if comment.is_removed:
        return "removed"
    if comment.is_public:
        return "visible"
    return "awaiting" if comment.awaiting_moderation else "hidden"


def _blocks_viewer(comment):
    # Annotated by discussion.selectors.comments._thread_rows for a signed-in reader.
    return getattr(comment, "author_blocks_viewer", False)


def _reply_refused(comment, by_id):
    """Whether a reply to ``comment`` would be refused for a block, as the server decides
    (``discussion.services``): the author of the comment answered, or of the comment the
    reply attaches to (its parent, at the deepest level), blocked the reader."""
    if _blocks_viewer(comment):
        return True
    if comment.level >= MAX_LEVEL:
        parent = by_id.get(comment.parent_id)
        return parent is not None and _blocks_viewer(parent)
    return False


@dataclass
class ThreadRow:
    """One node of a thread in reading order, for a template that renders it in one loop.

    A node with replies leaves its ``<li>`` open with an ``<ol>`` for them; ``closes``
    says how many such lists end after this row (its ancestors whose last reply is it).
    """

    node: CommentNode
    closes: int = 0

    @property
    def closings(self) -> range:
        return range(self.closes)


def thread_rows(roots: Sequence[CommentNode]) -> list[ThreadRow]:
    """``roots`` and their replies, depth first, as ``ThreadRow``s (one template loop
    instead of a template included per comment, issue 17)."""
    rows: list[ThreadRow] = []

    def walk(nodes):
        for node in nodes:
            rows.append(ThreadRow(node))
            if node.children:
                walk(node.children)
                rows[-1].closes += 1

    walk(roots)
    return rows


def build_thread(
    comments: Sequence[PageComment],
    *,
    viewer: AbstractBaseUser | AnonymousUser | None,
    can_post: bool = False,
    include_own_awaiting: bool = True,
    links: CommentLinks | None = None,
) -> tuple[list[CommentNode], int]:
    """The comments (ordered by thread and order) as a tree of ``CommentNode``s.

    Visible comments are shown, and the viewer's own comments awaiting
    moderation when ``include_own_awaiting``. A comment not shown that has a
    shown reply becomes a placeholder so the reply keeps its place. Reply is
    not offered where the server would refuse it because of a block (the
    ``author_blocks_viewer`` column of the rows). Returns
    ``(roots, visible_count)``.
    """
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    by_id = {comment.pk: comment for comment in comments}
    shown = _shown_ids(comments, viewer_id=viewer_id, include_own_awaiting=include_own_awaiting)
    needed = _with_ancestors(shown, by_id)
    reader = _Reader(
        viewer=viewer,
        viewer_id=viewer_id,
        can_post=can_post,
        now=timezone.now(),
        links=links or CommentLinks(),
    )
    nodes = {}
    roots = []
    for comment in comments:
        if comment.pk not in needed:
            continue
        if comment.pk in shown:
            node = _shown_node(comment, reader, by_id)
        else:
            node = _placeholder_node(comment)
        nodes[comment.pk] = node
        _attach(node, nodes, roots)
    visible_count = sum(1 for comment_id in shown if _state(by_id[comment_id]) == "visible")
    return roots, visible_count


@dataclass(frozen=True)
class _Reader:
    """Who reads the thread, as every node needs it: computed once per thread."""

    viewer: object
    viewer_id: int | None
    can_post: bool
    now: object
    links: CommentLinks

    def wrote(self, comment):
        return self.viewer_id is not None and comment.user_id == self.viewer_id


def _shown_ids(comments, *, viewer_id, include_own_awaiting):
    """The ids of the comments shown in full: visible ones, and the viewer's own awaiting."""
    shown = set()
    for comment in comments:
        state = _state(comment)
        own = viewer_id is not None and comment.user_id == viewer_id
        if state == "visible" or (include_own_awaiting and state == "awaiting" and own):
            shown.add(comment.pk)
    return shown


def _with_ancestors(shown, by_id):
    """``shown`` plus every comment above one of them, so each reply keeps its place."""
    needed = set(shown)
    for comment_id in shown:
        current = by_id[comment_id]
        # Walk up to the thread's root; parent_id == id marks the root.
        while current.parent_id != current.pk and current.parent_id in by_id:
            current = by_id[current.parent_id]
            needed.add(current.pk)
    return needed


def _parent_id(comment):
    # xtd marks a thread's root with parent_id == its own id.
    return comment.parent_id if comment.parent_id != comment.pk else None


def _placeholder_node(comment):
    """A comment not shown but with shown replies: its id, place and why, nothing else."""
    return CommentNode(
        id=comment.pk,
        parent_id=_parent_id(comment),
        level=comment.level,
        placeholder=_state(comment),
    )


def _shown_node(comment, reader, by_id):
    """A comment shown in full, with what ``reader`` may do with it."""
    state = _state(comment)
    visible = state == "visible"
    own = reader.wrote(comment)
    profile_url, avatar_url, initials, badge = _author_face(comment, reader.viewer)
    return CommentNode(
        id=comment.pk,
        parent_id=_parent_id(comment),
        level=comment.level,
        author_name=comment.author_name,
        profile_url=profile_url,
        avatar_url=avatar_url,
        initials=initials,
        badge=badge,
        submitted_at=comment.submit_date,
        edited=comment.edited_at is not None,
        html=comment_html(comment.comment),
        awaiting=state == "awaiting",
        can_reply=visible and reader.can_post and not _reply_refused(comment, by_id),
        can_edit=own and may_edit(comment, now=reader.now),
        can_report=visible and reader.viewer_id is not None and not own,
        links=reader.links,
    )


def _attach(node, nodes, roots):
    """Hang ``node`` under its parent's node, or among the roots when it has none shown."""
    parent = nodes.get(node.parent_id) if node.parent_id is not None else None
    if parent is not None:
        parent.children.append(node)
    else:
        roots.append(node)
