"""The sharing policy under random policies and random pages (issue 14), with hypothesis.

Two halves:

- ``decide`` alone (``sharing.policy``), over random rules, defaults and facts,
  against a reference written here from the policy's wording (the test's
  ``expected_*`` helpers never call the code under test): the floor is never
  crossed, a denial among the most specific matching rules always refuses,
  and a less specific rule never changes what a more specific one decided.
- Real pages of every shareable type with a random audience, publication,
  author's consent and view restriction, under random ``SharingRule`` rows and
  a random site default: a page that is not public is shared nowhere (no
  buttons, no card, the endpoint refuses and counts nothing); a public page's
  buttons, card and endpoint say exactly what the reference says; the card
  never carries its author; ``_is_public`` agrees with ``readable_content``.

Deterministic: ``derandomize=True`` and no example database, so every run
tries the same examples. Each page example runs inside a savepoint that is
rolled back, so no example sees another's rows.
"""

from dataclasses import dataclass, replace
from html.parser import HTMLParser
from itertools import product
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page, PageViewRestriction, Site

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from core import roles
from core.models import Audience, CommunityIndexPage, CommunityPage, Condition, ContentPage
from core.selectors import readable_content
from sharing import policy
from sharing.models import ShareCount, SharingRule, SharingSettings
from sharing.selectors import _is_public, page_sharing
from tests.factories import (
    BlogPageFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    QuestionPageFactory,
    UserFactory,
)

# The networks and content types as the test knows them (not read from the app,
# so a network or type dropped by mistake shows up as a failure here).
NETWORK_SLUGS = ("facebook", "x", "linkedin", "xing", "mastodon", "whatsapp", "email", "copy")
SHAREABLE_LABELS = (
    "blogs.blogpage",
    "blogs.expertarticlepage",
    "experience_stories.experiencestorypage",
    "questions.questionpage",
    "core.communitypage",
)
MASTODON_SERVER = "mastodon.example"


# ---------------------------------------------------------------------------
# The reference: the policy's wording, written out again without the app.
# ---------------------------------------------------------------------------


def named_dimensions(rule) -> dict:
    """What a rule names, dimension by dimension; a blank or ``None`` dimension names nothing."""
    named = {}
    if rule.content_type != "":
        named["content_type"] = rule.content_type
    if rule.community is not None:
        named["community"] = rule.community
    if rule.network != "":
        named["network"] = rule.network
    return named


def share_dimensions(facts) -> dict:
    return {
        "content_type": facts.content_type,
        "community": facts.community,
        "network": facts.network,
    }


def expected_match(rule, facts) -> bool:
    """Whether each dimension the rule names is the share's."""
    share = share_dimensions(facts)
    return all(share[name] == value for name, value in named_dimensions(rule).items())


def expected_deciders(facts, rules) -> list:
    """The rules that decide: every one matching the share and naming the most dimensions."""
    matching = [rule for rule in rules if expected_match(rule, facts)]
    if not matching:
        return []
    most = max(len(named_dimensions(rule)) for rule in matching)
    return [rule for rule in matching if len(named_dimensions(rule)) == most]


def expected_allowed(facts, rules, default) -> bool:
    """Whether the share is allowed, from first principles (see ``sharing.policy``'s docstring)."""
    if not facts.is_public or not facts.kind_shareable:
        return False
    deciders = expected_deciders(facts, rules)
    if deciders:
        if any(not rule.allowed for rule in deciders):
            return False
        consent_needed = any(rule.needs_author_consent for rule in deciders)
    else:
        if not default.allowed:
            return False
        consent_needed = default.needs_author_consent
    return facts.author_consents or not consent_needed


# ---------------------------------------------------------------------------
# Part one: ``decide`` over random policies.
# ---------------------------------------------------------------------------

# Small domains, so that rules often match a share and often tie.
RULE_TYPES = ("", "blogs.blogpage", "questions.questionpage", "core.communitypage")
FACT_TYPES = RULE_TYPES[1:] + ("questions.answerpage",)
COMMUNITY_IDS = (None, 7, 8)
RULE_NETWORKS = ("", "x", "mastodon", "email")
FACT_NETWORKS = RULE_NETWORKS[1:] + ("facebook",)

PURE = settings(max_examples=600, deadline=None, derandomize=True, database=None)

rule_labels = st.integers(min_value=0, max_value=10_000).map(lambda n: f"rule {n}")
rules_st = st.builds(
    policy.Rule,
    content_type=st.sampled_from(RULE_TYPES),
    community=st.sampled_from(COMMUNITY_IDS),
    network=st.sampled_from(RULE_NETWORKS),
    allowed=st.booleans(),
    needs_author_consent=st.booleans(),
    label=rule_labels,
)
policies = st.lists(rules_st, max_size=8)
defaults = st.builds(policy.Default, allowed=st.booleans(), needs_author_consent=st.booleans())
facts_st = st.builds(
    policy.Facts,
    content_type=st.sampled_from(FACT_TYPES),
    community=st.sampled_from(COMMUNITY_IDS),
    network=st.sampled_from(FACT_NETWORKS),
    # Mostly over the floor, where the rules have something to decide.
    is_public=st.sampled_from((True, True, True, False)),
    kind_shareable=st.sampled_from((True, True, True, False)),
    author_consents=st.booleans(),
)
public_facts = facts_st.map(lambda facts: replace(facts, is_public=True, kind_shareable=True))
floor_facts = st.tuples(
    facts_st, st.sampled_from([(False, True), (True, False), (False, False)])
).map(lambda pair: replace(pair[0], is_public=pair[1][0], kind_shareable=pair[1][1]))
# Which of (content type, community, network) a constructed rule names.
masks = st.tuples(st.booleans(), st.booleans(), st.booleans())
some_masks = st.sampled_from([mask for mask in product((False, True), repeat=3) if any(mask)])


def rule_for(facts, mask, **fields):
    """A rule naming the dimensions of ``mask`` with the share's own values, so it matches.

    A share outside any community cannot be matched by a rule naming one: the
    community is then left blank, and if that leaves nothing named, the rule
    names the content type instead.
    """
    with_type, with_community, with_network = mask
    with_community = with_community and facts.community is not None
    if any(mask) and not (with_type or with_community or with_network):
        with_type = True
    return policy.Rule(
        content_type=facts.content_type if with_type else "",
        community=facts.community if with_community else None,
        network=facts.network if with_network else "",
        **fields,
    )


@st.composite
def shares(draw, facts=facts_st):
    """A share's facts and a policy about it: each rule random, or made to match the share,
    so that rules often match and often tie."""
    facts = draw(facts)
    matching = st.builds(
        rule_for,
        st.just(facts),
        masks,
        allowed=st.booleans(),
        needs_author_consent=st.booleans(),
        label=rule_labels,
    )
    return facts, draw(st.lists(st.one_of(rules_st, matching), max_size=8))


@PURE
@given(share=shares(floor_facts), default=defaults)
def test_nothing_below_the_floor_is_ever_allowed(share, default):
    facts, rules = share
    # However permissive the policy: every rule allowing without consent.
    permissive = [replace(rule, allowed=True, needs_author_consent=False) for rule in rules]

    for candidate in (rules, permissive):
        decision = policy.decide(facts=facts, rules=candidate, default=default)
        assert not decision.allowed
        assert decision.rule is None
    assert not policy.decide(
        facts=facts,
        rules=permissive,
        default=policy.Default(allowed=True, needs_author_consent=False),
    ).allowed


@PURE
@given(share=shares(), default=defaults)
def test_the_decision_is_the_reference_one(share, default):
    facts, rules = share
    decision = policy.decide(facts=facts, rules=rules, default=default)

    assert decision.allowed == expected_allowed(facts, rules, default)
    assert decision.reason
    deciders = expected_deciders(facts, rules)
    event("the floor" if not (facts.is_public and facts.kind_shareable) else "over the floor")
    event(f"{len(deciders)} deciding rules")
    if not (facts.is_public and facts.kind_shareable) or not deciders:
        # The floor or the site-wide default decided: no rule to name.
        assert decision.rule is None
    else:
        assert decision.rule in deciders
        if any(not rule.allowed for rule in deciders):
            assert not decision.rule.allowed
            assert decision.rule.label in decision.reason


@PURE
@given(share=shares(), default=defaults, data=st.data())
def test_the_order_of_the_rules_does_not_change_whether_a_share_is_allowed(share, default, data):
    facts, rules = share
    shuffled = data.draw(st.permutations(rules))

    assert (
        policy.decide(facts=facts, rules=shuffled, default=default).allowed
        == policy.decide(facts=facts, rules=rules, default=default).allowed
    )


@PURE
@given(
    share=shares(public_facts),
    default=defaults,
    mask=masks,
    consent=st.booleans(),
    data=st.data(),
)
def test_a_denial_among_the_most_specific_rules_always_refuses(share, default, mask, consent, data):
    facts, rules = share
    denial = rule_for(facts, mask, allowed=False, needs_author_consent=consent, label="denial")
    level = len(named_dimensions(denial))
    # Keep only the rules that do not outrank the denial for this share.
    rules = [
        rule
        for rule in rules
        if not expected_match(rule, facts) or len(named_dimensions(rule)) <= level
    ]
    position = data.draw(st.integers(min_value=0, max_value=len(rules)))
    rules.insert(position, denial)

    decision = policy.decide(
        facts=replace(facts, author_consents=True), rules=rules, default=default
    )

    assert not decision.allowed
    assert decision.rule is not None and not decision.rule.allowed
    assert len(named_dimensions(decision.rule)) == level


@PURE
@given(
    share=shares(public_facts),
    default=defaults,
    anchor_mask=some_masks,
    anchor_allowed=st.booleans(),
    anchor_consent=st.booleans(),
    extra=rules_st,
    blank_order=st.permutations(["content_type", "community", "network"]),
    data=st.data(),
)
def test_a_less_specific_rule_never_changes_what_a_more_specific_one_decided(
    share, default, anchor_mask, anchor_allowed, anchor_consent, extra, blank_order, data
):
    facts, rules = share
    # A matching rule naming at least one dimension, so a rule decides.
    anchor = rule_for(
        facts, anchor_mask, allowed=anchor_allowed, needs_author_consent=anchor_consent, label="a"
    )
    rules = [*rules, anchor]
    level = len(named_dimensions(expected_deciders(facts, rules)[0]))
    # The extra rule, made less specific than the deciding ones by blanking dimensions.
    blanks = {"content_type": "", "community": None, "network": ""}
    for dimension in blank_order:
        if len(named_dimensions(extra)) < level:
            break
        extra = replace(extra, **{dimension: blanks[dimension]})
    assert len(named_dimensions(extra)) < level
    position = data.draw(st.integers(min_value=0, max_value=len(rules)))
    with_extra = [*rules[:position], extra, *rules[position:]]

    before = policy.decide(facts=facts, rules=rules, default=default)
    after = policy.decide(facts=facts, rules=with_extra, default=default)

    assert before.rule is not None
    assert after == before


# ---------------------------------------------------------------------------
# Part two: real pages, real rules, the rendered page and the endpoint.
# ---------------------------------------------------------------------------

AUTHOR_NAME = "Quillon Ferndale-Abara"
AUTHOR_USERNAME = "qfabara_writes"
EXPERT_NAME = "Dr Ysolde Marrowfield"
EXPERT_USERNAME = "ymarrowfield_md"
CONDITION_NAMES = ("Hypermobile Ehlers-Danlos syndrome", "Charcot-Marie-Tooth disease")
# Titles with characters the card must escape (and the tests must read back).
TITLES = (
    "Fatigue & “spoons” at work",
    'Pacing <after> a "relapse"',
    "Living well with MS",
)

KINDS = {
    "blog": (BlogPageFactory, roles.BLOGS, "blogs.blogpage"),
    "expert": (ExpertArticlePageFactory, roles.EXPERT_ARTICLES, "blogs.expertarticlepage"),
    "story": (
        ExperienceStoryPageFactory,
        roles.EXPERIENCES,
        "experience_stories.experiencestorypage",
    ),
    "question": (QuestionPageFactory, roles.QUESTIONS, "questions.questionpage"),
}
# Where a view restriction sits, and of which kind.
RESTRICTIONS = (
    ("page", PageViewRestriction.PASSWORD),
    ("page", PageViewRestriction.LOGIN),
    ("page", PageViewRestriction.GROUPS),
    ("parent", PageViewRestriction.LOGIN),
    ("parent", PageViewRestriction.PASSWORD),
)


@dataclass(frozen=True)
class PageSpec:
    kind: str
    audience: str
    live: bool
    consent: bool
    restriction: tuple | None
    title: str

    @property
    def public(self) -> bool:
        """What the test expects, from the spec alone: live, for everyone, unrestricted."""
        return self.live and self.audience == Audience.EVERYONE and self.restriction is None


# Why a page in the other half of the examples is not public: each reason as likely.
NOT_PUBLIC_BECAUSE = (Audience.MEMBERS, Audience.COMMUNITY, "draft", *RESTRICTIONS)


@st.composite
def page_specs(draw):
    kind = draw(st.sampled_from(sorted(KINDS)))
    audience = draw(st.sampled_from(Audience.values))
    live = draw(st.booleans())
    restriction = draw(st.one_of(st.none(), st.sampled_from(RESTRICTIONS)))
    # Half the examples are public pages (where the policy has something to say); the
    # other half have at least one reason not to be, and anything else at random.
    if draw(st.booleans()):
        audience, live, restriction = Audience.EVERYONE, True, None
    else:
        reason = draw(st.sampled_from(NOT_PUBLIC_BECAUSE))
        if reason in Audience.values:
            audience = reason
        elif reason == "draft":
            live = False
        else:
            restriction = reason
    return PageSpec(
        kind=kind,
        audience=audience,
        live=live,
        consent=draw(st.booleans()),
        restriction=restriction,
        title=draw(st.sampled_from(TITLES)),
    )


def rule_rows(spec: PageSpec):
    """Rule rows: (content type, names the community?, network, allowed, needs consent).

    The page's own type is drawn more often than any other, so rules often speak
    about it; at most one rule per scope, none naming nothing (as the table holds).
    """
    _, _, label = KINDS[spec.kind]
    return st.lists(
        st.tuples(
            st.sampled_from(("", label, *SHAREABLE_LABELS)),
            st.booleans(),
            st.sampled_from(("", *NETWORK_SLUGS)),
            st.booleans(),
            st.booleans(),
        ).filter(lambda row: row[0] or row[1] or row[2]),
        max_size=6,
        unique_by=lambda row: row[:3],
    )


page_cases = page_specs().flatmap(lambda spec: st.tuples(st.just(spec), rule_rows(spec)))
# The site default: absent (the model's defaults), or (allowed, needs consent).
site_defaults = st.one_of(st.none(), st.tuples(st.booleans(), st.booleans()))

PAGES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class HeadReader(HTMLParser):
    """The card's meta tags (wherever they are, noting those in <head>), robots, share forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.card = []  # (key, content, in_head) of every og:/twitter: meta tag
        self.robots = []
        self.share_actions = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            if key.startswith(("og:", "twitter:")):
                self.card.append((key, attrs.get("content") or "", self.in_head))
            elif key == "robots":
                self.robots.append(attrs.get("content") or "")
        elif tag == "form" and (attrs.get("action") or "").startswith("/share/"):
            self.share_actions.append(attrs["action"])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def read_html(response) -> HeadReader:
    reader = HeadReader()
    reader.feed(response.content.decode())
    reader.close()
    return reader


@pytest.fixture
def world(portal, sections):
    """What every example builds on: the sections, a community, two authors who are easy
    to spot (names, usernames, avatars and conditions), and a group for restrictions."""
    community_index = CommunityIndexPage.objects.get()
    community = CommunityPageFactory(parent=community_index, title="Carers together")
    conditions = [
        Condition.objects.create(name=name, slug=slugify(name)) for name in CONDITION_NAMES
    ]
    member = UserFactory(group=roles.MEMBERS, display_name=AUTHOR_NAME, username=AUTHOR_USERNAME)
    expert = UserFactory(group=roles.EXPERTS, display_name=EXPERT_NAME, username=EXPERT_USERNAME)
    avatars = []
    for number, user in enumerate((member, expert)):
        profile = ProfileFactory(user=user, visibility="everyone", conditions=conditions)
        profile.avatar.name = f"avatars/{number:032x}.jpg"
        profile.save()
        avatars.append(profile.avatar.url)
    author_traces = [
        AUTHOR_NAME,
        AUTHOR_USERNAME,
        EXPERT_NAME,
        EXPERT_USERNAME,
        *CONDITION_NAMES,
        *avatars,
        "avatars/",
    ]
    return SimpleNamespace(
        parents={kind: sections[role].pk for kind, (_, role, _) in KINDS.items()},
        community_pk=community.pk,
        member=member,
        expert=expert,
        author_traces=author_traces,
        group=Group.objects.get(name=roles.EDITORS),
        site=Site.objects.get(is_default_site=True),
    )


def make_page(world, spec: PageSpec) -> ContentPage:
    factory, _, _ = KINDS[spec.kind]
    # Read the parent afresh: a rolled-back example leaves a stale child count in memory.
    parent = Page.objects.get(pk=world.parents[spec.kind]).specific
    community = (
        CommunityPage.objects.get(pk=world.community_pk)
        if spec.audience == Audience.COMMUNITY
        else None
    )
    page = factory(
        parent=parent,
        author=world.expert if spec.kind == "expert" else world.member,
        title=spec.title,
        audience=spec.audience,
        community=community,
        may_be_shared=spec.consent,
        publish=spec.live,
    )
    if spec.restriction is not None:
        where, restriction_type = spec.restriction
        restricted = page if where == "page" else parent
        restriction = PageViewRestriction.objects.create(
            page=restricted, restriction_type=restriction_type, password="open sesame"
        )
        if restriction_type == PageViewRestriction.GROUPS:
            restriction.groups.add(world.group)
    return ContentPage.objects.get(pk=page.pk).specific


def store_policy(world, rows, site_default) -> tuple[list, policy.Default]:
    """Write the rules and the site default; return them as the reference reads them."""
    reference_rules = []
    for content_type, in_community, network, allowed, consent in rows:
        SharingRule.objects.create(
            content_type=content_type,
            community_id=world.community_pk if in_community else None,
            network=network,
            allowed=allowed,
            needs_author_consent=consent,
        )
        reference_rules.append(
            SimpleNamespace(
                content_type=content_type,
                community=world.community_pk if in_community else None,
                network=network,
                allowed=allowed,
                needs_author_consent=consent,
            )
        )
    SharingSettings.objects.filter(site=world.site).delete()
    if site_default is None:
        default = SimpleNamespace(allowed=True, needs_author_consent=True)  # the model's defaults
    else:
        SharingSettings.objects.create(
            site=world.site,
            allowed_by_default=site_default[0],
            needs_author_consent=site_default[1],
        )
        default = SimpleNamespace(allowed=site_default[0], needs_author_consent=site_default[1])
    return reference_rules, default


def expected_networks(page, spec, rules, default) -> list[str]:
    """The networks the reference allows for ``page``, in the order the buttons are offered."""
    _, _, label = KINDS[spec.kind]
    allowed = []
    for network in NETWORK_SLUGS:
        facts = SimpleNamespace(
            content_type=label,
            community=page.community_id,
            network=network,
            is_public=spec.public,
            kind_shareable=label in SHAREABLE_LABELS,
            author_consents=spec.consent,
        )
        if expected_allowed(facts, rules, default):
            allowed.append(network)
    return allowed


def post_share(client, page, network):
    data = {"instance": MASTODON_SERVER} if network == "mastodon" else {}
    return client.post(f"/share/{page.pk}/{network}/", data)


# Every reason not to be public at least once, under the most permissive policy there is.
PERMISSIVE = [("", False, network, True, False) for network in NETWORK_SLUGS] + [
    ("", True, "", True, False)
]
EVERY_REASON = [
    PageSpec("blog", Audience.MEMBERS, True, True, None, TITLES[0]),
    PageSpec("story", Audience.COMMUNITY, True, True, None, TITLES[1]),
    PageSpec("question", Audience.EVERYONE, False, True, None, TITLES[2]),
    *(
        PageSpec(kind, Audience.EVERYONE, True, True, restriction, TITLES[0])
        for kind, restriction in zip(sorted(KINDS) * 2, RESTRICTIONS, strict=False)
    ),
]


def with_every_reason(test):
    for spec in EVERY_REASON:
        test = example(case=(spec, PERMISSIVE), site_default=(True, False))(test)
    return test


@pytest.mark.django_db
@PAGES
@with_every_reason
@given(case=page_cases, site_default=site_defaults)
def test_a_page_is_shared_exactly_where_the_policy_allows_and_never_with_its_author(
    world, case, site_default
):
    spec, rows = case
    with transaction.atomic():
        # Each example's rows go with its savepoint; throttle counters and the cached
        # policy (core.fragments, computed from the last example's rolled-back rows) with
        # the caches.
        for cache in caches.all():
            cache.clear()
        check_one_page(world, spec, rows, site_default)
        transaction.set_rollback(True)


def check_one_page(world, spec, rows, site_default):
    page = make_page(world, spec)
    rules, default = store_policy(world, rows, site_default)
    today = timezone.localdate()

    # Public-ness: the spec, the one gate and sharing's own reading all agree.
    anonymous = AnonymousUser()
    for queryset in (Page.objects.filter(pk=page.pk), ContentPage.objects.filter(pk=page.pk)):
        assert readable_content(user=anonymous, queryset=queryset).exists() == spec.public
    assert _is_public(page) == spec.public

    sharing = page_sharing(page=page, site=world.site)
    allowed = expected_networks(page, spec, rules, default)
    assert [network.slug for network in sharing.networks] == allowed
    assert sharing.shareable == bool(allowed)
    assert (sharing.card is None) == (not allowed)
    # Shown by --hypothesis-show-statistics: how the examples spread.
    event(
        "public"
        if spec.public
        else f"not public: {spec.audience}, live {spec.live}, {spec.restriction}"
    )
    event(f"shared to {len(allowed)} of {len(NETWORK_SLUGS)} networks")
    if not spec.public:
        assert allowed == []

    # The page as a visitor gets it.
    visitor = Client()
    response = visitor.get(page.url)
    if spec.public:
        assert response.status_code == 200
    html = read_html(response) if response["Content-Type"].startswith("text/html") else None
    if html is not None:
        assert html.share_actions == [f"/share/{page.pk}/{network}/" for network in allowed]
        keys = {key for key, _, _ in html.card}
        if allowed:
            assert {"og:title", "og:url", "og:image", "twitter:card", "twitter:title"} <= keys
            assert all(in_head for _, _, in_head in html.card)
            card = {key: content for key, content, _ in html.card}
            assert card["og:title"] == card["twitter:title"] == spec.title
            assert card["og:url"].endswith(page.url)
        else:
            assert html.card == [], html.card
        for key, content, _ in html.card:
            for trace in world.author_traces:
                assert trace.casefold() not in content.casefold(), (key, content, trace)
        if spec.public:
            # Search engines are kept off exactly the public pages that may not be shared.
            assert any("noindex" in robots for robots in html.robots) == (not allowed)

    # The endpoint agrees with the buttons, and counts only what it lets through.
    for network in NETWORK_SLUGS:
        answer = post_share(visitor, page, network)
        counted = ShareCount.objects.filter(page_id=page.pk, network=network, day=today)
        if network in allowed:
            assert answer.status_code == 303, (network, answer.status_code)
            assert counted.get().count == 1
        else:
            expected_statuses = {403} if spec.public else {403, 404}
            assert answer.status_code in expected_statuses, (network, answer.status_code)
            assert not counted.exists()
    if not allowed:
        assert not ShareCount.objects.filter(page_id=page.pk).exists()
