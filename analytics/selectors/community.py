"""Community analytics: weekly activity for the whole site and for each community, and searches.

Raw counts: the "fewer than 5" rule is applied where the figures are shown
(``analytics.tables``), so every table, chart and CSV applies it the same way.
Each function is a fixed number of queries: the rows of the period are
fetched once and counted by week in Python (the site's time zone, the same
on SQLite and PostgreSQL).

Who counts as a member: an account without admin access (no superuser, no
group that opens the admin): staff reviewing or moderating is not
community activity. A community's figures are about its current members
(active memberships) and its items (audience "a community" naming it); an
item for a community counts there and in the whole site's figures, never in
another community's.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from wagtail.contrib.search_promotions.models import QueryDailyHits
from wagtail.models import Revision

from core.models import Audience, CommunityMembership, CommunityPage, ContentPage
from discussion.models import CommentReport, PageComment
from ratings.models import Rating
from search.models import ZeroResultQueryDay
from social.models import MemberFollow, TopicFollow

from ..periods import Period, week_of
from ..suppression import MIN_PEOPLE

# The search terms listed, most searched first.
SEARCH_TERMS_LIMIT = 20


def member_accounts() -> QuerySet:
    """The accounts that count as members: active, no superuser, no group that opens the admin."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .exclude(
            groups__permissions__codename="access_admin",
            groups__permissions__content_type__app_label="wagtailadmin",
        )
        .values("pk")
    )


@dataclass
class WeekFigures:
    """One week's figures for one scope (the whole site or a community); raw counts."""

    week: date
    active_members: int = 0
    new_members: int = 0
    items: int = 0
    comments: int = 0
    reports: int = 0


@dataclass
class ScopeFigures:
    """A scope's weeks, oldest first, and its totals over the period.

    ``totals.active_members`` counts each member once over the whole period
    (not the sum of the weeks); the other totals are sums.
    """

    community_id: int | None
    title: str
    weeks: list[WeekFigures]
    totals: WeekFigures


@dataclass(frozen=True)
class CommunityActivity:
    """The whole site's figures and each community's, communities by title."""

    site: ScopeFigures
    communities: list[ScopeFigures]

    def scope(self, community_id: int | None) -> ScopeFigures:
        """The community's figures, or the whole site's for None or an unknown id."""
        for scope in self.communities:
            if scope.community_id == community_id:
                return scope
        return self.site


def _active_rows(period: Period) -> Iterable[tuple[int, datetime]]:
    """``(member id, when)`` for every post (a revision), comment, rating and follow."""
    members = member_accounts()
    sources = (
        (Revision.objects.filter(user_id__in=members), "user_id", "created_at"),
        (PageComment.objects.filter(user_id__in=members), "user_id", "submit_date"),
        (Rating.objects.filter(user_id__in=members), "user_id", "updated_at"),
        (MemberFollow.objects.filter(follower_id__in=members), "follower_id", "created_at"),
        (TopicFollow.objects.filter(follower_id__in=members), "follower_id", "created_at"),
    )
    for rows, who, when in sources:
        yield from rows.filter(
            **{f"{when}__gte": period.start, f"{when}__lt": period.end}
        ).values_list(who, when)


def _community_of_page(page_pk_field: str) -> Subquery:
    """The community of the item whose id (as text) is in ``page_pk_field``, if it is for one."""
    return Subquery(
        ContentPage.objects.filter(
            pk=Cast(OuterRef(page_pk_field), IntegerField()), audience=Audience.COMMUNITY
        ).values("community_id")[:1]
    )


class _Tally:
    """The site's and every community's weeks, counted into as the rows arrive."""

    def __init__(self, period: Period, communities: list[tuple[int, str]]) -> None:
        self.period = period
        self.index = {monday: n for n, monday in enumerate(period.mondays)}
        self.site = _empty_scope(None, _("Whole site"), period)
        self.scopes = {pk: _empty_scope(pk, title, period) for pk, title in communities}

    def count(self, community_id: int | None, when: datetime, attribute: str) -> None:
        """One more in ``when``'s week: in the site's figures, and the community's if any."""
        position = self.index.get(week_of(when))
        if position is None:
            return
        for scope in (self.site, self.scopes.get(community_id)):
            if scope is not None:
                figures = scope.weeks[position]
                setattr(figures, attribute, getattr(figures, attribute) + 1)

    def count_active(self, active: dict[int, set[date]], members_of: dict[int, set[int]]) -> None:
        """Each member once a week they were active: in the site, and in their communities."""
        for scope in (self.site, *self.scopes.values()):
            allowed = None if scope.community_id is None else members_of[scope.community_id]
            counted = [user for user in active if allowed is None or user in allowed]
            for user_id in counted:
                for week in active[user_id]:
                    if week in self.index:
                        scope.weeks[self.index[week]].active_members += 1
            scope.totals.active_members = len(counted)

    def totals(self) -> CommunityActivity:
        """The figures with the period's sums (active members were counted once each)."""
        for scope in (self.site, *self.scopes.values()):
            for attribute in ("new_members", "items", "comments", "reports"):
                setattr(scope.totals, attribute, sum(getattr(w, attribute) for w in scope.weeks))
        return CommunityActivity(site=self.site, communities=list(self.scopes.values()))


def community_activity(*, period: Period) -> CommunityActivity:
    """Weekly active members, new members, items published, comments and reports.

    For the whole site and for every community. An active member posted
    (saved or submitted an item), commented, rated or followed someone or a
    topic that week. New members: accounts opened (site), memberships that
    became active (community; dated when asked for or joined). Items: first
    published that week. Comments and reports: written that week, whatever
    became of them. Eleven queries.
    """
    communities = list(CommunityPage.objects.order_by("title", "pk").values_list("pk", "title"))
    tally = _Tally(period, communities)
    members_of: dict[int, set[int]] = defaultdict(set)
    for community_id, user_id, created in CommunityMembership.objects.filter(
        state=CommunityMembership.State.ACTIVE, user_id__in=member_accounts()
    ).values_list("community_id", "user_id", "created_at"):
        members_of[community_id].add(user_id)
        if period.start <= created < period.end:
            # A new member of the community, not of the site (that is the account's date).
            position = tally.index.get(week_of(created))
            scope = tally.scopes.get(community_id)
            if position is not None and scope is not None:
                scope.weeks[position].new_members += 1

    active: dict[int, set[date]] = defaultdict(set)
    for user_id, when in _active_rows(period):
        active[user_id].add(week_of(when))
    tally.count_active(active, members_of)

    for when in (
        get_user_model()
        .objects.filter(
            pk__in=member_accounts(), date_joined__gte=period.start, date_joined__lt=period.end
        )
        .values_list("date_joined", flat=True)
    ):
        tally.count(None, when, "new_members")
    for audience, community_id, when in ContentPage.objects.filter(
        live=True, first_published_at__gte=period.start, first_published_at__lt=period.end
    ).values_list("audience", "community_id", "first_published_at"):
        tally.count(community_id if audience == Audience.COMMUNITY else None, when, "items")
    for community_id, when in (
        PageComment.objects.filter(submit_date__gte=period.start, submit_date__lt=period.end)
        .annotate(community_id=_community_of_page("object_pk"))
        .values_list("community_id", "submit_date")
    ):
        tally.count(community_id, when, "comments")
    for community_id, when in (
        CommentReport.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(community_id=_community_of_page("comment__object_pk"))
        .values_list("community_id", "created_at")
    ):
        tally.count(community_id, when, "reports")
    return tally.totals()


def _empty_scope(community_id: int | None, title: str, period: Period) -> ScopeFigures:
    return ScopeFigures(
        community_id=community_id,
        title=title,
        weeks=[WeekFigures(week=monday) for monday in period.mondays],
        totals=WeekFigures(week=period.mondays[0]),
    )


@dataclass(frozen=True)
class SearchTerm:
    """A search term and how often it was searched in the period."""

    term: str
    searches: int


def _terms(rows: QuerySet, limit: int) -> list[SearchTerm]:
    # Terms searched fewer than MIN_PEOPLE times never leave the database: a
    # rare term can be a name or a condition that points at one person.
    return [
        SearchTerm(term, searches)
        for term, searches in rows.values("query__query_string")
        .annotate(searches=Sum("hits"))
        .filter(searches__gte=MIN_PEOPLE)
        .order_by("-searches", "query__query_string")
        .values_list("query__query_string", "searches")[:limit]
    ]


def top_searches(*, period: Period, limit: int = SEARCH_TERMS_LIMIT) -> list[SearchTerm]:
    """The most searched terms in the period (Wagtail's query log), site-wide; one query.

    The search log knows no community (nobody's identity or membership is
    kept with a query), so searches are the whole site's figures only.
    """
    rows = QueryDailyHits.objects.filter(date__gte=period.mondays[0], date__lte=period.end.date())
    return _terms(rows, limit)


def zero_result_searches(*, period: Period, limit: int = SEARCH_TERMS_LIMIT) -> list[SearchTerm]:
    """The terms that most often found nothing a reader could read in the period; one query."""
    rows = ZeroResultQueryDay.objects.filter(
        date__gte=period.mondays[0], date__lte=period.end.date()
    )
    return _terms(rows, limit)
