"""The rating endpoint: a form POST from the star widget, with or without JavaScript."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import floatformat
from django.utils.html import strip_tags
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from django_ratelimit.core import is_ratelimited

from core.clients import client_key
from core.refusals import Refused
from core.responses import done, login_url_for, not_found, refusal_response, sign_in_required

from .browser import (
    browser_id,
    browser_token_is_invalid,
    delete_browser_cookie,
    new_browser_id,
    set_browser_cookie,
)
from .forms import RatingForm
from .selectors import anonymous_ratings_allowed, rateable_page
from .services import MemberBrowser, RatingRefused, anonymous_key_for, rating_upsert

# Attempts (valid or not) per window. Per member, per client address for
# everyone, and stricter per address for anonymous votes, since clearing the
# cookie is all it takes to vote again. "anonymous_item" is different: new
# visitor ratings stored per item, from all addresses together (see
# ratings.services.rating_upsert), so many addresses cannot stuff one item.
# Deployments (and tests) may override any of them with RATINGS_THROTTLE_RATES.
DEFAULT_THROTTLE_RATES = {
    "member": "10/m",
    "client": "30/m",
    "anonymous_client": "10/h",
    "anonymous_item": "20/h",
}
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
UNVERIFIED_BROWSER_MESSAGE = gettext_lazy(
    "Your browser sent a rating key that we could not verify, so we have removed it "
    "and your rating was not saved. Please rate again."
)
THROTTLED_MESSAGE = gettext_lazy(
    "You have rated a lot in a short time, so we have paused ratings from here "
    "for a moment. Please try again in a few minutes."
)
NOT_FOUND_MESSAGE = gettext_lazy("There is no published item to rate here.")
SIGN_IN_MESSAGE = gettext_lazy("Sign in to rate.")


def _throttle_rates():
    return {**DEFAULT_THROTTLE_RATES, **getattr(settings, "RATINGS_THROTTLE_RATES", {})}


def _visitor_limit():
    """The per-item cap on new visitor ratings as ``(count, seconds)``, from e.g. "20/h"."""
    count, period = _throttle_rates()["anonymous_item"].split("/")
    return int(count), PERIOD_SECONDS[period]


def _client_key(group, request):
    return client_key(request, salt="ratings.client")


def _member_key(group, request):
    return str(request.user.pk)


def _throttled(request):
    """Count this attempt against every throttle that applies; True if any is exceeded."""
    rates = _throttle_rates()
    checks = [("ratings.client", _client_key, rates["client"])]
    if request.user.is_authenticated:
        checks.append(("ratings.member", _member_key, rates["member"]))
    else:
        checks.append(("ratings.anonymous", _client_key, rates["anonymous_client"]))
    # Evaluate every check (no short-circuit) so each counter sees the attempt.
    results = [
        is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
        for group, key, rate in checks
    ]
    return any(results)


def _refused(
    request: HttpRequest, refusal: Refused, *, page=None, login_url: str | None = None
) -> HttpResponse:
    """The refusal as JSON or as the ratings refusal page, with where to sign in if it helps."""
    return refusal_response(
        request,
        refusal,
        template="ratings/refused.html",
        context={"rated_page": page, "login_url": login_url},
        json={"login_url": login_url} if login_url else None,
    )


def _summary_words(summary, your_score: int) -> dict:
    """The widget's sentences, worded as the template words them, for ratings.js.

    The same msgids as templates/ratings/includes/page_rating.html, so both read
    alike; ``summary_average`` is the average as written in the sentence (4,5 in
    German), so the script can set it in bold. Plain text: the script uses textContent.
    """
    average = floatformat(summary.average, 1)
    if summary.count:
        sentence = ngettext(
            "Rated <strong>%(average)s</strong> out of 5 from %(counter)s rating",
            "Rated <strong>%(average)s</strong> out of 5 from %(counter)s ratings",
            summary.count,
        ) % {"average": average, "counter": summary.count}
        text = strip_tags(sentence)
    else:
        text = gettext("No ratings yet")
    return {
        "summary": text,
        "summary_average": average if summary.count else "",
        "your_rating": ngettext(
            "Your rating: %(counter)s star", "Your rating: %(counter)s stars", your_score
        )
        % {"counter": your_score},
        "legend": gettext("Change your rating"),
    }


def _page_url(request, page):
    return page.get_url(request=request) or "/"


@require_POST
def rate(request, page_id):
    """Rate a readable content page 1–5 stars as the signed-in member (or anonymous browser).

    Answers JSON ``{average, count, your_score}`` (numbers) with the widget's
    sentences in the reader's language (``summary``, ``summary_average``,
    ``your_rating``, ``legend``) to ``Accept: application/json``,
    otherwise redirects back to the page with a message. A visitor without a
    rater token gets one with their first vote; one whose token does not verify
    is refused (400) and the token removed (see ``ratings.browser``).
    """
    if _throttled(request):
        return _refused(request, Refused(str(THROTTLED_MESSAGE), status=429))
    page = rateable_page(user=request.user, page_id=page_id)
    if page is None:
        return not_found(request, str(NOT_FOUND_MESSAGE))

    user, raw_browser_id, anonymous_key, browser_key = None, None, None, None
    if request.user.is_authenticated:
        user = request.user
        # A member's browser token is linked to them, so it cannot vote again
        # once they sign out; where visitors may rate, a browser without one
        # (or with one that does not verify) is given one to link.
        raw_id = browser_id(request)
        if raw_id is None and anonymous_ratings_allowed(request):
            raw_id = raw_browser_id = new_browser_id()
        browser_key = anonymous_key_for(raw_id) if raw_id else None
    elif anonymous_ratings_allowed(request):
        if browser_token_is_invalid(request):
            response = _refused(
                request, Refused(str(UNVERIFIED_BROWSER_MESSAGE), status=400), page=page
            )
            delete_browser_cookie(response)
            return response
        raw_browser_id = browser_id(request) or new_browser_id()
        anonymous_key = anonymous_key_for(raw_browser_id)
    else:
        return sign_in_required(
            request, next_url=_page_url(request, page), message=str(SIGN_IN_MESSAGE)
        )

    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refused(request, Refused(form.message, status=400), page=page)
    try:
        rating, summary = rating_upsert(
            page=page,
            score=form.cleaned_data["score"],
            user=user,
            anonymous_key=anonymous_key,
            browser_key=browser_key,
            visitor_limit=_visitor_limit() if anonymous_key else None,
        )
    except RatingRefused as refusal:
        login_url = (
            login_url_for(_page_url(request, page)) if isinstance(refusal, MemberBrowser) else None
        )
        return _refused(request, refusal, page=page, login_url=login_url)

    response = done(
        request,
        message=ngettext(
            "Thank you: your rating of %(count)s star is saved.",
            "Thank you: your rating of %(count)s stars is saved.",
            rating.score,
        )
        % {"count": rating.score},
        redirect_to=_page_url(request, page),
        data={
            "average": float(summary.average),
            "count": summary.count,
            "your_score": rating.score,
            **_summary_words(summary, rating.score),
        },
    )
    if raw_browser_id is not None:
        set_browser_cookie(response, raw_browser_id, secure=request.is_secure())
    return response
