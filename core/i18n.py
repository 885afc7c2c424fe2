"""The interface languages (issue 18): which one a person gets, in one place.

Django's ``LocaleMiddleware`` chooses a visitor's language from the footer
switcher's cookie, else the browser's ``Accept-Language``; a member's saved
choice (``accounts.language``) beats both. Emails are not sent from a request:
they go out in the recipient's saved language, else the site's default.
"""

from django.conf import settings
from django.utils import translation


def supported_language(code: str | None) -> str | None:
    """``code`` as one of ``settings.LANGUAGES`` (``de-AT`` is ``de``), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_for(user) -> str:
    """The language to write to ``user`` in: their saved choice, else the site's default.

    Works for any object with a ``language`` attribute (or none: staff accounts
    made before issue 18, an ``AnonymousUser``).
    """
    return supported_language(getattr(user, "language", "")) or settings.LANGUAGE_CODE


def language_choices() -> list[tuple[str, str]]:
    """``settings.LANGUAGES`` as (code, name in its own language) pairs, for forms."""
    return [(code, name) for code, name in settings.LANGUAGES]
