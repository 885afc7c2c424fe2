"""Reads for the discussion; import them from here (``from discussion.selectors import ...``).

The page always comes through ``core.selectors.readable_content`` (the one
gate). ``comments``: what a reader may see of a page's comments, and a
member's standing to comment on a community's item; ``moderation``: the
moderators' queues and who may decide about a comment.
"""

from .comments import (
    MAX_ID,
    MAX_LEVEL,
    MODERATE_PERMISSION,
    VISIBLE,
    Discussion,
    api_thread,
    comment_card,
    comment_count,
    comments_on,
    community_item_keys,
    community_items_keys,
    community_visible_comments,
    hold_note,
    own_comment,
    page_content_type,
    page_context,
    readable_page,
    thread_recipients,
    valid_id,
    visible_comment,
    with_comment_counts,
)
from .moderation import (
    QueueItem,
    community_queue_comment,
    may_moderate_comment,
    moderated_community,
    moderation_queue,
)

__all__ = [
    "MAX_ID",
    "MAX_LEVEL",
    "MODERATE_PERMISSION",
    "VISIBLE",
    "Discussion",
    "QueueItem",
    "api_thread",
    "comment_card",
    "comment_count",
    "comments_on",
    "community_item_keys",
    "community_items_keys",
    "community_queue_comment",
    "community_visible_comments",
    "hold_note",
    "may_moderate_comment",
    "moderated_community",
    "moderation_queue",
    "own_comment",
    "page_content_type",
    "page_context",
    "readable_page",
    "thread_recipients",
    "valid_id",
    "visible_comment",
    "with_comment_counts",
]
