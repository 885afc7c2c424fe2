"""Who may read an item: the audiences an author chooses from, widest first."""

from django.db import models
from django.utils.translation import gettext_lazy


class Audience(models.TextChoices):
    """Who may read an item, from the widest to the narrowest."""

    EVERYONE = "everyone", gettext_lazy("Everyone")
    MEMBERS = "members", gettext_lazy("Members of Kindred")
    COMMUNITY = "community", gettext_lazy("A community")

    @classmethod
    def breadth(cls, audience: str) -> int:
        """How many people an audience reaches, as a rank: everyone 2, members 1, community 0."""
        return {cls.EVERYONE: 2, cls.MEMBERS: 1, cls.COMMUNITY: 0}[audience]


def audience_is_narrowing(
    *,
    old_audience: str,
    old_community_id: int | None,
    new_audience: str,
    new_community_id: int | None,
) -> bool:
    """Whether moving an item from the old audience to the new one reaches nobody new.

    Everyone > members > one community. The same audience is no widening.
    Moving from one community to another reaches new people, so it is not
    narrowing; it needs review like any widening.
    """
    if new_audience == Audience.COMMUNITY and old_audience == Audience.COMMUNITY:
        return new_community_id == old_community_id
    return Audience.breadth(new_audience) <= Audience.breadth(old_audience)
