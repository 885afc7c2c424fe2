"""Communities and memberships for tests.

``CommunityPageFactory(parent=community_index)`` publishes a community under
the communities index (``CommunityIndexPage.objects.get()`` after the
``portal`` fixture), as a Community manager would; ``publish=False`` leaves a
draft. ``CommunityMembershipFactory(community=..., user=...)`` makes an active
member who accepted the current rules; pass ``state=``/``role=`` for others.
"""

from django.utils import timezone
from django.utils.text import slugify

import factory

from core.models import CommunityMembership, CommunityPage

from .users import UserFactory


class CommunityPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityPage

    title = factory.Sequence(lambda n: f"Newly diagnosed {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    intro = "<p>People in their first year with MS, and those close to them.</p>"
    rules = "<p>Be kind. No medical advice as fact. What is said here stays here.</p>"
    join_policy = CommunityPage.JoinPolicy.OPEN
    is_listed = True

    @classmethod
    def _create(cls, model_class, *args, parent, publish=True, **kwargs):
        page = model_class(*args, live=False, **kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class CommunityMembershipFactory(factory.django.DjangoModelFactory):
    """An active member (role ``member``) who accepted the community's current rules."""

    class Meta:
        model = CommunityMembership

    community = None  # required: CommunityMembershipFactory(community=...)
    user = factory.SubFactory(UserFactory)
    role = CommunityMembership.Role.MEMBER
    state = CommunityMembership.State.ACTIVE
    rules_version = factory.LazyAttribute(lambda m: m.community.rules_version)
    rules_accepted_at = factory.LazyFunction(timezone.now)
