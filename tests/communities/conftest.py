"""The canary world: three communities, an item in every audience, and the people who read them.

Every private item carries its own words (``zq<item><part>canary``) in its
title, summary, body, tag, search description, comment, author's name and
editors' pick, so a failure names what leaked and where it came from. A
shared word (``SHARED``) and a shared public tag (``PUBLIC_TAG``) are on every
item, public ones too, so search, tag pages and feeds have something to show
everyone and the canaries have somewhere to hide.

Communities: ``a`` (listed), ``u`` (unlisted), ``b`` (listed). Items:
``public`` (everyone), ``members`` (members of Kindred), ``a``, ``u``, ``b``
(one per community). Personas:

- ``visitor``: not signed in;
- ``outsider``: signed in, a member of no community;
- ``b_member``: an active member of B;
- ``leaver``: was a member of A when the items were published (and was told
  about them), then left: the membership row is deleted, as leaving does;
- ``removed``: was a member of A, then removed (the row stays, ``removed``);
- ``a_member``: an active member of A, the positive control.

Every persona follows every author and the public tag before anything is
published, so the feed, notifications and digests have everything to offer.
What each persona may read is written out here (``READS``), never asked of
the code under test.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from taggit.models import Tag
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.rich_text import RichText

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership
from ratings.services import rating_upsert
from social.models import Profile
from social.notifications.services import notify_followed_publication
from social.services import follow_create, topic_follow_create
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    UserFactory,
)
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.html import without_csrf_tokens
from tests.search.fixtures import search_backend  # noqa: F401 (the database backend here)

# Planted in every item, public ones too: what searches look for.
SHARED = "plinthorama"
# On every item: a tag everyone may read, whose pages must list only what each reader may.
PUBLIC_TAG = "fatigue"
PARTS = ("title", "summary", "body", "tag", "desc", "comment", "author", "promo")

ITEMS = ("public", "members", "a", "u", "b")
PRIVATE_ITEMS = ("members", "a", "u", "b")
PERSONAS = ("visitor", "outsider", "b_member", "leaver", "removed", "a_member")
# What each persona may read, decided here from the memberships above.
READS = {
    "visitor": {"public"},
    "outsider": {"public", "members"},
    "b_member": {"public", "members", "b"},
    "leaver": {"public", "members"},
    "removed": {"public", "members"},
    "a_member": {"public", "members", "a"},
}
# Personas who were members of A when the items were published.
FORMER_A = ("leaver", "removed")


def word(item: str, part: str) -> str:
    """The canary for one part of one item: lower-case letters only, so search indexes it."""
    return f"zq{item}{part}canary"


def words_of(item: str, *, parts=PARTS) -> set[str]:
    return {word(item, part) for part in parts}


def hidden_words(persona: str, *, parts=PARTS) -> set[str]:
    """Every word of every item ``persona`` may not read, and of the unlisted community's name.

    ``parts`` narrows it (a profile page names its own member, for instance).
    """
    hidden = set()
    for item in PRIVATE_ITEMS:
        if item not in READS[persona]:
            hidden |= words_of(item, parts=parts)
    if "u" not in READS[persona]:
        hidden.add(UNLISTED_NAME_WORD)
    return hidden


UNLISTED_NAME_WORD = "zqunlistedcommunitycanary"


def leaks(text: str, forbidden: set[str]) -> set[str]:
    return {canary for canary in forbidden if canary in text}


def page_text(response) -> str:
    return without_csrf_tokens(response.content.decode(errors="replace"))


@dataclass
class World:
    communities: dict
    items: dict
    authors: dict
    personas: dict
    comments: dict = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        """A client signed in as ``persona`` (not signed in for the visitor)."""
        client = Client()
        user = self.personas[persona]
        if user is not None:
            client.force_login(user)
        return client

    def user(self, persona: str):
        return self.personas[persona] or AnonymousUser()


SECTION_OF = {
    "public": "blogs",
    "members": "blogs",
    "a": "blogs",
    "u": "stories",
    "b": "experts",
}
FACTORY_OF = {
    "blogs": BlogPageFactory,
    "stories": ExperienceStoryPageFactory,
    "experts": ExpertArticlePageFactory,
}


def build_world(*, blog_index, story_index, expert_index) -> World:
    """The communities, personas, follows, items, comments, ratings and picks (see above)."""
    index = CommunityIndexPage.objects.get()
    communities = {
        "a": CommunityPageFactory(parent=index, title="Newly diagnosed", slug="newly-diagnosed"),
        "u": CommunityPageFactory(
            parent=index, title=UNLISTED_NAME_WORD, slug="quiet-room", is_listed=False
        ),
        "b": CommunityPageFactory(parent=index, title="Carers and family", slug="carers"),
    }
    personas = {"visitor": None}
    for name in PERSONAS[1:]:
        personas[name] = with_consent(UserFactory(group="Members", display_name=f"Persona {name}"))
    CommunityMembershipFactory(community=communities["b"], user=personas["b_member"])
    for name in ("leaver", "removed", "a_member"):
        CommunityMembershipFactory(community=communities["a"], user=personas[name])

    authors = {}
    for item in ITEMS:
        author = with_consent(UserFactory(group="Members", display_name=word(item, "author")))
        ProfileFactory(user=author, visibility=Profile.Visibility.EVERYONE)
        if item in communities:
            CommunityMembershipFactory(community=communities[item], user=author)
        authors[item] = author

    # Everyone follows every author and the public tag before anything is published.
    public_tag = Tag.objects.create(name=PUBLIC_TAG, slug=PUBLIC_TAG)
    for user in personas.values():
        if user is None:
            continue
        topic_follow_create(follower=user, tag=public_tag)
        for author in authors.values():
            follow_create(follower=user, followee=author)

    sections = {"blogs": blog_index, "stories": story_index, "experts": expert_index}
    items = {}
    for item in ITEMS:
        audience = {"public": Audience.EVERYONE, "members": Audience.MEMBERS}.get(
            item, Audience.COMMUNITY
        )
        section = SECTION_OF[item]
        items[item] = FACTORY_OF[section](
            parent=sections[section],
            author=authors[item],
            title=f"{word(item, 'title')} {SHARED}",
            summary=f"{word(item, 'summary')} {SHARED}",
            search_description=word(item, "desc"),
            body=[("paragraph", RichText(f"<p>{word(item, 'body')} {SHARED} notes</p>"))],
            tags=[word(item, "tag"), PUBLIC_TAG],
            audience=audience,
            community=communities.get(item),
        )

    # The unlisted community's one reader besides its author, to rate its item.
    u_reader = UserFactory(group="Members", display_name="U reader")
    CommunityMembershipFactory(community=communities["u"], user=u_reader)
    raters = {
        "public": personas["outsider"],
        "members": personas["outsider"],
        "a": personas["a_member"],
        "u": u_reader,
        "b": personas["b_member"],
    }
    comments = {}
    for item in ITEMS:
        # What the worker does when Wagtail announces the publication (on commit,
        # which a test's transaction never reaches).
        notify_followed_publication(page=items[item])
        comments[item] = add_comment(
            items[item], authors[item], f"{word(item, 'comment')} {SHARED}"
        )
        rating_upsert(page=items[item], score=5, user=raters[item])

    query = Query.get(SHARED)
    for order, item in enumerate(ITEMS):
        SearchPromotion.objects.create(
            query=query, page=items[item], sort_order=order, description=word(item, "promo")
        )

    # The leaver leaves (leaving deletes the row); the removed member is removed.
    CommunityMembership.objects.filter(community=communities["a"], user=personas["leaver"]).delete()
    CommunityMembership.objects.filter(community=communities["a"], user=personas["removed"]).update(
        state=CommunityMembership.State.REMOVED, reason="Removed for the test"
    )
    return World(
        communities=communities,
        items=items,
        authors=authors,
        personas=personas,
        comments=comments,
    )


@pytest.fixture
def world(portal, blog_index, story_index, expert_index) -> World:
    return build_world(blog_index=blog_index, story_index=story_index, expert_index=expert_index)
