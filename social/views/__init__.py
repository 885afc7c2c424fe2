"""Views of the social layer, by what they serve; ``social.urls`` names them all."""

from .feed import feed, people
from .profiles import profile_detail, profile_edit
from .relations import (
    blocked_and_muted,
    followers,
    following,
    member_block,
    member_follow,
    member_mute,
    member_unblock,
    member_unfollow,
    member_unmute,
    topic_follow,
    topic_unfollow,
)

__all__ = [
    "blocked_and_muted",
    "feed",
    "followers",
    "following",
    "member_block",
    "member_follow",
    "member_mute",
    "member_unblock",
    "member_unfollow",
    "member_unmute",
    "people",
    "profile_detail",
    "profile_edit",
    "topic_follow",
    "topic_unfollow",
]
