"""A small world of communities for the discussion's community tests (not fixtures: a builder).

``community_world()`` (after the ``portal`` fixture) makes:

- ``a``: a listed community (hold a member's first 2 comments), with ``item_a``;
  its moderator ``mod_a`` and member ``member_a``;
- ``b``: another listed community (publish and rely on reports), with ``item_b``,
  its moderator ``mod_b`` and member ``member_b``;
- ``u``: an unlisted community with ``item_u`` (``member_a`` is not in it);
- ``outsider``: a member of Kindred in no community; ``left``: a former member of ``a``
  (the row deleted, as leaving does).

Everyone has agreed to the guidelines and health-data processing, so only
the community rules decide what they may do.
"""

from types import SimpleNamespace

from core.models import CommunityIndexPage, CommunityMembership, CommunityPage
from tests.discussion.conftest import with_consent
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

MODERATOR = CommunityMembership.Role.MODERATOR


def person(name: str):
    return with_consent(UserFactory(group="Members", display_name=name))


def community_item(community: CommunityPage, blog_index, title: str, author=None):
    """A published blog post whose audience is ``community``."""
    return BlogPageFactory(
        parent=blog_index,
        title=title,
        author=author or UserFactory(group="Members"),
        audience="community",
        community=community,
    )


def community_world(blog_index) -> SimpleNamespace:
    index = CommunityIndexPage.objects.get()
    a = CommunityPageFactory(
        parent=index,
        title="Newly diagnosed",
        moderation_preset=CommunityPage.ModerationPreset.HOLD_FIRST,
        hold_first_count=2,
    )
    b = CommunityPageFactory(
        parent=index,
        title="Carers and family",
        moderation_preset=CommunityPage.ModerationPreset.REPORTS,
    )
    u = CommunityPageFactory(parent=index, title="Quiet room", is_listed=False)
    world = SimpleNamespace(
        a=a,
        b=b,
        u=u,
        mod_a=person("Moderator Ada"),
        member_a=person("Member Alex"),
        mod_b=person("Moderator Bea"),
        member_b=person("Member Bo"),
        member_u=person("Member Uma"),
        outsider=person("Outsider Olu"),
        left=person("Former Fay"),
    )
    CommunityMembershipFactory(community=a, user=world.mod_a, role=MODERATOR)
    CommunityMembershipFactory(community=a, user=world.member_a)
    CommunityMembershipFactory(community=b, user=world.mod_b, role=MODERATOR)
    CommunityMembershipFactory(community=b, user=world.member_b)
    CommunityMembershipFactory(community=u, user=world.member_u)
    CommunityMembershipFactory(community=a, user=world.left).delete()
    world.item_a = community_item(a, blog_index, "First months with MS")
    world.item_b = community_item(b, blog_index, "Caring at night")
    world.item_u = community_item(u, blog_index, "Said quietly")
    return world
