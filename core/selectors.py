"""Reads that decide what a person may see.

Every listing of member or expert content (home, sections, tags, and later
feeds, profiles and search) starts from ``readable_content`` so that access
rules live in one place.
"""

import copy
import enum
import re
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.utils import translation
from django.utils.translation import gettext_lazy

from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from core.hooks import ListingOrder, registered_orders, with_listing_columns
from core.keyset import InvalidCursor, Keyset, KeysetPage, keyset_for
from core.languages import (
    content_language,
    content_languages,
    default_content_language,
    language_condition,
)
from core.models import Audience, CommunityMembership, CommunityPage, ContentPage

# Who reads: a member, an anonymous visitor, or nobody in particular (None).
Reader = AbstractBaseUser | AnonymousUser | None

LISTING_PAGE_SIZE = 12
# How a listing may be ordered (``?sort=``): the core knows only the default,
# newest first; features add theirs (ratings: "top") through
# ``core.hooks.LISTING_ORDERS``. Anything else means the default.
SORT_NEWEST = "newest"
NEWEST_ORDER = ("-listed_at", "-pk")
NEWEST = ListingOrder(key=SORT_NEWEST, label=gettext_lazy("Newest"), order_by=NEWEST_ORDER)
TAG_SLUG_PATTERN = re.compile(r"[-\w]{1,100}")


def active_community_ids(*, user: Reader) -> QuerySet:
    """The ids of the communities ``user`` is an active member of, as a subquery.

    A subquery, never a list: a reader in fifty communities costs the same
    one query as a reader in one. Nobody signed in belongs to none.
    """
    if user is None or not user.is_authenticated:
        return CommunityMembership.objects.none().values("community_id")
    return CommunityMembership.objects.filter(
        user=user, state=CommunityMembership.State.ACTIVE
    ).values("community_id")


def audience_condition(*, user: Reader, prefix: str = "") -> Q:
    """The audiences ``user`` belongs to, as a condition on content pages' columns.

    Everyone reads "everyone"; a signed-in member also reads "members" and
    the items of the communities they are an active member of. ``prefix``
    reaches the columns through a relation (``"contentpage__"`` from pages).
    """
    condition = Q(**{f"{prefix}audience": Audience.EVERYONE})
    if user is not None and user.is_authenticated:
        condition |= Q(**{f"{prefix}audience": Audience.MEMBERS})
        condition |= Q(
            **{
                f"{prefix}audience": Audience.COMMUNITY,
                f"{prefix}community__in": active_community_ids(user=user),
            }
        )
    return condition


def audience_index_condition(*, user: Reader) -> Q:
    """``audience_condition`` in plain values, for a search engine's filter (one query).

    An engine cannot run the membership subquery, so the reader's communities
    are read first, as a list (one query, whatever their number); the engine
    filters on the indexed ``audience`` and ``community_id``. It narrows what
    the engine returns; ``readable_content`` still decides what is shown.
    """
    condition = Q(audience=Audience.EVERYONE)
    if user is not None and user.is_authenticated:
        condition |= Q(audience=Audience.MEMBERS)
        community_ids = list(active_community_ids(user=user).values_list("community_id", flat=True))
        if community_ids:
            condition |= Q(audience=Audience.COMMUNITY, community_id__in=community_ids)
    return condition


def visible_community_condition(*, user: Reader, prefix: str = "") -> Q:
    """The communities whose page ``user`` may see: every listed one, and their own.

    An unlisted community exists only for its members and the people invited
    to it; to everyone else its page answers 404.
    """
    condition = Q(**{f"{prefix}is_listed": True})
    if user is not None and user.is_authenticated:
        condition |= Q(
            **{
                f"{prefix}pk__in": CommunityMembership.objects.filter(
                    user=user,
                    state__in=[
                        CommunityMembership.State.ACTIVE,
                        CommunityMembership.State.INVITED,
                    ],
                ).values("community_id")
            }
        )
    return condition


def readable_content(*, user: Reader, queryset: QuerySet | None = None) -> QuerySet:
    """Pages ``user`` may read: published, not behind a view restriction, in their audience.

    The one gate. Drafts, pages in review (never published) and rejected
    pages are not live, so they never pass. A content item passes only when
    ``user`` is in its audience (``audience_condition``): everyone; members
    of Kindred (signed in); or an active member of its community, so leaving
    or removal closes it on the next request. A community page itself passes
    when ``user`` may see the community (``visible_community_condition``).
    ``queryset`` may be of content pages (the default) or of any pages
    (search's promoted picks), where pages of other types pass on the first
    two tests alone.
    """
    if queryset is None:
        queryset = ContentPage.objects.all()
    queryset = queryset.live().public()
    if issubclass(queryset.model, ContentPage):
        return queryset.filter(audience_condition(user=user))
    if issubclass(queryset.model, CommunityPage):
        return queryset.filter(visible_community_condition(user=user))
    return queryset.filter(
        Q(contentpage__isnull=True) | audience_condition(user=user, prefix="contentpage__")
    ).filter(
        Q(communitypage__isnull=True)
        | visible_community_condition(user=user, prefix="communitypage__")
    )


def active_memberships(*, user: Reader) -> dict[int, CommunityMembership]:
    """``user``'s active memberships by community id, with their communities (one query).

    Read once per request (kept on the user instance, which Django loads for
    each request): the item page's gate, the discussion's standing and the
    audience line all ask. Decisions that change a membership take
    ``active_membership_for_update`` instead, never this.
    """
    if user is None or not user.is_authenticated:
        return {}
    memo = getattr(user, "_kindred_active_memberships", None)
    if memo is None:
        memo = {
            membership.community_id: membership
            for membership in CommunityMembership.objects.filter(
                user=user, state=CommunityMembership.State.ACTIVE
            ).select_related("community")
        }
        user._kindred_active_memberships = memo
    return memo


def page_readable_by(*, user: Reader, page: ContentPage) -> bool:
    """Whether ``readable_content`` would list the live ``page`` (just fetched) for ``user``.

    The item page's gates (``item_access``, the star form, the discussion, the
    share buttons) all ask this about the page being served: read from its own
    fields and the restriction facts its routing query brought
    (``core.routing.restriction_facts``), with one query only for a community
    item (the reader's active memberships, ``active_memberships``), answered
    once per reader and page instance (an instance lives for one request).
    tests/core/test_member_page_queries.py proves it agrees with ``readable_content``.
    """
    from core.routing import restriction_facts

    memo = page.__dict__.setdefault("_kindred_readable_by", {})
    key = getattr(user, "pk", None) if user is not None else None
    if key in memo:
        return memo[key]
    restricted, _ = restriction_facts(page)
    if not page.live or restricted:
        answer = False
    elif page.audience == Audience.EVERYONE:
        answer = True
    elif user is None or not user.is_authenticated:
        answer = False
    elif page.audience == Audience.MEMBERS:
        answer = True
    else:
        answer = page.community_id in active_memberships(user=user)
    memo[key] = answer
    return answer


def item_tags(*, page: ContentPage, preview: bool = False) -> list[Tag]:
    """The tags ``page`` shows, from the cache while no tag changed (``core.fragments``).

    A preview shows its revision's own tags (in memory, not yet saved).
    """
    if preview or page.pk is None:
        return list(page.tags.all())
    from core import fragments

    return fragments.cached(
        fragments.TAGS,
        f"page:{page.pk}",
        lambda: list(page.tags.all()),
        also=(fragments.page_tags_name(page.pk),),
    )


def active_membership_for_update(
    *, user: AbstractBaseUser, community_id: int
) -> CommunityMembership | None:
    """``user``'s active membership of the community, locked until the transaction ends; or None.

    The one lock that orders everything a membership decides: submitting an
    item to a community (authoring), publishing it (moderation), leaving and
    removal (communities) each take it first, inside ``transaction.atomic``,
    so a post submitted while its author is being removed is either seen by
    the removal (and withdrawn) or refused because the membership is gone.
    """
    return (
        CommunityMembership.objects.select_for_update()
        .filter(user=user, community_id=community_id, state=CommunityMembership.State.ACTIVE)
        .first()
    )


def community_member_in_good_standing(*, user: Reader, community: CommunityPage) -> bool:
    """Whether ``user`` is an active member of ``community`` who accepted its current rules.

    What writing or commenting in a community asks (authoring, discussion):
    a member whose accepted rules version is older than the community's must
    accept the rules again first. One query; nobody signed in never is.
    """
    if user is None or not user.is_authenticated:
        return False
    return CommunityMembership.objects.filter(
        user=user,
        community_id=community.pk,
        state=CommunityMembership.State.ACTIVE,
        rules_version__gte=community.rules_version,
    ).exists()


class ItemAccess(enum.Enum):
    """What a person gets at an item's address."""

    READ = "read"  # the item
    SIGN_IN = "sign_in"  # a visitor at a members-only item: title and "Sign in to read"
    JOIN = "join"  # a non-member at a listed community's item: title and "Join to read"
    HIDDEN = "hidden"  # 404: an unlisted community's item to an outsider


def item_access(*, user: Reader, page: ContentPage) -> ItemAccess:
    """What ``user`` gets at the address of the live item ``page`` (one query at most).

    The decision to show the item is ``readable_content``'s; this only says
    which refusal the others get.
    """
    if page.audience == Audience.EVERYONE:
        return ItemAccess.READ
    if page_readable_by(user=user, page=page):
        return ItemAccess.READ
    if page.audience == Audience.MEMBERS:
        return ItemAccess.SIGN_IN
    community = page.community
    if community is None or not community_visible(user=user, community=community):
        return ItemAccess.HIDDEN
    return ItemAccess.JOIN


def community_visible(*, user: Reader, community: CommunityPage) -> bool:
    """Whether ``user`` may see ``community``'s page (listed, or theirs; see above)."""
    if community.is_listed:
        return True
    return (
        CommunityPage.objects.filter(pk=community.pk)
        .filter(visible_community_condition(user=user))
        .exists()
    )


def listing_orders() -> dict[str, ListingOrder]:
    """Every order a listing offers, by key: newest (the default) first, then the features'."""
    orders = {SORT_NEWEST: NEWEST}
    for order in registered_orders():
        orders.setdefault(order.key, order)
    return orders


def listing_sorts() -> dict[str, str]:
    """The offered orders' keys and labels, newest first (for sort links)."""
    return {key: order.label for key, order in listing_orders().items()}


def listing_sort(value: object) -> str:
    """``value`` if it names a listing order (``listing_orders``), else the default, newest."""
    return value if isinstance(value, str) and value in listing_orders() else SORT_NEWEST


def _read_under_another() -> Q:
    """Items read as part of another (answers, under their question: ``listed_alone = False``),
    which cross-type listings leave out. By content type names, so no query."""
    condition = Q(pk__in=[])
    pending = list(ContentPage.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if not getattr(model, "listed_alone", True):
            condition |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            )
    return condition


# The content table's own id, named so that Django keeps it: asked for "pk" on
# a concrete type (BlogPage), it orders by that type's table's id instead,
# which the database cannot match with ``content_listed_idx``.
_CONTENT_ID = RawSQL('"core_contentpage"."page_ptr_id"', ())


# "Newest first" among one tag's items: by the tag rows' copy of the date, the
# order of ``content_tag_listed_idx`` (see ``ContentPageTag.listed_at``).
_TAG_NEWEST_ORDER = (
    F("tagged_items__listed_at").desc(),
    F("tagged_items__content_object_id").desc(),
)


def _order_by(model: type[ContentPage], order: ListingOrder, *, tagged: bool = False) -> tuple:
    """``order``'s terms, with "pk" meaning the content table's own id on a concrete type,
    so page 1 walks an index of that table (``content_listed_idx`` for "newest",
    ``content_top_idx`` for ratings' "top") and stops after a page (issue 17).
    "Newest" among one tag's items walks that tag's rows instead (``tagged``)."""
    if tagged and order.order_by == NEWEST_ORDER:
        return _TAG_NEWEST_ORDER
    if model is ContentPage:
        return order.order_by
    terms = []
    for term in order.order_by:
        if term == "-pk":
            term = _CONTENT_ID.desc()
        elif term == "pk":
            term = _CONTENT_ID.asc()
        terms.append(term)
    return tuple(terms)


def content_listing(
    *,
    user: Reader,
    model: type[ContentPage] = ContentPage,
    section: Page | None = None,
    tag_slug: str | None = None,
    community: CommunityPage | None = None,
    sort: str = SORT_NEWEST,
    after: str | None = None,
    before: str | None = None,
    language: str = "",
) -> QuerySet:
    """Readable items, with what a listing card shows, in one query.

    ``model`` narrows to one concrete type, ``section`` to the children of an
    index page, ``tag_slug`` to items carrying that tag, ``community`` to the
    items written for that community (still only those ``user`` may read:
    none for a non-member). ``sort`` is "newest"
    (the default) or an order a feature registered (``listing_orders``; pass
    request input through ``listing_sort`` first). Authors and their profiles
    are joined, the features' columns added (``core.hooks.LISTING_COLUMNS``:
    rating summaries, comment counts) and tags prefetched, so the count of
    queries does not grow with the items.

    ``after`` (or ``before``) is a position key from a page's links
    (``core.keyset``: request input as it came): only the items listed after
    (before) it, nearest first, which ``paginate`` turns into one page.
    A key that does not fit this listing's order raises ``InvalidCursor`` (404).

    ``language`` (a ``core.languages.content_language``: "" for all) keeps the
    items written in it; each item's locale is joined, for its ``lang``.
    """
    orders = listing_orders()
    if sort not in orders:
        raise ValueError(f"Unknown listing sort {sort!r}; use listing_sort() on input.")
    order_by = _order_by(model, orders[sort], tagged=bool(tag_slug))
    keyset = keyset_for(ContentPage, orders[sort].order_by, order_by)
    position = None
    if after is not None or before is not None:
        if keyset is None or (after is not None and before is not None):
            raise InvalidCursor("This listing has no such position.")
        key = after if after is not None else before
        position = keyset.past(keyset.parse(key), after=after is not None)
    queryset = readable_content(user=user, queryset=model.objects.all())
    if model is ContentPage:
        queryset = queryset.exclude(_read_under_another())
    if section is not None:
        queryset = queryset.child_of(section)
    if tag_slug:
        # The tag rows of one tag id, found once (a scalar subquery the database
        # treats as a constant), so the rows' own index gives the order below
        # (PostgreSQL keeps an index's order only for a constant tag, not a join).
        tag_id = Subquery(Tag.objects.filter(slug=tag_slug).values("pk")[:1])
        if order_by is _TAG_NEWEST_ORDER and position is not None:
            # On the same tag rows as the tag (one filter call: one join), so
            # the position seeks ``content_tag_listed_idx`` within the tag.
            queryset = queryset.filter(position, tagged_items__tag_id=tag_id)
            position = None
        else:
            queryset = queryset.filter(tagged_items__tag_id=tag_id)
    if position is not None:
        queryset = queryset.filter(position)
    if community is not None:
        queryset = queryset.filter(community=community)
    if language:
        queryset = queryset.filter(language_condition(language))
    # The author's profile rides along so bylines can link to it without a
    # query per card (see social.selectors.author_profile).
    listing = (
        with_listing_columns(queryset)
        .select_related("author__profile", "locale")
        .prefetch_related("tags")
        .order_by(*order_by)
    )
    if before is not None:
        # Nearest first: the page before the key is read upwards, then turned.
        listing = listing.reverse()
    # ``paginate`` counts a listing only as far as its page needs, and links
    # deep pages by position. A mark on this queryset alone: anything derived
    # from it (sliced, filtered further, emptied) is a new queryset, counted
    # whole and numbered.
    listing._kindred_listing = _ListingMark(
        keyset=keyset, after=after is not None, before=before is not None
    )
    return listing


@dataclass(frozen=True)
class _ListingMark:
    """What ``paginate`` knows of a ``content_listing`` queryset: how to find positions in
    its order (None: numbered pages only), and whether it lists after or before a key."""

    keyset: Keyset | None
    after: bool = False
    before: bool = False


def latest_by_section(
    *, user: Reader, home: Page, limit: int = 3
) -> list[tuple[Page, list[ContentPage]]]:
    """Each published section under ``home`` with its newest ``limit`` readable items.

    Sections are found by their types (those that name a ``listing_model``):
    ``home.get_children()`` asks for a depth within the home page's path range,
    which SQLite answers by walking the path index over every descendant,
    ~0.9 s at 100,000 items; the page type's index finds the few sections at once.
    """
    section_types = ContentType.objects.get_for_models(
        *(model for model in get_page_models() if getattr(model, "listing_model", None))
    ).values()
    sections = (
        Page.objects.filter(content_type__in=section_types)
        .child_of(home)
        .live()
        .public()
        .order_by("path")
        .specific()
    )
    return [
        (
            section,
            list(content_listing(user=user, model=section.listing_model, section=section)[:limit]),
        )
        for section in sections
    ]


def readable_tags(*, user: Reader) -> QuerySet:
    """Every tag carried by at least one item ``user`` may read (a queryset, not evaluated).

    A tag used only on drafts, items in review or restricted items does not
    exist for readers: not as a topic to follow, nor as a word to suggest.
    """
    readable_ids = readable_content(user=user).values("pk")
    return Tag.objects.filter(
        pk__in=Tag.objects.filter(
            core_contentpagetag_items__content_object__in=readable_ids
        ).values("pk")
    )


def readable_tag(*, user: Reader, slug: object) -> Tag | None:
    """The tag with ``slug`` if at least one item ``user`` may read carries it.

    Anything that is not a plausible slug is answered without a query (some
    databases refuse bytes such as NUL outright).
    """
    if not isinstance(slug, str) or not TAG_SLUG_PATTERN.fullmatch(slug):
        return None
    # From this tag's rows (their tag index) to the first readable item, not
    # from every readable item (``readable_tags``), which read all of them on
    # every tag page: ~1 s at 100,000 items (issue 17). A scalar subquery
    # ordered on the tag rows' index, not ``EXISTS``: PostgreSQL turns an
    # ``EXISTS`` into a join, sizes this tag by the average tag and hashes
    # every live page first (36 ms at 100,000 items, for any tag); a subquery
    # it runs as it is, walking this tag's rows and stopping at the first
    # readable one (0.1 ms). SQLite walks the same rows either way.
    first_carrier = (
        readable_content(user=user)
        .filter(tagged_items__tag_id=OuterRef("pk"))
        .order_by("tagged_items__listed_at")
        .values("pk")[:1]
    )
    return (
        Tag.objects.filter(slug=slug)
        .alias(first_carrier=Subquery(first_carrier))
        .filter(first_carrier__isnull=False)
        .first()
    )


# How many pages past the one asked for a listing counts (``ListingPaginator``).
COUNTED_PAGES_AHEAD = 10
# A page number past this is counted to the end (a hostile or mistyped number,
# answered with the last page as before) rather than turned into a LIMIT.
MAX_COUNTED_PAGE = 10**6
# Pages up to this one are linked by number (``?page=``); the "Older" link of
# this page and of any later one names a position instead (``core.keyset``),
# which costs what page 1 costs where a number costs an OFFSET (issue 17).
NUMBERED_PAGES = 10


class ListingPage(PaginatorPage):
    """A numbered page of a listing, with its position links (``core.keyset``) when it has them."""

    key_previous: str | None = None
    key_next: str | None = None
    # True when the items go on but no link can reach them (see ``paginate``).
    ends_here = False

    def has_next(self) -> bool:
        return super().has_next() and not self.ends_here


class ListingPaginator(Paginator):
    """A paginator that counts only as far as the page asked for and ten more.

    At 100,000 items Django's ``COUNT(*)`` read a whole section on every page
    of its listing, however few items the page showed (issue 17). This one
    counts at most ``(page + COUNTED_PAGES_AHEAD) * per_page + 1`` rows, in
    the listing's own order (an index walk for "newest"). When the rows go on
    past that, ``more_than_counted`` is True: the listing says "Page 3" with
    an "Older" link instead of "Page 3 of 2,778", and every older page is
    still reached through those links (or a ``?page=`` number, counted afresh;
    ``paginate`` keeps a content listing's numbers to its first
    ``NUMBERED_PAGES``). A number past the end gives the last page, as
    ``Paginator`` does.

    A caller that already counted the items passes what it knows instead of a
    count: ``exact_count`` (all of them), or ``count_at_least`` (it stopped
    counting there); the paginator then counts only what that does not answer.
    """

    more_than_counted = False

    def __init__(
        self,
        object_list,
        per_page: int,
        *,
        exact_count: int | None = None,
        count_at_least: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        if exact_count is not None and count_at_least is not None:
            raise ValueError("Give exact_count or count_at_least, not both.")
        self.exact_count = exact_count
        self.count_at_least = count_at_least
        self.count_limit: int | None = None

    def get_page(self, number: object) -> PaginatorPage:
        try:
            wanted = int(str(number))
        except (TypeError, ValueError):
            wanted = 1
        # Below the first or far past any listing: counted whole, and answered
        # with the last page as Paginator does.
        self.count_limit = (
            (wanted + COUNTED_PAGES_AHEAD) * self.per_page + 1
            if 1 <= wanted <= MAX_COUNTED_PAGE
            else None
        )
        return super().get_page(number)

    def _known_count(self) -> int | None:
        limit = self.count_limit
        if self.exact_count is not None:
            return self.exact_count if limit is None else min(self.exact_count, limit)
        if self.count_at_least is not None and limit is not None and limit <= self.count_at_least:
            return limit
        return None

    @cached_property
    def count(self) -> int:
        limit = self.count_limit
        counted = self._known_count()
        if counted is None:
            if limit is None:
                return super().count
            counted = self.object_list.values("pk")[:limit].count()
        self.more_than_counted = limit is not None and counted >= limit
        return counted

    def _get_page(self, *args, **kwargs) -> ListingPage:
        return ListingPage(*args, **kwargs)


def paginate(
    queryset: QuerySet | list, page_number: object, *, per_page: int | None = None
) -> PaginatorPage | ListingPage | KeysetPage:
    """One page of ``queryset``; a missing, malformed or too large number gives a valid page.

    A content listing (``content_listing``'s queryset, as it returned it) is
    counted only as far as the page needs (``ListingPaginator``), and from
    page ``NUMBERED_PAGES`` on its "Older" link names the position of the
    page's last item (``page.key_next``); a number past that page gives that
    page (``_numbered``); a listing asked for the items after
    or before a position gives that page (``KeysetPage``), ``page_number``
    aside. Anything else is counted whole, as pages that show the total
    ("Page 2 of 5", "14 questions") need. ``per_page`` defaults to
    ``LISTING_PAGE_SIZE``.
    """
    if per_page is None:
        per_page = LISTING_PAGE_SIZE
    mark = getattr(queryset, "_kindred_listing", None)
    if mark is None:
        return Paginator(queryset, per_page).get_page(page_number)
    if mark.after or mark.before:
        return _keyset_page(queryset, mark, per_page=per_page)
    if mark.keyset is not None:
        page_number = _numbered(page_number)
    page = ListingPaginator(queryset, per_page).get_page(page_number)
    if mark.keyset is not None and page.number >= NUMBERED_PAGES and page.has_next():
        page.key_next = mark.keyset.key_of(page[len(page) - 1])
        # An item never published has no position (no ``listed_at``), and a
        # number past this page gives this page again: the listing ends here
        # rather than link to itself.
        page.ends_here = page.key_next is None
    return page


def _numbered(page_number: object) -> object:
    """``page_number``, or ``NUMBERED_PAGES`` for a number outside 1 to it.

    A listing that links by position numbers only its first pages: a typed
    ``?page=2778`` made the database walk past 33,000 items (an OFFSET, ten
    times page 1 at 100,000 items, issue 17), and ``?page=0`` (the last page,
    to ``Paginator``) counted the whole listing; a hostile client could ask
    for a different number each time, past the page cache. Such a number
    gives the last numbered page instead (the last page of a shorter listing,
    as before); its "Older" link goes on by position and reaches every item.
    Anything that is not a number is left to the paginator (page 1).
    """
    try:
        wanted = int(str(page_number))
    except (TypeError, ValueError):
        return page_number
    return wanted if 1 <= wanted <= NUMBERED_PAGES else NUMBERED_PAGES


def _keyset_page(queryset: QuerySet, mark: "_ListingMark", *, per_page: int) -> KeysetPage:
    """The ``per_page`` items nearest the position, in the listing's order, and its links."""
    rows = list(queryset[: per_page + 1])
    more = len(rows) > per_page
    items = rows[:per_page]
    keyset = mark.keyset
    if mark.before:
        # Read upwards from the position; the page lists them downwards.
        items.reverse()
        key_previous = keyset.key_of(items[0]) if more else None
        key_next = keyset.key_of(items[-1]) if items else None
    else:
        # Something came before the position (its own item, unless the key was
        # made up): "Newer" reads upwards from this page's first item.
        key_previous = keyset.key_of(items[0]) if items else None
        key_next = keyset.key_of(items[-1]) if more else None
    return KeysetPage(items, key_previous=key_previous, key_next=key_next)


@dataclass(frozen=True)
class SiteLinks:
    """The pages every page links to: the header's sections and the footer's site pages.

    Kept in the cache the same for every language (``core.context_processors``):
    each footer page carries its live translations' titles (``titles``), and
    ``footer`` gives the pages titled in the active language when it is read,
    as a template renders.
    """

    sections: list
    footer_pages: list

    @property
    def footer(self) -> list:
        """The footer's pages, each titled in the reader's language where it is translated."""
        code = content_language(translation.get_language() or "")
        pages = getattr(self, "footer_pages", None)
        if pages is None:
            # One stored in a shared cache before issue 18 (its field was ``footer``),
            # read until its day is up or a page changes: its pages, as titled then.
            pages = self.__dict__.get("footer", [])
        return [_titled(page, code) for page in pages]


def _titled(page: Page, code: str) -> Page:
    """``page``, or a copy of it titled in ``code`` when it has a live translation into it."""
    title = getattr(page, "titles", {}).get(code)
    if not title:
        return page
    shown = copy.copy(page)
    shown.title = title
    return shown


def _other_languages() -> list[str]:
    """The content languages a site page may be translated into: all but the default."""
    default = default_content_language()
    return [code for code in content_languages() if code != default]


def site_links(*, site: Site | None) -> SiteLinks:
    """The header's sections and the footer's site pages (``InformationPage``), in one query.

    Each page carries its address on ``site`` (``nav_url``). Sections are the
    home page's live children shown in menus; footer pages are the live
    information pages editors left in the footer, at any depth, each with the
    titles of its live translations (``titles``, from the same query: the
    translations sit in a tree of their own, outside every site).
    Both in the tree's order, and neither under a view restriction (tested in
    the same query, where Wagtail's ``.public()`` first reads every
    restriction in a query of its own).
    """
    if site is None or site.root_page_id is None:
        return SiteLinks(sections=[], footer_pages=[])
    root = site.root_page
    # A restriction covers its page and every page below it (path prefix).
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    languages = _other_languages()
    translated_titles = {
        f"title_in_{number}": Subquery(
            Page.objects.live()
            .filter(translation_key=OuterRef("translation_key"), locale__language_code=code)
            .values("title")[:1]
        )
        for number, code in enumerate(languages)
    }
    pages = (
        Page.objects.live()
        .filter(path__startswith=root.path, depth__gt=root.depth)
        .filter(
            Q(depth=root.depth + 1, show_in_menus=True) | Q(informationpage__show_in_footer=True)
        )
        .exclude(Exists(restricted))
        .annotate(in_footer=Coalesce("informationpage__show_in_footer", Value(False)))
        .annotate(**translated_titles)
        .order_by("path")
        .only("title", "url_path", "path", "depth", "show_in_menus")
    )
    pages = list(pages)
    for page in pages:
        # Each page's address on this site, worked out here, with the links: the
        # header and the footer are on every page, and ``{% pageurl %}`` reversed
        # each of their ~12 addresses on every request (issue 17).
        page.nav_url = page.relative_url(site)
        page.titles = {
            code: getattr(page, f"title_in_{number}")
            for number, code in enumerate(languages)
            if getattr(page, f"title_in_{number}")
        }
    return SiteLinks(
        sections=[page for page in pages if page.depth == root.depth + 1 and page.show_in_menus],
        footer_pages=[page for page in pages if page.in_footer],
    )
