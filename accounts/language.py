"""Choosing the interface language (issue 18).

Who gets which language, strongest first:

1. a signed-in member's saved choice (``User.language``, on the account page and
   through the footer's buttons): ``MemberLanguageMiddleware``;
2. the footer switcher's cookie (``settings.LANGUAGE_COOKIE_NAME``), which a
   visitor's footer link sets: Django's ``LocaleMiddleware``;
3. the browser's ``Accept-Language``: ``LocaleMiddleware`` too;
4. ``settings.LANGUAGE_CODE``.

Addresses carry no language prefix: a page has one address, and the public
page cache keys a stored page by the language (``pagecache.middleware``).

Visitors' footer links are GET requests (``?language=de``, back to the Referer), because
a visitor's public pages are stored for everyone and carry no CSRF token; all
they do is set this browser's cookie, like Django's own ``set_language`` minus
the POST. A member's choice changes their account, so it is a POST with a CSRF
token (members' pages are never stored).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.services import member_language_set
from core.i18n import supported_language

# A longer "next" was not made by our pages; it is ignored, never stored in a cookie.
NEXT_MAX_LENGTH = 2000
FOLLOW_BROWSER = ""


class MemberLanguageMiddleware:
    """Activate a signed-in member's saved language (after ``AuthenticationMiddleware``).

    ``LocaleMiddleware`` has already chosen from the cookie and the browser; a
    saved choice beats both, so a member reads Kindred in the same language on
    every device. ``request.user`` is lazy: visitors cost nothing, members one
    attribute read of the user the session already loads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            chosen = supported_language(user.language)
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)


@dataclass(frozen=True)
class LanguageChoice:
    """A request to switch language, parsed early.

    ``language``: a listed code, "" (follow the browser again) or None (refused);
    ``next_url``: a path on this site to go back to, else the home page.
    """

    language: str | None
    next_url: str

    @classmethod
    def parse(cls, request: HttpRequest, data: QueryDict) -> "LanguageChoice":
        raw = data.get("language", None)
        if raw is None or len(raw) > 16:
            language = None
        elif raw == FOLLOW_BROWSER:
            language = FOLLOW_BROWSER
        else:
            # Exactly a listed code: "de-AT" would be served as "de" but is not offered.
            language = raw if raw in dict(settings.LANGUAGES) else None
        # The footer sends no "next": the page it was on is the Referer (our
        # Referrer-Policy is same-origin, so only our own pages send one).
        for candidate in (data.get("next", ""), request.META.get("HTTP_REFERER", "")):
            if candidate and cls._safe(request, candidate):
                parts = urlsplit(candidate)  # this site's own: keep its path, query, fragment
                back = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
                return cls(language=language, next_url=back)
        return cls(language=language, next_url="/")

    @staticmethod
    def _safe(request: HttpRequest, url: str) -> bool:
        return len(url) <= NEXT_MAX_LENGTH and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )


def _remember(response: HttpResponse, language: str) -> None:
    """Set (or, to follow the browser again, delete) this browser's language cookie."""
    if language == FOLLOW_BROWSER:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE
        )
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def language_choose(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and go back to the page the person was reading.

    GET (the footer's links): this browser's cookie only. POST (a member's footer
    buttons and the account page's form): the member's saved language too; "" goes
    back to following the browser. Anything else is refused with a 400 page.
    """
    data = request.POST if request.method == "POST" else request.GET
    choice = LanguageChoice.parse(request, data)
    if choice.language is None or (choice.language == FOLLOW_BROWSER and request.method != "POST"):
        return TemplateResponse(
            request,
            "accounts/language_refused.html",
            {"languages": settings.LANGUAGES, "next_url": choice.next_url},
            status=400,
        )
    if request.method == "POST" and request.user.is_authenticated:
        member_language_set(user=request.user, language=choice.language)
        shown = supported_language(choice.language) or translation.get_language_from_request(
            request
        )
        with translation.override(shown):
            messages.success(request, _("Your language is saved."))
    response = HttpResponseRedirect(choice.next_url)
    _remember(response, choice.language)
    return response
