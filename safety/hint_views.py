"""The personal-data hints a writer's script asks for while they type.

``POST /safety/personal-data/`` with ``text`` (the title, summary and body as
one text) and optionally ``anonymous`` ("1" when the item is to be published
anonymously, so the writer's own name is flagged too). Answers JSON only:
``{"hints": [{start, end, text, kind, label}]}``, or ``{"error": ...}`` at
401 (not signed in, with ``login_url``), 400 (no usable ``text``), 413 (longer
than any writing form allows) or 429 (too many checks in a short time).
Nothing is stored: the text is checked and forgotten.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from django_ratelimit.core import is_ratelimited

from core.responses import login_url_for

from .hints import MAX_TEXT_LENGTH, personal_data_hints

# Checks per member per window. The script checks once on load and after each
# pause in typing (800 ms), which a writer stays below; the bound is for a
# script sending on its own: a full form dense with numbers costs the detector
# seconds (phonenumbers' matcher), so one member cannot keep a process busy.
# Deployments (and tests) may override it with SAFETY_HINTS_THROTTLE_RATE.
THROTTLE_RATE = "30/m"
SIGN_IN_MESSAGE = gettext_lazy("Sign in to have what you write checked for personal data.")
MISSING_MESSAGE = gettext_lazy("Send the text to check as “text”.")
TOO_LONG_MESSAGE = format_lazy(
    gettext_lazy(
        "This text is longer than a contribution can be ({limit} characters), "
        "so it was not checked."
    ),
    limit=lazy(lambda: number_format(MAX_TEXT_LENGTH, force_grouping=True), str)(),
)
THROTTLED_MESSAGE = gettext_lazy(
    "You have asked for many checks in a short time. Checking pauses for a minute; "
    "your text is not affected."
)
TRUE_VALUES = {"1", "true", "on", "yes"}


def _error(message: str, status: int, **extra: str) -> JsonResponse:
    return JsonResponse({"error": str(message), **extra}, status=status)


def _back_to(request: HttpRequest) -> str:
    """The page the script was on (this site's only), where signing in should lead back."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def _throttled(request: HttpRequest) -> bool:
    return is_ratelimited(
        request,
        group="safety.personal_data_hints",
        key=lambda group, request: str(request.user.pk),
        rate=getattr(settings, "SAFETY_HINTS_THROTTLE_RATE", THROTTLE_RATE),
        increment=True,
    )


@never_cache
@require_POST
def personal_data_hints_view(request: HttpRequest) -> JsonResponse:
    """What looks like personal data in the posted ``text``, for the signed-in writer.

    The writer's own names are not flagged (``safety.hints.personal_data_hints``)
    unless ``anonymous`` is sent. CSRF applies as to every POST.
    """
    if not request.user.is_authenticated:
        return _error(SIGN_IN_MESSAGE, 401, login_url=login_url_for(_back_to(request)))
    if _throttled(request):
        return _error(THROTTLED_MESSAGE, 429)
    values = request.POST.getlist("text")
    if len(values) != 1:
        return _error(MISSING_MESSAGE, 400)
    text = values[0]
    if len(text) > MAX_TEXT_LENGTH:
        return _error(TOO_LONG_MESSAGE, 413)
    anonymous = request.POST.get("anonymous", "").strip().lower() in TRUE_VALUES
    hints = personal_data_hints(text=text, author=request.user, anonymous=anonymous)
    return JsonResponse({"hints": [hint.as_json() for hint in hints]})
