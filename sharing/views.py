"""The share endpoint and the continue page: parse, ask the policy, record, redirect.

``POST /share/<page id>/<network>/`` answers:

- 404 when the page does not exist for the requester (a draft, someone
  else's community item, a made-up id) or the network is unknown: exactly as
  a missing page answers;
- 403, recording nothing, when the policy refuses the share;
- 400 when a Mastodon server's name is not one;
- otherwise 303 to the network's share address (or to Kindred's continue
  page, see ``sharing.networks``), having counted the share.

A client sharing faster than ``SHARE_THROTTLE_RATE`` still gets its share
address, but the share is not counted: the log cannot be inflated, and
nobody is kept from sharing. GET is refused (405): a share changes state.

CSRF (issue 17): a signed-in member's share is checked as every form is
(token and origin, Django's own middleware). A visitor's share form carries no
token, so that the page it sits on is the same for every visitor and can be
served from the page cache; the share is accepted only when the browser says
it comes from this site (``Origin``, or ``Referer`` when a browser sends no
``Origin``), otherwise 403 and nothing is counted. CSRF protects a session's
authority; a visitor has none to borrow, and the origin check still keeps
other sites from inflating the share log through visitors' browsers.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import DisallowedHost, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wagtail.models import Page, Site

from django_ratelimit.core import is_ratelimited

from core.clients import client_key
from core.selectors import readable_content

from .networks import NETWORKS, Network, instance_host
from .selectors import page_sharing, shared_address
from .services import share_record

SHARE_THROTTLE_RATE = "30/m"
CONTINUE_SALT = "kindred.sharing.continue"
# A continue link is followed at once; an old one is not honoured.
CONTINUE_MAX_AGE = 10 * 60
CONTINUE_TOKEN_MAX_LENGTH = 2000
REFUSED_TEMPLATE = "sharing/refused.html"


@dataclass(frozen=True)
class ShareRequest:
    """A share asked for: the network and, for Mastodon, the reader's server."""

    network: Network
    instance: str = ""


# Larger ids do not fit the database's column (PostgreSQL would refuse the query).
MAX_PAGE_ID = 2**31 - 1


def _readable_page(request: HttpRequest, page_id: int) -> Page:
    """The live page ``page_id`` if the requester may read it, else 404 as for a missing one."""
    if page_id > MAX_PAGE_ID:
        raise Http404(_("There is no such page."))
    queryset = readable_content(user=request.user, queryset=Page.objects.filter(pk=page_id))
    page = queryset.first()
    if page is None:
        raise Http404(_("There is no such page."))
    return page.specific


def _refused(request: HttpRequest, message: str, status: int) -> TemplateResponse:
    return TemplateResponse(request, REFUSED_TEMPLATE, {"message": message}, status=status)


def _throttled(request: HttpRequest) -> bool:
    return is_ratelimited(
        request,
        group="sharing.client",
        key=lambda group, request: client_key(request, salt=group),
        rate=getattr(settings, "SHARING_THROTTLE_RATE", SHARE_THROTTLE_RATE),
        increment=True,
    )


CROSS_SITE_MESSAGE = gettext_lazy(
    "This share did not come from a page of this site, so nothing was shared."
)


def _from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says this POST comes from one of this site's pages.

    ``Origin`` when sent (every current browser sends it with a POST), else
    ``Referer`` (sent to the same origin under Kindred's same-origin referrer
    policy); neither, or ``null``, is refused. ``CSRF_TRUSTED_ORIGINS`` count
    as this site, as for Django's own check.
    """
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    trusted = {own, *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in trusted
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.scheme and referer.netloc) and (
        f"{referer.scheme}://{referer.netloc}" in trusted
    )


def _forgery_refusal(request: HttpRequest) -> HttpResponse | None:
    """The refusal of a forged share, or None (see the module docstring: CSRF)."""
    if request.user.is_authenticated:
        # Django's own check, token and origin, exactly as for every other form.
        return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
    if getattr(request, "_dont_enforce_csrf_checks", False):
        return None  # Django's test client without enforce_csrf_checks, as the middleware does
    if not _from_this_site(request):
        return _refused(request, str(CROSS_SITE_MESSAGE), 403)
    return None


@csrf_exempt  # checked in the view: the token for members, the origin for visitors
@require_POST
def share(request: HttpRequest, page_id: int, network: str) -> HttpResponse:
    """Record a share of page ``page_id`` to ``network`` and send the browser on (see above)."""
    refusal = _forgery_refusal(request)
    if refusal is not None:
        return refusal
    if network not in NETWORKS:
        raise Http404(_("There is no such network."))
    page = _readable_page(request, page_id)
    asked = ShareRequest(network=NETWORKS[network])
    if asked.network.needs_instance:
        try:
            asked = ShareRequest(
                network=asked.network, instance=instance_host(request.POST.get("instance", ""))
            )
        except ValidationError as error:
            return _refused(request, error.messages[0], 400)
    decision = page_sharing(page=page, site=Site.find_for_request(request)).decisions[network]
    if not decision.allowed:
        return _refused(
            request,
            _("This page may not be shared there. %(reason)s") % {"reason": decision.reason},
            403,
        )
    if not _throttled(request):
        share_record(page=page, network=network)
    target = asked.network.share_address(
        url=shared_address(page), title=page.seo_title or page.title, instance=asked.instance
    )
    if asked.network.origin is None:
        token = signing.dumps(
            {"to": target, "network": network, "back": page.url}, salt=CONTINUE_SALT
        )
        target = f"{reverse('sharing:continue')}?t={token}"
    return HttpResponseRedirect(target, status=303)


@require_GET
def share_continue(request: HttpRequest) -> TemplateResponse:
    """The last step of a share that cannot be a redirect: a link (Mastodon, email) or the
    address to copy. The target was built by ``share`` and signed, so no one can send a
    reader elsewhere through this page."""
    token = request.GET.get("t", "")
    try:
        if len(token) > CONTINUE_TOKEN_MAX_LENGTH:
            raise signing.BadSignature
        data = signing.loads(token, salt=CONTINUE_SALT, max_age=CONTINUE_MAX_AGE)
        network, target, back = NETWORKS[data["network"]], str(data["to"]), data.get("back")
    except (signing.BadSignature, KeyError, TypeError, AttributeError):
        return _refused(
            request,
            _("This sharing link has expired. Go back to the page and share it again."),
            400,
        )
    context = {"network": network, "target": target, "back": back if isinstance(back, str) else ""}
    return TemplateResponse(request, "sharing/continue.html", context)
