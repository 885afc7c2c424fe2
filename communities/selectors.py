"""Reads for what people see of communities: the directory and each community's page.

Which items a viewer may read is decided by ``core.selectors.readable_content``
alone, and which communities they may see by its ``visible_community_condition``;
these functions narrow both to one community and count what passes.

Who appears in a community's member list (and so in its member count) is
decided here, by ``visible_members_condition``, because a membership of a
condition community is itself a health disclosure:

- an active member with an active account, and
- a moderator (their role is public: they decide who joins), or the viewer
  themselves, or anyone at all to the community's own moderators (they
  manage the members), or
- someone whose profile the viewer may see (``social``'s
  ``visible_profiles_q``) who either chose to show the community on their
  profile (the same choice the profile page honours) or shares the community
  with the viewer (an active fellow member).

So a visitor or an outsider sees only the moderators and the members who
show the community on a profile they may see; fellow members see each other
as far as their profiles allow. Every count is one subquery: the number of
queries grows neither with communities, members, items nor with the number
of the viewer's memberships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page as PaginatorPage
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import CommunityMembership, CommunityPage, ContentPage
from core.selectors import Reader, content_listing, paginate, readable_content
from ratings.selectors import SORT_TOP
from social.models import MemberBlock
from social.selectors import MemberFace, member_face, visible_profiles_q

if TYPE_CHECKING:
    from accounts.models import User

State = CommunityMembership.State
Role = CommunityMembership.Role

# How many items each of the page's two lists shows (newest, top rated).
ITEMS_SHOWN = 6
# Members per page of the member list (``?members=<n>``).
MEMBERS_PER_PAGE = 48
# Requests listed for moderators on the page; the rest wait their turn.
REQUESTS_SHOWN = 50
# The memberships that put a community in the viewer's "Your communities".
OWN_STATES = (State.ACTIVE, State.REQUESTED, State.INVITED)

JOIN_POLICY_WORDS = {
    CommunityPage.JoinPolicy.OPEN: gettext_lazy("Open: anyone signed in can join."),
    CommunityPage.JoinPolicy.REQUEST: gettext_lazy(
        "On request: a moderator approves each request to join."
    ),
    CommunityPage.JoinPolicy.INVITATION: gettext_lazy(
        "By invitation only: a moderator invites each member."
    ),
}


def _signed_in(viewer: Reader) -> bool:
    return viewer is not None and viewer.is_authenticated


def join_policy_words(community: CommunityPage) -> str:
    """The community's join policy in a sentence, as the directory and its page say it."""
    return str(JOIN_POLICY_WORDS.get(community.join_policy, ""))


def policy_sentences(community: CommunityPage) -> list[str]:
    """The community's policies in plain words: who may join, who can find it, what is checked."""
    preset = CommunityPage.ModerationPreset
    count = community.hold_first_count
    moderation = {
        preset.HOLD_FIRST: ngettext(
            "A new member's first comment here waits for a moderator before others see it.",
            "A new member's first %(count)s comments here wait for a moderator before "
            "others see them.",
            count,
        )
        % {"count": count},
        preset.HOLD_ALL: _("Every comment here waits for a moderator before others see it."),
        preset.REPORTS: _("Comments show at once; moderators act on what members report."),
    }
    listed = (
        _("Listed in the directory: anyone can find this community and read its rules.")
        if community.is_listed
        else _("Unlisted: only its members and the people invited know it exists.")
    )
    return [
        join_policy_words(community),
        listed,
        moderation.get(community.moderation_preset, ""),
        _("Only its members can read what is written here."),
    ]


def _moderated_community_ids(*, viewer: User) -> QuerySet:
    return CommunityMembership.objects.filter(
        user=viewer, state=State.ACTIVE, role=Role.MODERATOR
    ).values("community_id")


def _active_community_ids(*, viewer: User) -> QuerySet:
    return CommunityMembership.objects.filter(user=viewer, state=State.ACTIVE).values(
        "community_id"
    )


def visible_members_condition(*, viewer: Reader) -> Q:
    """The memberships ``viewer`` may see in a member list, as a condition on memberships.

    See the module's docstring for the rule. A subquery per relation, never
    a list of ids, so fifty memberships cost what one does.
    """
    profile_visible = visible_profiles_q(viewer=viewer, prefix="user__profile__")
    shown = Q(role=Role.MODERATOR) | (profile_visible & Q(show_on_profile=True))
    if _signed_in(viewer):
        shown |= Q(user=viewer)
        shown |= Q(community__in=_moderated_community_ids(viewer=viewer))
        shown |= profile_visible & Q(community__in=_active_community_ids(viewer=viewer))
    return Q(state=State.ACTIVE, user__is_active=True) & shown


def _count_per_community(queryset: QuerySet, field: str = "community") -> Subquery:
    """A subquery counting ``queryset``'s rows of the outer community (0 when none)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_directory_columns(queryset: QuerySet, *, viewer: Reader) -> QuerySet:
    """Communities with what a directory card shows, in the same query.

    ``member_count`` (members ``viewer`` may see in the member list),
    ``item_count`` (items ``viewer`` may read), and for a signed-in viewer
    ``viewer_state`` and ``viewer_role`` (their membership, or None) and
    ``pending_count`` (requests waiting, counted for the community's
    moderators only; 0 for everyone else).
    """
    memberships = CommunityMembership.objects.filter(visible_members_condition(viewer=viewer))
    queryset = queryset.annotate(
        member_count=_count_per_community(memberships),
        item_count=_count_per_community(readable_content(user=viewer)),
    )
    if not _signed_in(viewer):
        return queryset.annotate(
            viewer_state=Value(None, output_field=CharField()),
            viewer_role=Value(None, output_field=CharField()),
            pending_count=Value(0, output_field=IntegerField()),
        )
    own = CommunityMembership.objects.filter(community=OuterRef("pk"), user=viewer)
    requests = CommunityMembership.objects.filter(state=State.REQUESTED)
    return queryset.annotate(
        viewer_state=Subquery(own.values("state")[:1]),
        viewer_role=Subquery(own.values("role")[:1]),
        pending_count=Case(
            When(
                Exists(own.filter(state=State.ACTIVE, role=Role.MODERATOR)),
                then=_count_per_community(requests),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def _worded(communities: QuerySet) -> list[CommunityPage]:
    """The communities as a list, each with ``join_policy_words`` for its card."""
    communities = list(communities)
    for community in communities:
        community.join_policy_words = join_policy_words(community)
    return communities


def listed_communities(*, viewer: Reader) -> list[CommunityPage]:
    """The directory: every live listed community, by title, with its counts for ``viewer``."""
    listed = readable_content(user=viewer, queryset=CommunityPage.objects.filter(is_listed=True))
    return _worded(with_directory_columns(listed, viewer=viewer).order_by("title", "pk"))


def own_communities(*, viewer: Reader) -> list[CommunityPage]:
    """``viewer``'s communities, unlisted ones included: where they are a member, asked or invited.

    ``viewer_state`` says which (the page shows a badge for a waiting
    request or an invitation). Refusals and removals are not "yours"; the
    community's page tells the person about them. Nobody signed in has none.
    """
    if not _signed_in(viewer):
        return []
    mine = CommunityMembership.objects.filter(user=viewer, state__in=OWN_STATES).values(
        "community_id"
    )
    queryset = readable_content(user=viewer, queryset=CommunityPage.objects.filter(pk__in=mine))
    return _worded(with_directory_columns(queryset, viewer=viewer).order_by("title", "pk"))


def directory_context(*, viewer: Reader) -> dict:
    """The communities index page's context: the listed communities and the viewer's own."""
    return {
        "communities": listed_communities(viewer=viewer),
        "own_communities": own_communities(viewer=viewer),
    }


@dataclass(frozen=True)
class Standing:
    """Where the viewer stands with one community, for the actions its page offers.

    ``kind`` is one of "visitor" (not signed in), "outsider" (no membership),
    or a membership's state: "requested", "invited", "refused", "removed",
    "active".
    """

    kind: str
    membership: CommunityMembership | None = None
    community_rules_version: int = 1

    @property
    def is_member(self) -> bool:
        return self.kind == State.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.membership is not None and self.membership.is_moderator

    @property
    def rules_outdated(self) -> bool:
        """An active member who has not accepted the community's current rules."""
        return self.is_member and not (
            self.membership.rules_version is not None
            and self.membership.rules_version >= self.community_rules_version
        )

    @property
    def shown_on_profile(self) -> bool:
        return self.is_member and self.membership.show_on_profile


def viewer_standing(*, viewer: Reader, community: CommunityPage) -> Standing:
    """``viewer``'s place in ``community`` (one query for a signed-in viewer, none otherwise)."""
    if not _signed_in(viewer):
        return Standing(kind="visitor", community_rules_version=community.rules_version)
    membership = CommunityMembership.objects.filter(community=community, user=viewer).first()
    return Standing(
        kind=membership.state if membership else "outsider",
        membership=membership,
        community_rules_version=community.rules_version,
    )


@dataclass(frozen=True)
class MemberEntry:
    """One person in a community's member list or its moderators' request list."""

    membership_id: int
    name: str
    face: MemberFace
    is_moderator: bool
    is_viewer: bool
    reason: str = ""


def _entries(memberships, *, viewer: Reader) -> list[MemberEntry]:
    entries = []
    for membership in memberships:
        user = membership.user
        face = member_face(
            user=user, viewer=viewer, blocks_viewer=getattr(membership, "blocks_viewer", False)
        )
        entries.append(
            MemberEntry(
                membership_id=membership.pk,
                name=user.public_name,
                face=face,
                is_moderator=membership.is_moderator,
                is_viewer=_signed_in(viewer) and user.pk == viewer.pk,
                reason=membership.reason,
            )
        )
    return entries


def _with_people(queryset: QuerySet, *, viewer: Reader) -> QuerySet:
    """Memberships with the person and their profile, and whether they block ``viewer``."""
    queryset = queryset.select_related("user__profile")
    if _signed_in(viewer):
        queryset = queryset.annotate(
            blocks_viewer=Exists(
                MemberBlock.objects.filter(blocker=OuterRef("user_id"), blocked=viewer)
            )
        )
    return queryset


def community_members(
    *, viewer: Reader, community: CommunityPage, page_number: object = None
) -> tuple[PaginatorPage, list[MemberEntry]]:
    """One page of the members ``viewer`` may see in ``community``: moderators first, then by name.

    Returns the paginator's page (for the links and the total) and its
    entries. Two queries: the count and the page.
    """
    memberships = CommunityMembership.objects.filter(community=community).filter(
        visible_members_condition(viewer=viewer)
    )
    memberships = _with_people(memberships, viewer=viewer).order_by(
        # "moderator" sorts after "member": moderators first.
        "-role",
        "user__display_name",
        "pk",
    )
    page = paginate(memberships, page_number, per_page=MEMBERS_PER_PAGE)
    return page, _entries(page.object_list, viewer=viewer)


def pending_requests(*, viewer: Reader, community: CommunityPage) -> tuple[int, list[MemberEntry]]:
    """The requests to join waiting for ``community``'s moderators, oldest first, and their number.

    Only for a moderator of the community (the caller checks ``Standing``);
    the first ``REQUESTS_SHOWN`` are listed.
    """
    requests = CommunityMembership.objects.filter(community=community, state=State.REQUESTED)
    listed = list(
        _with_people(requests, viewer=viewer).order_by("created_at", "pk")[:REQUESTS_SHOWN]
    )
    # Counted every time, not only past a full list: the page's queries stay
    # the same whatever the numbers.
    total = requests.count()
    return total, _entries(listed, viewer=viewer)


def community_items(
    *, viewer: Reader, community: CommunityPage
) -> tuple[list[ContentPage], list[ContentPage], int]:
    """The community's newest and top-rated items ``viewer`` may read, and how many they may read.

    Through ``content_listing`` (so ``readable_content``): a non-member gets
    none. Top rated lists only items someone rated.
    """
    newest = list(content_listing(user=viewer, community=community)[:ITEMS_SHOWN])
    if not newest:
        # Nothing readable here: no top list and nothing to count.
        return [], [], 0
    top = list(
        content_listing(user=viewer, community=community, sort=SORT_TOP).filter(
            rating_summary__count__gte=1
        )[:ITEMS_SHOWN]
    )
    count = readable_content(user=viewer).filter(community=community).count()
    return newest, top, count


def community_page_context(
    *, viewer: Reader, community: CommunityPage, members_page: object = None
) -> dict:
    """Everything a community's page shows ``viewer``, read here so its template holds no query."""
    if viewer is None:
        viewer = AnonymousUser()
    standing = viewer_standing(viewer=viewer, community=community)
    newest, top_rated, item_count = community_items(viewer=viewer, community=community)
    members_page_obj, members = community_members(
        viewer=viewer, community=community, page_number=members_page
    )
    request_count, requests = (
        pending_requests(viewer=viewer, community=community) if standing.is_moderator else (0, [])
    )
    return {
        "standing": standing,
        "policies": [sentence for sentence in policy_sentences(community) if sentence],
        "newest_items": newest,
        "top_rated_items": top_rated,
        "item_count": item_count,
        "members": members,
        "members_page": members_page_obj,
        "member_count": members_page_obj.paginator.count,
        "requests": requests,
        "request_count": request_count,
    }
