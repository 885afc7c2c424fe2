"""Writes for the social layer; import them from here (``from social.services import ...``).

``profiles`` holds the profile itself; ``relations`` follows, blocks and mutes.
"""

from .profiles import (
    profile_get_or_create,
    profile_handle_renew,
    profile_update,
    profile_visibility_set,
)
from .relations import (
    MemberUnavailable,
    RelationRefused,
    SelfRelationRefused,
    TieChange,
    block_create,
    block_delete,
    follow_create,
    follow_delete,
    is_blocked_between,
    mute_create,
    mute_delete,
    topic_follow_create,
    topic_follow_delete,
)

__all__ = [
    "MemberUnavailable",
    "RelationRefused",
    "SelfRelationRefused",
    "TieChange",
    "block_create",
    "block_delete",
    "follow_create",
    "follow_delete",
    "is_blocked_between",
    "mute_create",
    "mute_delete",
    "profile_get_or_create",
    "profile_handle_renew",
    "profile_update",
    "profile_visibility_set",
    "topic_follow_create",
    "topic_follow_delete",
]
