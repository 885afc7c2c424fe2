"""Community analytics: weekly figures for the site and each community, from rows made here."""

from datetime import timedelta

from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query

import pytest

from analytics.periods import period_of, week_of
from analytics.selectors import community_activity, top_searches, zero_result_searches
from core import roles
from core.models import Audience, CommunityMembership
from discussion.models import CommentReport, PageComment
from ratings.models import Rating
from search.models import ZeroResultQueryDay
from social.models import MemberFollow
from tests.factories import (
    BlogPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def comment_on(page, user, when):
    comment = PageComment.objects.create(
        content_object=page,
        site_id=1,
        user=user,
        user_name=user.public_name,
        comment="Thank you for this.",
        submit_date=when,
    )
    return comment


@pytest.fixture
def two_communities(community_index):
    return (
        CommunityPageFactory(parent=community_index, title="Newly diagnosed"),
        CommunityPageFactory(parent=community_index, title="Carers"),
    )


def test_weekly_figures_for_the_site_and_each_community_alone(blog_index, two_communities, editor):
    newly, carers = two_communities
    now = timezone.now()
    last_week = now - timedelta(days=7)
    members = [UserFactory(group=roles.MEMBERS) for _ in range(7)]
    for person in members[:5]:
        CommunityMembershipFactory(community=newly, user=person)
    CommunityMembershipFactory(community=carers, user=members[5])
    # Joined a while ago: not new in the period.
    CommunityMembership.objects.filter(user=members[5]).update(created_at=now - timedelta(days=400))
    public = BlogPageFactory(parent=blog_index, author=members[6], title="For everyone")
    for_newly = BlogPageFactory(
        parent=blog_index,
        author=members[0],
        title="For the newly diagnosed",
        audience=Audience.COMMUNITY,
        community=newly,
    )
    for_carers = BlogPageFactory(
        parent=blog_index,
        author=members[5],
        title="For carers",
        audience=Audience.COMMUNITY,
        community=carers,
    )
    # Last week: the five newly-diagnosed members comment on their community's item
    # and one of those comments is reported; a member follows another.
    comments = [comment_on(for_newly, person, last_week) for person in members[:5]]
    CommentReport.objects.create(comment=comments[0], reporter=members[6], reason="other")
    CommentReport.objects.filter(comment=comments[0]).update(created_at=last_week)
    comment_on(for_carers, members[5], now)
    comment_on(public, members[6], now)
    Rating.objects.create(page=public, user=members[5], score=4)
    MemberFollow.objects.create(follower=members[6], followee=members[0])
    # Staff are not members: an editor's comment is no member's activity.
    comment_on(public, editor, now)

    activity = community_activity(period=period_of(weeks=12))

    this_week, previous = week_of(now), week_of(last_week)
    site = {w.week: w for w in activity.site.weeks}
    scopes = {s.title: s for s in activity.communities}
    newly_weeks = {w.week: w for w in scopes["Newly diagnosed"].weeks}
    carers_weeks = {w.week: w for w in scopes["Carers"].weeks}
    # This week the three authors wrote (a revision each), and commented, rated, followed.
    assert site[this_week].active_members == 3
    assert site[previous].active_members == 5
    assert newly_weeks[previous].active_members == 5
    assert newly_weeks[this_week].active_members == 1
    assert carers_weeks[this_week].active_members == 1
    assert carers_weeks[previous].active_members == 0
    # Items: the site counts all three; each community only its own.
    assert site[this_week].items == 3
    assert newly_weeks[this_week].items == 1 and carers_weeks[this_week].items == 1
    # Comments: 5 last week (newly), 3 this week (carers, public, the editor's).
    assert (site[previous].comments, site[this_week].comments) == (5, 3)
    assert (newly_weeks[previous].comments, newly_weeks[this_week].comments) == (5, 0)
    assert (carers_weeks[previous].comments, carers_weeks[this_week].comments) == (0, 1)
    assert site[previous].reports == 1 and newly_weeks[previous].reports == 1
    assert sum(w.reports for w in carers_weeks.values()) == 0
    # New members: memberships made now in "Newly diagnosed"; the carer's is old.
    assert scopes["Newly diagnosed"].totals.new_members == 5
    assert scopes["Carers"].totals.new_members == 0
    assert activity.site.totals.new_members == 7
    assert activity.site.totals.active_members == 7


def test_rare_search_terms_never_leave_the_database(portal):
    today = timezone.localdate()
    common, rare = Query.get("fatigue"), Query.get("dr jones ward 4")
    common.daily_hits.create(date=today, hits=5)
    rare.daily_hits.create(date=today, hits=4)
    ZeroResultQueryDay.objects.create(query=common, date=today, hits=6)
    ZeroResultQueryDay.objects.create(query=rare, date=today, hits=4)
    # Old searches are outside the period.
    Query.get("old term").daily_hits.create(date=today - timedelta(weeks=20), hits=50)

    period = period_of(weeks=12)

    assert [(t.term, t.searches) for t in top_searches(period=period)] == [("fatigue", 5)]
    assert [(t.term, t.searches) for t in zero_result_searches(period=period)] == [("fatigue", 6)]
