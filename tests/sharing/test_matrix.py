"""One decision everywhere: the buttons on the page, the card in its head and the endpoint.

For every combination of content type, audience, community, author choice
and network, under several policies, the page shows a button for a network
exactly when the POST to it is accepted (303), carries Open Graph and
Twitter cards exactly when it shows any button, asks search engines not to
index an item that may not be shared, and a refused POST records nothing.
The expected answers are written out per policy below, by hand, not
computed by the code under test.
"""

import re
from dataclasses import dataclass

from django.urls import reverse

import pytest

from core.models import Audience, CommunityIndexPage
from sharing.models import ShareCount, SharingRule, SharingSettings
from sharing.networks import NETWORKS
from tests.factories import (
    BlogPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    QuestionPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

KINDS = ("blog", "article", "story", "question")
AUDIENCES = (Audience.EVERYONE, Audience.MEMBERS, Audience.COMMUNITY)
BUTTON = re.compile(r'action="/share/(\d+)/([a-z]+)/"')
CARD = re.compile(r'<meta (?:property="og:|name="twitter:)')
NOINDEX = '<meta name="robots" content="noindex'


@dataclass(frozen=True)
class Case:
    kind: str  # one of KINDS, or "community"
    public: bool
    consents: bool
    in_carers: bool  # the page is the "Carers" community's own page


def _policy_default_consent(site, carers):
    """The installed default: allowed, with the author's consent."""
    SharingSettings.objects.update_or_create(
        site=site, defaults={"allowed_by_default": True, "needs_author_consent": True}
    )

    def expected(case, network):
        return case.public and case.consents

    return expected


def _policy_closed_but_articles(site, carers):
    """Closed by default; expert articles everywhere without asking."""
    SharingSettings.objects.update_or_create(
        site=site, defaults={"allowed_by_default": False, "needs_author_consent": False}
    )
    SharingRule.objects.create(content_type="blogs.expertarticlepage", allowed=True)

    def expected(case, network):
        return case.public and case.kind == "article"

    return expected


def _policy_layers(site, carers):
    """Open without consent; never X; but blog posts on X with consent; never stories."""
    SharingSettings.objects.update_or_create(
        site=site, defaults={"allowed_by_default": True, "needs_author_consent": False}
    )
    SharingRule.objects.create(network="x", allowed=False)
    SharingRule.objects.create(
        content_type="blogs.blogpage", network="x", allowed=True, needs_author_consent=True
    )
    SharingRule.objects.create(content_type="experience_stories.experiencestorypage", allowed=False)

    def expected(case, network):
        if not case.public or case.kind == "story":
            return False
        if network == "x":
            return case.kind == "blog" and case.consents
        return True

    return expected


def _policy_ties_and_communities(site, carers):
    """Open without consent; the Carers community's page never leaves; questions not on
    Facebook, and Facebook only with consent: the tie between those two is a denial."""
    SharingSettings.objects.update_or_create(
        site=site, defaults={"allowed_by_default": True, "needs_author_consent": False}
    )
    SharingRule.objects.create(community=carers, allowed=False)
    SharingRule.objects.create(content_type="questions.questionpage", allowed=False)
    SharingRule.objects.create(network="facebook", allowed=True, needs_author_consent=True)

    def expected(case, network):
        if not case.public or case.in_carers or case.kind == "question":
            return False
        if network == "facebook":
            return case.consents
        return True

    return expected


POLICIES = [
    _policy_default_consent,
    _policy_closed_but_articles,
    _policy_layers,
    _policy_ties_and_communities,
]


def _make_item(kind, *, parents, audience, community, consents, author):
    factory, parent = {
        "blog": (BlogPageFactory, parents["blogs"]),
        "article": (ExpertArticlePageFactory, parents["expert-articles"]),
        "story": (ExperienceStoryPageFactory, parents["experiences"]),
        "question": (QuestionPageFactory, parents["questions"]),
    }[kind]
    return factory(
        parent=parent,
        author=author,
        audience=audience,
        community=community if audience == Audience.COMMUNITY else None,
        may_be_shared=consents,
    )


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy.__name__.strip("_"))
def test_buttons_cards_and_the_endpoint_agree(client, portal, policy):
    home, sections = portal
    site = home.get_site()
    communities = CommunityIndexPage.objects.get()
    carers = CommunityPageFactory(parent=communities, title="Carers", slug="carers")
    newly = CommunityPageFactory(parent=communities, title="Newly diagnosed", slug="newly")
    hidden = CommunityPageFactory(
        parent=communities, title="Hidden", slug="hidden", is_listed=False
    )
    reader = UserFactory(display_name="Reader")
    author = UserFactory(display_name="Author Person")
    for community in (carers, newly, hidden):
        CommunityMembershipFactory(community=community, user=reader)
    expected = policy(site, carers)

    cases = []
    for kind in KINDS:
        for audience in AUDIENCES:
            for consents in (False, True):
                page = _make_item(
                    kind,
                    parents=sections,
                    audience=audience,
                    community=newly,
                    consents=consents,
                    author=author,
                )
                cases.append((page, Case(kind, audience == Audience.EVERYONE, consents, False)))
    for community in (carers, newly, hidden):
        cases.append((community, Case("community", community.is_listed, True, community is carers)))

    client.force_login(reader)  # a reader who may read every one of them
    for page, case in cases:
        html = client.get(page.url).content.decode()
        buttons = {network for page_id, network in BUTTON.findall(html) if int(page_id) == page.pk}
        wanted = {network for network in NETWORKS if expected(case, network)}
        assert buttons == wanted, (case, buttons, wanted)
        head = html.split("</head>", 1)[0]
        assert bool(CARD.search(head)) == bool(wanted), case
        if case.kind != "community":
            assert (NOINDEX in head) == (not wanted), case
        for network in NETWORKS:
            before = ShareCount.objects.count()
            data = {"instance": "mastodon.example"} if network == "mastodon" else {}
            status = client.post(reverse("sharing:share", args=[page.pk, network]), data)
            if network in wanted:
                assert status.status_code == 303, (case, network)
            else:
                assert status.status_code == 403, (case, network)
                assert ShareCount.objects.count() == before


@pytest.mark.parametrize("audience", [Audience.MEMBERS, Audience.COMMUNITY])
def test_a_visitor_sees_no_card_on_what_is_not_public(client, portal, audience):
    home, sections = portal
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    SharingSettings.objects.update_or_create(
        site=home.get_site(), defaults={"allowed_by_default": True, "needs_author_consent": False}
    )
    item = _make_item(
        "article",
        parents=sections,
        audience=audience,
        community=community,
        consents=True,
        author=UserFactory(),
    )

    response = client.get(item.url)

    assert response.status_code == 403  # the teaser
    html = response.content.decode()
    assert not CARD.search(html)
    assert not BUTTON.search(html)
    assert NOINDEX in html
