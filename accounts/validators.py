"""Checks on the display name, the only name Kindred ever shows publicly."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

DISPLAY_NAME_MIN_LENGTH = 2
DISPLAY_NAME_MAX_LENGTH = 60

# Something@something.something anywhere in the name: a pseudonymous community
# must not nudge people into publishing their address.
EMAIL_LIKE = re.compile(r"\S+@\S+\.\S+")
# Joiners keep emoji sequences and some scripts intact; every other control,
# format (bidi overrides, zero-width spaces), private-use or unassigned code
# point is refused because it can hide or disguise a name.
ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


def validate_display_name(value):
    """Refuse display names that are too short, look like an email, or hide characters."""
    if len(value) < DISPLAY_NAME_MIN_LENGTH:
        raise ValidationError(
            gettext_lazy("Use at least %(min)d characters."),
            code="min_length",
            params={"min": DISPLAY_NAME_MIN_LENGTH},
        )
    for character in value:
        if unicodedata.category(character).startswith("C") and (
            character not in ALLOWED_FORMAT_CHARACTERS
        ):
            raise ValidationError(
                gettext_lazy("Use letters, numbers, spaces and punctuation only."),
                code="control_character",
            )
    if EMAIL_LIKE.search(value):
        raise ValidationError(
            gettext_lazy(
                "Your display name is shown to everyone, so it must not be an email address."
            ),
            code="email_like",
        )
