"""Reads for the social layer; import them from here (``from social.selectors import ...``).

Which content a viewer may read is decided by ``core.selectors`` alone;
these modules narrow it (to a member, to a feed) and decide who may see whom.
``profiles``: profile pages and bylines; ``relations``: follower lists, the
viewer's ties, blocks and mutes; ``feed``: the personal feed and suggestions.
"""

from .feed import feed_items, feed_page, people_like_me, popular_topics, suggestions_enabled
from .profiles import (
    HANDLE_PATTERN,
    MemberFace,
    author_profile,
    former_handle_target,
    member_face,
    own_profile,
    profile_communities,
    profile_face,
    profile_items,
    visible_profile,
    with_relations_to,
)
from .relations import (
    blocks_and_mutes,
    follow_lists_visible,
    followed_topics_visible,
    followers_of,
    following_of,
    relation_target,
    replier_is_blocked,
    topic_followed,
    topics_followed,
    viewer_ties,
    visible_profiles_q,
)

__all__ = [
    "HANDLE_PATTERN",
    "MemberFace",
    "author_profile",
    "blocks_and_mutes",
    "feed_items",
    "feed_page",
    "follow_lists_visible",
    "followed_topics_visible",
    "former_handle_target",
    "member_face",
    "followers_of",
    "following_of",
    "own_profile",
    "people_like_me",
    "popular_topics",
    "profile_communities",
    "profile_face",
    "profile_items",
    "relation_target",
    "replier_is_blocked",
    "suggestions_enabled",
    "topic_followed",
    "topics_followed",
    "viewer_ties",
    "visible_profile",
    "visible_profiles_q",
    "with_relations_to",
]
