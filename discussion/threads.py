"""Comments as a reader sees them: a tree of ``CommentNode`` built from loaded rows.

Pure Python over comments already loaded (with their authors and profiles)
by ``discussion.selectors``: nothing here queries. A comment the reader may
not see but that has visible replies becomes a placeholder that carries
only its id and place, never its text or author.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from social.models import (
    EXPERT_BADGE,
    MEMBER_BADGE,
    REVIEWER_BADGE,
    role_badge_for,
)
from social.selectors import member_face

from .text import comment_html

# Members may change what they wrote for this long after posting it.
EDIT_WINDOW = timedelta(minutes=15)
# The deepest level a comment can have (0 is a comment on the page itself). A
# reply to a comment at this level is attached beside it, to its parent.
MAX_LEVEL = 2

PLACEHOLDERS = {
    "removed": "This comment was removed.",
    "hidden": "This comment was hidden by the moderators.",
    "awaiting": "This comment is awaiting moderation.",
}


def may_edit(comment, *, now=None):
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

    @property
    def is_placeholder(self):
        return bool(self.placeholder)

    @property
    def placeholder_text(self):
        return PLACEHOLDERS.get(self.placeholder, "")

    def as_json(self):
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
    # Annotated by discussion.selectors._thread_rows for a signed-in reader.
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


def build_thread(comments, *, viewer, can_post=False, include_own_awaiting=True):
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
    shown = set()
    for comment in comments:
        state = _state(comment)
        if state == "visible" or (
            include_own_awaiting
            and state == "awaiting"
            and viewer_id is not None
            and comment.user_id == viewer_id
        ):
            shown.add(comment.pk)
    needed = set(shown)
    for comment_id in shown:
        current = by_id[comment_id]
        # Walk up to the thread's root; parent_id == id marks the root.
        while current.parent_id != current.pk and current.parent_id in by_id:
            current = by_id[current.parent_id]
            needed.add(current.pk)

    now = timezone.now()
    nodes = {}
    roots = []
    visible_count = 0
    for comment in comments:
        if comment.pk not in needed:
            continue
        parent_id = comment.parent_id if comment.parent_id != comment.pk else None
        state = _state(comment)
        node = CommentNode(id=comment.pk, parent_id=parent_id, level=comment.level)
        if comment.pk not in shown:
            node.placeholder = state
        else:
            own = viewer_id is not None and comment.user_id == viewer_id
            visible = state == "visible"
            visible_count += visible
            node.profile_url, node.avatar_url, node.initials, node.badge = _author_face(
                comment, viewer
            )
            node.author_name = comment.author_name
            node.submitted_at = comment.submit_date
            node.edited = comment.edited_at is not None
            node.html = comment_html(comment.comment)
            node.awaiting = state == "awaiting"
            node.can_reply = visible and can_post and not _reply_refused(comment, by_id)
            node.can_edit = own and may_edit(comment, now=now)
            node.can_report = visible and viewer_id is not None and not own
        nodes[comment.pk] = node
        parent = nodes.get(parent_id) if parent_id is not None else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots.append(node)
    return roots, visible_count
