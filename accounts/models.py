from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.validators import DISPLAY_NAME_MAX_LENGTH, validate_display_name
from core import consent, pseudonyms

# Shown when someone has no display name yet (staff made on the command line).
# Never the username: members' usernames are random and would look broken,
# and a staff username may be a real name.
FALLBACK_PUBLIC_NAME = "Kindred member"


class User(AbstractUser):
    """A person who signs in: member, expert, reviewer or administrator.

    The display name is the only name ever shown publicly; members may use a
    pseudonym. First and last names stay private (they exist for staff).
    Members' usernames are random (``member-<hex>``) and never shown.
    """

    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        blank=True,
        validators=[validate_display_name],
        help_text="Shown publicly next to everything you write. A pseudonym is fine.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # One account per address, whatever the case; staff accounts made
            # without an email are allowed.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
        ]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        """The name to show to other people: the display name, never the email or username.

        Where this account must go by a pseudonym (``core.pseudonyms``: an
        anonymous asker in front of a reviewer), the pseudonym.
        """
        return pseudonyms.name_shown_for(self.pk) or self.display_name or FALLBACK_PUBLIC_NAME

    def get_full_name(self):
        """The public name, for Wagtail and Django, which name users by ``get_full_name``.

        Wagtail falls back to the username when this is empty, and shows it in
        the review queue, page histories and reviewers' emails: a member's
        random username, or a staff member's real one. First and last names
        stay private.
        """
        return self.public_name


class Consent(models.Model):
    """One agreement by a member to one version of a text in ``core.consent``.

    Records are never edited except to note a withdrawal, so the account page
    and any audit can show exactly what was agreed to, and when. Agreeing to a
    newer version adds a row; the older one stays as history.
    """

    class Kind(models.TextChoices):
        GUIDELINES = consent.GUIDELINES, "Community guidelines"
        HEALTH_DATA = consent.HEALTH_DATA, "Processing of health information"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind"], name="accounts_consent_user_kind")]
        constraints = [
            # At most one standing agreement per text version, so a double
            # submit cannot create two and "withdraw" always closes them all.
            models.UniqueConstraint(
                fields=["user", "kind", "version"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="accounts_consent_one_standing_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="accounts_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version} ({self.user_id})"

    @property
    def is_standing(self):
        """Given and not withdrawn (whatever the version)."""
        return self.withdrawn_at is None

    @property
    def is_current(self):
        """Standing, and for the version of the text in force today."""
        return self.is_standing and self.version == consent.CURRENT[self.kind].version
