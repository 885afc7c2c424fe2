"""The demo's communities and who belongs to them (``portal.demo.community_content``).

Community pages are published by the demo community manager, as in the
admin; memberships are written directly (as the demo's comments are): the
services' pace, notifications and rules checks are for people, not for
seeding. Running it again adds only what is missing and changes no row a
person has since changed on the site (leaving, accepting an invitation).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from accounts.models import ConsentEvent
from accounts.services import consent_event_record
from core.models import CommunityIndexPage, CommunityMembership, CommunityPage
from portal.demo import community_content as spec


def demo_communities_ensure(*, manager: AbstractBaseUser) -> dict[str, CommunityPage]:
    """The four demo communities by slug, creating and publishing those that are missing."""
    index = CommunityIndexPage.objects.get()
    existing = {page.slug: page for page in CommunityPage.objects.child_of(index)}
    communities = {}
    for fields in spec.COMMUNITIES:
        page = existing.get(fields["slug"])
        if page is None:
            page = CommunityPage(**fields, owner=manager)
            index.add_child(instance=page)
            page.save_revision(user=manager).publish(user=manager)
        communities[fields["slug"]] = page
    return communities


def demo_memberships_ensure(
    *, communities: dict[str, CommunityPage], accounts: dict[str, AbstractBaseUser]
) -> int:
    """Create the demo memberships that are missing; returns how many were created.

    Active members accepted the community's current rules; an invitation names
    the community's demo moderator as the one who invited.
    """
    now = timezone.now()
    moderators = {
        slug: accounts[username]
        for slug, username, _state, role in spec.MEMBERSHIPS
        if role == CommunityMembership.Role.MODERATOR
    }
    created = 0
    for slug, username, state, role in spec.MEMBERSHIPS:
        community = communities[slug]
        active = state == CommunityMembership.State.ACTIVE
        _membership, new = CommunityMembership.objects.get_or_create(
            community=community,
            user=accounts[username],
            defaults={
                "state": state,
                "role": role,
                "rules_version": community.rules_version if active else None,
                "rules_accepted_at": now if active else None,
                "show_on_profile": (slug, username) in spec.SHOWN_ON_PROFILE,
                "invited_by": (
                    moderators.get(slug) if state == CommunityMembership.State.INVITED else None
                ),
            },
        )
        if new and active:
            # As accepting the rules on the community's page would: one ledger entry.
            consent_event_record(
                user=accounts[username],
                kind=ConsentEvent.Kind.COMMUNITY_RULES,
                action=ConsentEvent.Action.GRANT,
                version=str(community.rules_version),
                scope=f"{ConsentEvent.COMMUNITY_SCOPE}{community.pk}",
                channel=ConsentEvent.Channel.SYSTEM,
            )
        created += new
    return created
