"""What a shareable page carries: the card (never the author), the invitation for visitors
who arrive by a shared link, and the cost in queries."""

import re

from django.conf import settings

import pytest

from core.models import CommunityIndexPage, Condition
from experience_stories.models import ExperienceStoryPage
from sharing.models import SharingSettings
from tests.factories import (
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    UserFactory,
)
from tests.factories.communities import CommunityPageFactory

pytestmark = pytest.mark.django_db

META = re.compile(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">')
INVITATION = "Someone shared this with you"


def card_of(html):
    return dict(META.findall(html.split("</head>", 1)[0]))


@pytest.fixture
def open_policy(portal):
    home, _sections = portal
    SharingSettings.objects.update_or_create(
        site=home.get_site(), defaults={"allowed_by_default": True, "needs_author_consent": False}
    )


def test_the_card_has_the_title_summary_address_and_the_sites_image(
    client, expert_index, open_policy
):
    article = ExpertArticlePageFactory(
        parent=expert_index, title="Fatigue & you", summary="What helps <really>."
    )

    card = card_of(client.get(article.url).content.decode())

    base = settings.KINDRED_BASE_URL.rstrip("/")
    assert card["og:title"] == card["twitter:title"] == "Fatigue &amp; you"
    assert card["og:description"] == "What helps &lt;really&gt;."
    assert card["og:url"] == f"{base}{article.url}"
    assert card["og:image"] == card["twitter:image"]
    assert card["og:image"].startswith(base) and card["og:image"].endswith("share-card.png")
    assert card["og:type"] == "article"


def test_the_card_never_names_the_author_nor_shows_their_picture_or_conditions(
    client, story_index, open_policy
):
    author = UserFactory(display_name="Zebedee Quill", username="zquill")
    condition = Condition.objects.create(name="Neuromyelitis optica", slug="nmo")
    story = ExperienceStoryPageFactory(
        parent=story_index, author=author, condition=condition, title="Ten years on"
    )
    assert isinstance(story, ExperienceStoryPage)

    html = client.get(story.url).content.decode()
    card = card_of(html)

    assert card, "the story may be shared, so it has a card"
    text = " ".join(card.values()).lower()
    for personal in ("zebedee", "quill", "zquill", "neuromyelitis", "avatar", "/media/"):
        assert personal not in text
    # The page itself still names its author: only the card leaves it out.
    assert "Zebedee Quill" in html


def test_a_visitor_arriving_by_a_shared_link_is_invited_to_join(
    client, expert_index, open_policy, member
):
    article = ExpertArticlePageFactory(parent=expert_index)

    arrived = client.get(f"{article.url}?via=share").content.decode()
    plain = client.get(article.url).content.decode()
    client.force_login(member)
    signed_in = client.get(f"{article.url}?via=share").content.decode()

    assert INVITATION in arrived and "Join Kindred" in arrived
    assert INVITATION not in plain
    assert INVITATION not in signed_in


def test_a_listed_community_page_may_be_shared_and_an_unlisted_one_never(client, portal):
    home, _sections = portal
    SharingSettings.objects.update_or_create(
        site=home.get_site(), defaults={"allowed_by_default": True, "needs_author_consent": True}
    )
    index = CommunityIndexPage.objects.get()
    listed = CommunityPageFactory(parent=index, title="Newly diagnosed")
    unlisted = CommunityPageFactory(parent=index, title="Private circle", is_listed=False)
    member = UserFactory()
    from tests.factories.communities import CommunityMembershipFactory

    CommunityMembershipFactory(community=unlisted, user=member)

    listed_html = client.get(listed.url).content.decode()
    client.force_login(member)
    unlisted_html = client.get(unlisted.url).content.decode()

    assert card_of(listed_html)["og:type"] == "website"
    assert f"/share/{listed.pk}/x/" in listed_html
    assert not card_of(unlisted_html)
    assert "/share/" not in unlisted_html


@pytest.mark.parametrize("rules", [0, 40])
def test_the_policy_costs_the_same_however_many_rules(
    client, expert_index, open_policy, django_assert_max_num_queries, rules
):
    from sharing.models import SharingRule
    from sharing.networks import NETWORKS

    index = CommunityIndexPage.objects.get()
    for number in range(rules):
        community = CommunityPageFactory(parent=index, title=f"Community {number}")
        SharingRule.objects.create(
            community=community, network=list(NETWORKS)[number % len(NETWORKS)], allowed=False
        )
    article = ExpertArticlePageFactory(parent=expert_index)

    # The item page's ceiling (tests/blogs/test_pages.py) holds with any number of rules.
    with django_assert_max_num_queries(21):
        response = client.get(article.url)
    assert response.status_code == 200
    assert card_of(response.content.decode())
