"""The demo's analytics (README, "Analytics"): six weeks of readers and searches.

The demo's own members are three, so every count of people on Reports ›
Community analytics would read "fewer than 5" (as it must). Eight readers,
members without a profile who never write, rate one public item a week for
six weeks and joined the first open community at different times; the
search log gets four weeks of common searches and two that found nothing.
Searches searched fewer than 5 times stay unlisted, as any rare term does.
Readers sign in with no password (unusable): they are figures, not logins.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from core import roles
from core.models import Audience, CommunityMembership, CommunityPage, ContentPage
from ratings.models import Rating
from ratings.services import rating_upsert
from search.models import ZeroResultQueryDay

READERS = 8
WEEKS = 6
# Searches a day over the last four weeks.
SEARCHES_PER_DAY = {"fatigue": 3, "sleep": 2, "heat sensitivity": 1, "pacing": 1}
# Searches that found nothing, on the last N days, once a day.
ZERO_RESULT_DAYS = {"cooling vest": 10, "blue badge parking": 6}


def demo_analytics_seed(*, communities: dict[str, CommunityPage]) -> dict[str, int]:
    """Readers' ratings and memberships over six weeks, and a search log; once only."""
    User = get_user_model()
    if User.objects.filter(username="reader1").exists():
        return {}
    now, today = timezone.now(), timezone.localdate()
    items = list(
        ContentPage.objects.live()
        .filter(audience=Audience.EVERYONE)
        .order_by("-first_published_at")[:WEEKS]
    )
    community = next(
        (c for c in communities.values() if c.join_policy == CommunityPage.JoinPolicy.OPEN),
        None,
    )
    members = Group.objects.get(name=roles.MEMBERS)
    for n in range(1, READERS + 1):
        reader = User(
            username=f"reader{n}",
            email=f"reader{n}@kindred.example",
            display_name=f"Reader {n}",
            date_joined=now - timedelta(weeks=WEEKS, days=n),
        )
        reader.set_unusable_password()
        reader.save()
        reader.groups.add(members)
        if community is not None:
            membership = CommunityMembership.objects.create(
                community=community,
                user=reader,
                state=CommunityMembership.State.ACTIVE,
                rules_version=community.rules_version,
                rules_accepted_at=now,
            )
            CommunityMembership.objects.filter(pk=membership.pk).update(
                created_at=now - timedelta(weeks=n % WEEKS, hours=n)
            )
        for weeks_ago, page in enumerate(items):
            rating, _summary = rating_upsert(page=page, score=3 + (n + weeks_ago) % 3, user=reader)
            when = now - timedelta(weeks=weeks_ago, hours=n)
            Rating.objects.filter(pk=rating.pk).update(created_at=when, updated_at=when)
    for days_ago in range(28):
        day = today - timedelta(days=days_ago)
        for term, hits in SEARCHES_PER_DAY.items():
            QueryDailyHits.objects.update_or_create(
                query=Query.get(term), date=day, defaults={"hits": hits}
            )
        for term, days in ZERO_RESULT_DAYS.items():
            if days_ago < days:
                ZeroResultQueryDay.objects.update_or_create(
                    query=Query.get(term), date=day, defaults={"hits": 1}
                )
    return {"analytics readers": READERS}
