from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from wagtail.views import serve as wagtail_serve

from accounts.sign_in import local_next
from accounts.views import consent_text
from core.languages import content_language, language_options
from core.selectors import content_listing, paginate, readable_tag
from pagecache import LISTINGS, mark_public
from social.selectors import topic_followed


def tag_listing(request, slug):
    """Every readable item with this tag, across all content types."""
    tag = readable_tag(user=request.user, slug=slug)
    if tag is None:
        raise Http404("No published items carry this tag.")
    # An unknown ?lang= lists every language, as no filter does.
    language = content_language(request.GET.get("lang"))
    items = content_listing(
        user=request.user,
        tag_slug=tag.slug,
        language=language,
        # A position from a deep page's links (404 if it is not one).
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    # A visitor's tag page is the same for every visitor (stored only for them, issue 17).
    mark_public(request, tags=[LISTINGS])
    return TemplateResponse(
        request,
        "portal/tag_listing.html",
        {
            "tag": tag,
            "items": paginate(items, request.GET.get("page")),
            "items_language": language,
            "language_options": language_options(active=language),
            # For the "Follow this topic" button (signed-in readers only).
            "topic_followed": request.user.is_authenticated
            and topic_followed(user=request.user, tag=tag),
        },
    )


def sign_in_redirect(request):
    """Send one of Wagtail's own sign-in pages to the one sign-in (allauth's).

    Wagtail has two: the admin's (/admin/login/) and the one its private pages
    and documents use (/_util/login/). Neither applies Kindred's throttles,
    email confirmation or consent, so neither is served: whatever the method
    (a form posted with a password included), the answer is a redirect and no
    one is signed in. Only ``next`` is kept, and only if it is an address on
    this site (allauth checks it again before following it).
    """
    url = reverse("account_login")
    next_url = local_next(request.GET.get(REDIRECT_FIELD_NAME))
    if next_url:
        url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
    return HttpResponseRedirect(url)


@require_safe
def consent_page(request, kind):
    """A text members agree to, at the address the sign-up form and the account page use.

    Editors frame the versioned text with a Wagtail page at this address
    (``core.InformationPage``, made by setup_portal), which Wagtail serves.
    If that page is missing or unpublished, the bare versioned text is shown
    instead: members can always read what they agreed to.
    """
    try:
        return wagtail_serve(request, request.path_info.lstrip("/"))
    except Http404:
        return consent_text(request, kind=kind)
