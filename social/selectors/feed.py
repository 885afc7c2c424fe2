"""Reads for the personal feed, its suggestions and "people like me".

The feed narrows ``core.selectors.content_listing`` (so only what the member
may read ever passes) with subqueries on the member's follows, mutes and
blocks: one query for a page of items however many follows there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from taggit.models import Tag

from core.models import Condition, ContentPage, ContentPageTag
from core.selectors import content_listing, readable_content
from social.models import (
    MemberBlock,
    MemberFollow,
    MemberMute,
    Profile,
    ProfileVisibility,
    TopicFollow,
)

from .relations import visible_profiles_q

if TYPE_CHECKING:
    from accounts.models import User

POPULAR_TOPICS = 10
SUGGESTED_PEOPLE = 12


def feed_items(*, user: User) -> QuerySet[ContentPage]:
    """Readable items by members ``user`` follows or carrying tags they follow, newest first.

    - A member follow brings in only the member's named items: an anonymous
      story must never arrive "from" its author, so it is not matched by a
      member follow at all (that alone would reveal who wrote it).
    - A topic follow brings in every readable item with the tag, anonymous
      stories included (shown as by an anonymous member).
    - Named items by members ``user`` muted, blocked or is blocked by are
      left out. Anonymous items are not filtered by author: leaving one out
      would tell the reader who wrote it.
    """
    followed_members = MemberFollow.objects.filter(follower=user).values("followee_id")
    followed_tags = TopicFollow.objects.filter(follower=user).values("tag_id")
    tagged_items = ContentPageTag.objects.filter(tag_id__in=followed_tags).values(
        "content_object_id"
    )
    hidden_authors = (
        MemberMute.objects.filter(muter=user)
        .values("muted_id")
        .union(MemberBlock.objects.filter(blocker=user).values("blocked_id"))
        .union(MemberBlock.objects.filter(blocked=user).values("blocker_id"))
    )
    return (
        content_listing(user=user)
        .filter(Q(is_anonymous=False, author_id__in=followed_members) | Q(pk__in=tagged_items))
        .exclude(Q(is_anonymous=False) & Q(author_id__in=hidden_authors))
    )


def popular_topics(*, user: User | AnonymousUser, limit: int = POPULAR_TOPICS) -> list[Tag]:
    """The tags on most items ``user`` may read, that they do not follow yet.

    Counted over readable items only, so drafts and items in review neither
    show a tag nor make it look busier.
    """
    readable_ids = readable_content(user=user).values("pk")
    topics = Tag.objects.filter(core_contentpagetag_items__content_object__in=readable_ids)
    if user.is_authenticated:
        topics = topics.exclude(followers__follower=user)
    # The count uses the join filtered above: readable items only.
    return list(
        topics.annotate(item_count=Count("core_contentpagetag_items")).order_by(
            "-item_count", "name"
        )[:limit]
    )


def suggestions_enabled(*, user: User) -> Profile | None:
    """The viewer's own profile if they can be suggested to others, else ``None``.

    Reciprocity: only a member who lets others find them by their conditions
    is shown others by theirs, so they must have opted in and have a profile
    other members may see (an "only me" profile is never suggested).
    """
    return (
        Profile.objects.filter(user=user, show_in_suggestions=True)
        .exclude(visibility=ProfileVisibility.ONLY_ME)
        .first()
    )


def people_like_me(*, viewer: User, limit: int = SUGGESTED_PEOPLE) -> list[Profile]:
    """Members to suggest to ``viewer``: opted in, sharing a condition, most shared first.

    Empty unless ``viewer`` opted in too. Only active members whose profile
    ``viewer`` may see, never ``viewer`` themselves, anyone they already
    follow, or anyone with a block between them. Each profile carries
    ``shared_conditions`` (only those both chose; their other conditions are
    not loaded at all) and ``shared_count``.
    """
    own = suggestions_enabled(user=viewer)
    if own is None:
        return []
    mine = Condition.objects.filter(interested_profiles=own).values("pk")
    return list(
        Profile.objects.filter(show_in_suggestions=True, conditions__in=mine)
        .filter(visible_profiles_q(viewer=viewer))
        .exclude(user=viewer)
        .exclude(user__followers__follower=viewer)
        .exclude(user__in=MemberBlock.objects.filter(blocker=viewer).values("blocked_id"))
        .exclude(user__in=MemberBlock.objects.filter(blocked=viewer).values("blocker_id"))
        .annotate(shared_count=Count("conditions", distinct=True))
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "conditions",
                queryset=Condition.objects.filter(pk__in=mine).order_by("name"),
                to_attr="shared_conditions",
            )
        )
        .order_by("-shared_count", "user__display_name", "pk")[:limit]
    )
