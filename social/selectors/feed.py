"""Reads for the personal feed, its suggestions and "people like me".

The feed narrows ``core.selectors.content_listing`` (so only what the member
may read ever passes) with subqueries on the member's follows, mutes and
blocks: one query for a page of items however many follows there are.

How that query finds a page depends on how many items the follows match
(issue 17). A few (``FEW_CANDIDATES`` or fewer): the follows' own indexes find
them all and they are sorted. Many (46,000 of 100,000 for the demo's member):
sorting them all was most of the feed's time (and counting them the rest),
so the query walks ``content_listed_idx`` newest first, testing each item's
follows with ``EXISTS``, and stops after its page. One bounded count decides
which (``_feed``); it is also the paginator's count (``feed_page``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page as PaginatorPage
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from taggit.models import Tag

from core.models import Condition, ContentPage, ContentPageTag
from core.selectors import (
    LISTING_PAGE_SIZE,
    NEWEST_ORDER,
    ListingPaginator,
    content_listing,
    readable_content,
)
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


# Up to this many matching items, the feed's query finds them through the
# follows' indexes and sorts them; past it, it walks "newest first" (see above).
FEW_CANDIDATES = 1000


def _feed(*, user: User) -> tuple[QuerySet[ContentPage], int]:
    """The feed's items as a query suited to how many there are, and that many (at most
    ``FEW_CANDIDATES + 1``: past it, only "more than ``FEW_CANDIDATES``" is known).

    One query, bounded whatever the size of the site: a count without order,
    found through the follows' indexes, that stops at ``FEW_CANDIDATES + 1``.
    """
    followed_members = MemberFollow.objects.filter(follower=user).values("followee_id")
    followed_tags = TopicFollow.objects.filter(follower=user).values("tag_id")
    hidden_authors = (
        MemberMute.objects.filter(muter=user)
        .values("muted_id")
        .union(MemberBlock.objects.filter(blocker=user).values("blocked_id"))
        .union(MemberBlock.objects.filter(blocked=user).values("blocker_id"))
    )
    shown = content_listing(user=user).exclude(
        Q(is_anonymous=False) & Q(author_id__in=hidden_authors)
    )
    # The follows as lists the database reads first, through their indexes.
    few = shown.filter(
        Q(is_anonymous=False, author_id__in=followed_members)
        | Q(
            pk__in=ContentPageTag.objects.filter(tag_id__in=followed_tags).values(
                "content_object_id"
            )
        )
    )
    counted = few.order_by().values("pk")[: FEW_CANDIDATES + 1].count()
    if counted <= FEW_CANDIDATES:
        return few, counted
    # The same items, tested one by one on the way down ``content_listed_idx``.
    many = shown.filter(
        Q(
            Exists(MemberFollow.objects.filter(follower=user, followee_id=OuterRef("author_id"))),
            is_anonymous=False,
        )
        | Q(
            Exists(
                ContentPageTag.objects.filter(
                    content_object_id=OuterRef("pk"), tag_id__in=followed_tags
                )
            )
        )
    )
    return many, counted


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

    Asks one bounded count first (``_feed``) to choose how the items are found.
    """
    return _feed(user=user)[0]


def feed_page(*, user: User, page_number: object) -> PaginatorPage:
    """One page of ``feed_items`` for ``user``; any page number gives a valid page.

    Counted as listings are (``core.selectors.ListingPaginator``: "Page 3"
    with an Older link past what was counted), from the count ``_feed``
    already made when it answers: all the items up to ``FEW_CANDIDATES``,
    else "at least ``FEW_CANDIDATES + 1``", enough for any page whose own
    count would stop below that. A page in two queries (count, items) plus
    the tags.
    """
    items, counted = _feed(user=user)
    if counted <= FEW_CANDIDATES:
        paginator = ListingPaginator(items, LISTING_PAGE_SIZE, exact_count=counted)
    else:
        paginator = ListingPaginator(items, LISTING_PAGE_SIZE, count_at_least=counted)
    return paginator.get_page(page_number)


# Popular topics are counted over this many of the newest items the reader may
# read: over every readable item it was 230 ms of CPU at 100,000 items (issue 17).
POPULAR_TOPICS_WINDOW = 2000


def popular_topics(*, user: User | AnonymousUser, limit: int = POPULAR_TOPICS) -> list[Tag]:
    """The tags on most of the newest items ``user`` may read, that they do not follow yet.

    Counted over readable items only, so drafts and items in review neither
    show a tag nor make it look busier; and over the newest
    ``POPULAR_TOPICS_WINDOW`` of them (a walk of ``content_listed_idx``), so
    the cost stays that of a page however large the site: on a site with
    more readable items, ``item_count`` is the count among those.
    """
    recent_ids = (
        readable_content(user=user).order_by(*NEWEST_ORDER).values("pk")[:POPULAR_TOPICS_WINDOW]
    )
    topics = Tag.objects.filter(core_contentpagetag_items__content_object__in=recent_ids)
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
