from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person who signs in: member, expert, reviewer or administrator.

    The display name is the only name ever shown publicly; members may use a
    pseudonym. First and last names stay private (they exist for staff).
    """

    display_name = models.CharField(
        max_length=60,
        blank=True,
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
        """The name to show to other people: the display name, never the email."""
        return self.display_name or self.username
