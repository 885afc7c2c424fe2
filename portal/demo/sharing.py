"""The demo's sharing policy and a few weeks of its log (README, "Sharing").

A site-wide default that allows sharing with the author's consent, and three
rules a community team would write: the Carers community's page stays
inside Kindred, questions never leave, and stories need their author's
consent even if the default changes. The log holds a few shares of the
published expert articles over the past weeks, so the report has something
to show.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Site

from blogs.models import ExpertArticlePage
from core.models import CommunityPage
from sharing.models import ShareCount, SharingRule, SharingSettings

from . import community_content as spec

# (content type, community slug, network, allowed, needs consent, note)
RULES = [
    (
        "",
        spec.CARERS,
        "",
        False,
        False,
        "Carers have not told the person they care for that they are here.",
    ),
    (
        "questions.questionpage",
        None,
        "",
        False,
        False,
        "Questions describe members' own situations; they stay inside Kindred.",
    ),
    (
        "experience_stories.experiencestorypage",
        None,
        "",
        True,
        True,
        "Stories are the most personal writing here: only with the author's consent.",
    ),
]
# Shares per week back from today, for the first published expert articles.
WEEKLY_SHARES = [("facebook", 3), ("linkedin", 2), ("x", 1), ("copy", 4)]


def demo_sharing_seed(*, manager: AbstractBaseUser, communities: dict[str, CommunityPage]) -> None:
    """The demo policy (logged as the community manager's) and a few weeks of shares."""
    site = Site.objects.get(is_default_site=True)
    SharingSettings.for_site(site)
    for content_type, community_slug, network, allowed, consent, note in RULES:
        community = communities[community_slug] if community_slug else None
        rule, created = SharingRule.objects.get_or_create(
            content_type=content_type,
            community=community,
            network=network,
            defaults={"allowed": allowed, "needs_author_consent": consent, "note": note},
        )
        if created:
            log(instance=rule, action="wagtail.create", user=manager)
    today = timezone.localdate()
    articles = ExpertArticlePage.objects.live().order_by("pk")[:3]
    for weeks_ago in range(4):
        day = today - timedelta(weeks=weeks_ago)
        for position, article in enumerate(articles):
            for network, count in WEEKLY_SHARES[position:]:
                ShareCount.objects.get_or_create(
                    page=article, network=network, day=day, defaults={"count": count + weeks_ago}
                )
