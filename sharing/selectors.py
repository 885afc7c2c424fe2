"""What may be shared: the policy read from the database and applied to one page.

Every surface asks ``page_sharing``: the share buttons, the card metadata
(and robots ``noindex``) in the page's head, the share endpoint and the
admin's "why" view. One decision per network, all from
``sharing.policy.decide``, so the button, the card and the POST never
disagree.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.templatetags.static import static
from django.utils.html import strip_tags

from wagtail.models import Page, PageViewRestriction, Site

from core import fragments
from core.emails import absolute, page_link
from core.models import Audience, CommunityPage, ContentPage
from core.routing import FACTS_ATTR
from core.sanitize import one_line

from .models import SHAREABLE_TYPES, ShareCount, SharingRule, SharingSettings
from .networks import NETWORKS, Network
from .policy import Decision, Default, Facts, Rule, decide

# The image every card shows: the site's, never a member's picture.
CARD_IMAGE = "img/share-card.png"
CARD_SUMMARY_MAX_LENGTH = 200
# Added to the shared address so an arriving visitor is greeted (sharing.wagtail_hooks).
VIA_SHARE = "via=share"


# The shared fragment holding the policy's rules and defaults (core.fragments).
SHARING_POLICY = "sharing-policy"


def policy_rules() -> list[Rule]:
    """Every rule of the policy, as ``policy.Rule`` values (one query)."""
    return [
        Rule(
            content_type=rule.content_type,
            community=rule.community_id,
            network=rule.network,
            allowed=rule.allowed,
            needs_author_consent=rule.needs_author_consent,
            pk=rule.pk,
            label=rule.label,
        )
        for rule in SharingRule.objects.select_related("community").order_by("pk")
    ]


def policy_default(*, site: Site | None) -> Default:
    """The site-wide default of ``site`` (the default site's when ``None``), in one query.

    A site whose default was never saved has the model's defaults; reading
    it writes nothing (Wagtail's ``for_site`` would create the row).
    """
    settings = None
    if site is not None:
        settings = SharingSettings.objects.filter(site=site).first()
    else:
        settings = SharingSettings.objects.filter(site__is_default_site=True).first()
    if settings is None:
        settings = SharingSettings()
    return Default(
        allowed=settings.allowed_by_default, needs_author_consent=settings.needs_author_consent
    )


def _is_public(page: Page) -> bool:
    """Whether a visitor who is not signed in may read ``page`` (a specific page).

    The same test as ``core.selectors.readable_content`` for an anonymous
    reader (tests/sharing prove they agree), read from the page's own fields
    and one query for view restrictions on it or above it.
    """
    if not page.live or page.expired:
        return False
    if isinstance(page, ContentPage) and page.audience != Audience.EVERYONE:
        return False
    if isinstance(page, CommunityPage) and not page.is_listed:
        return False
    # The page being served knows already (its routing query: core.routing), with
    # the same answer as the query below.
    if FACTS_ATTR in page.__dict__:
        return not page.__dict__[FACTS_ATTR][0]
    # A restriction on the page or any page above it (their paths are prefixes
    # of its path), in one query; Wagtail's get_view_restrictions takes two.
    steps = range(Page.steplen, len(page.path) + 1, Page.steplen)
    above = [page.path[:length] for length in steps]
    return not PageViewRestriction.objects.filter(page__path__in=above).exists()


def page_community_id(page: Page) -> int | None:
    """The community ``page`` belongs to: a community's own page is its own; an item's is its
    audience's (none for a public item); other pages belong to none."""
    if isinstance(page, CommunityPage):
        return page.pk
    if isinstance(page, ContentPage):
        return page.community_id
    return None


def page_facts(page: Page, *, network: str = "") -> Facts:
    """The facts the policy reads about sharing ``page`` (a specific page) to ``network``.

    The community of a community's own page is itself; an item's is its
    audience's (none for a public item).
    """
    label = page._meta.label_lower
    # The organisation's own pages have no member author to ask.
    consents = page.may_be_shared if isinstance(page, ContentPage) else True
    return Facts(
        content_type=label,
        community=page_community_id(page),
        network=network,
        is_public=label in SHAREABLE_TYPES and _is_public(page),
        kind_shareable=label in SHAREABLE_TYPES,
        author_consents=consents,
    )


@dataclass(frozen=True)
class ShareCard:
    """The Open Graph and Twitter card of a shareable page: never the author, their picture or
    conditions; the site's image."""

    title: str
    description: str
    url: str
    image: str
    type: str = "article"


@dataclass(frozen=True)
class PageSharing:
    """The decision for each network about one page, and what follows from it."""

    page: Page
    decisions: dict[str, Decision] = field(default_factory=dict)

    @property
    def networks(self) -> list[Network]:
        """The networks the page may be shared to, in the order they are offered."""
        return [NETWORKS[slug] for slug, decision in self.decisions.items() if decision.allowed]

    @property
    def shareable(self) -> bool:
        return bool(self.networks)

    @property
    def card(self) -> ShareCard | None:
        """The page's card, only when it may be shared somewhere."""
        if not self.shareable:
            return None
        return ShareCard(
            title=self.page.seo_title or self.page.title,
            description=_card_description(self.page),
            url=page_link(self.page),
            image=absolute(static(CARD_IMAGE)),
            type="website" if isinstance(self.page, CommunityPage) else "article",
        )


def _card_description(page: Page) -> str:
    if page.search_description:
        text = page.search_description
    elif isinstance(page, ContentPage):
        text = page.summary
    else:
        text = strip_tags(getattr(page, "intro", "") or "")
    return one_line(text, max_length=CARD_SUMMARY_MAX_LENGTH)


def page_sharing(
    *, page: Page, site: Site | None = None, rules: list[Rule] | None = None
) -> PageSharing:
    """Each network's decision about sharing ``page`` (specific), in three queries at most.

    ``rules`` may be given when deciding for many pages at once.
    """
    facts = page_facts(page)
    if not facts.is_public or not facts.kind_shareable:
        # The floor decides alone: no need to read the policy.
        decision = decide(facts=facts, rules=[], default=Default())
        return PageSharing(page=page, decisions=dict.fromkeys(NETWORKS, decision))
    # The policy is the same for every page and reader: kept in the cache while no rule,
    # default or community changes (issue 17; bumped by sharing.apps.ready).
    rules = fragments.cached(SHARING_POLICY, "rules", policy_rules) if rules is None else rules
    default = fragments.cached(
        SHARING_POLICY,
        f"default:{site.pk if site is not None else 'default'}",
        lambda: policy_default(site=site),
    )
    return PageSharing(
        page=page,
        decisions={
            slug: decide(facts=replace(facts, network=slug), rules=rules, default=default)
            for slug in NETWORKS
        },
    )


def shared_address(page: Page) -> str:
    """The address a share carries: the page's, marked so an arriving visitor is greeted."""
    return f"{page_link(page)}?{VIA_SHARE}"


def weekly_shares(*, since: date | None = None) -> QuerySet:
    """Shares per ISO week (starting Monday), network and page, newest week first."""
    queryset = ShareCount.objects.all()
    if since is not None:
        queryset = queryset.filter(day__gte=since)
    return (
        queryset.annotate(week=TruncWeek("day"))
        .values("week", "network", "page_id", "page__title")
        .annotate(shares=Sum("count"))
        .order_by("-week", "-shares", "network", "page_id")
    )
