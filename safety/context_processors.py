"""Template context for every page: the sponsor's declaration and, when due, crisis help."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from safety.crisis_help import take_crisis_help
from safety.declarations import crisis_help_for, safety_settings_for


def safety(request: HttpRequest) -> dict:
    """``safety_declaration`` (the footer's and expert articles' text) and ``crisis_help``.

    Both are lazy: a response that uses neither (JSON, a feed) costs nothing, and the
    declaration comes from the cache (``safety.declarations``). ``crisis_help`` is None
    unless ``show_crisis_help`` marked the session; reading it clears the mark, so the
    help shows once, on the first page that renders it. A view that puts its own
    ``crisis_help`` in the context wins: Django's view context overrides processors, and
    this one is then never read (``crisis_help_for`` clears the mark itself).
    """

    def declaration() -> str:
        return safety_settings_for(Site.find_for_request(request)).sponsor_declaration.strip()

    def crisis_help():
        return crisis_help_for(request) if take_crisis_help(request) else None

    return {
        "safety_declaration": SimpleLazyObject(declaration),
        "crisis_help": SimpleLazyObject(crisis_help),
    }
