"""A member's public face: handle, bio, avatar, conditions of interest, visibility."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse

from portal import roles

BIO_MAX_LENGTH = 500
HANDLE_MAX_LENGTH = 60


@dataclass(frozen=True)
class RoleBadge:
    """What the badge next to a name says; ``key`` picks its CSS class."""

    key: str
    label: str

    @property
    def css_class(self):
        return f"badge badge-{self.key}"


EXPERT_BADGE = RoleBadge("expert", "Verified expert")
REVIEWER_BADGE = RoleBadge("reviewer", "Reviewer")
MEMBER_BADGE = RoleBadge("member", "Member")


def role_badge_for(user):
    """The badge ``user`` carries, derived from their groups (never stored).

    Iterates ``user.groups.all()`` so that a ``prefetch_related("user__groups")``
    serves it without a query per person. Expert comes first: a clinician who
    also reviews is shown to readers as the expert they are.
    """
    names = {group.name for group in user.groups.all()}
    if roles.EXPERTS in names:
        return EXPERT_BADGE
    if names & {roles.EDITORS, roles.MEDICAL_REVIEWERS}:
        return REVIEWER_BADGE
    return MEMBER_BADGE


class ProfileVisibility(models.TextChoices):
    """Who may see a profile (and so whose bylines link to it)."""

    EVERYONE = "everyone", "Everyone, including visitors who are not signed in"
    MEMBERS = "members", "Signed-in members only"
    ONLY_ME = "only_me", "Only me"


class Profile(models.Model):
    """One per user, made on demand by ``social.services.profile_get_or_create``.

    ``handle`` is the only identifier in profile URLs: it is made from the
    display name and a random suffix, never from the username or email, and
    it does not change afterwards so links keep working.
    """

    Visibility = ProfileVisibility

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    handle = models.SlugField(max_length=HANDLE_MAX_LENGTH, unique=True, editable=False)
    bio = models.CharField(max_length=BIO_MAX_LENGTH, blank=True)
    # Only ever written by social.avatars after re-encoding; the name is random.
    avatar = models.ImageField(upload_to="avatars/", blank=True, max_length=200)
    conditions = models.ManyToManyField(
        "portal.Condition",
        blank=True,
        related_name="interested_profiles",
        verbose_name="conditions of interest",
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # Opt-in for the later "people like me" suggestions; off until asked for.
    show_in_suggestions = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=ProfileVisibility.values),
                name="social_profile_visibility_valid",
            ),
            # Blank handles would make /members/ ambiguous.
            models.CheckConstraint(
                condition=~models.Q(handle=""), name="social_profile_handle_not_blank"
            ),
        ]

    def __str__(self):
        return self.handle

    def get_absolute_url(self):
        return reverse("social:profile_detail", kwargs={"handle": self.handle})

    def is_visible_to(self, viewer):
        """Whether ``viewer`` (a user or AnonymousUser) may see this profile.

        Pure Python on already-loaded fields, so templates and bylines can ask
        it for every item of a listing without a query. A deactivated account
        has no public profile.
        """
        if not self.user.is_active:
            return False
        if viewer is not None and viewer.is_authenticated and viewer.pk == self.user_id:
            return True
        if self.visibility == self.Visibility.EVERYONE:
            return True
        if self.visibility == self.Visibility.MEMBERS:
            return viewer is not None and viewer.is_authenticated
        return False

    @property
    def role_badge(self):
        return role_badge_for(self.user)

    @property
    def initials(self):
        """Up to two letters shown in place of an avatar (no Gravatar, ever)."""
        return initials_for(self.user.display_name)


def initials_for(name):
    """The first letter of the first two words of ``name``, or "?"."""
    letters = [word[0] for word in (name or "").split() if word[:1].isalnum()]
    return "".join(letters[:2]).upper() or "?"
