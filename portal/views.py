from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from wagtail.views import serve as wagtail_serve

from accounts.views import consent_text
from portal.selectors import content_listing, paginate, readable_tag
from social.selectors import topic_followed


def tag_listing(request, slug):
    """Every readable item with this tag, across all content types."""
    tag = readable_tag(user=request.user, slug=slug)
    if tag is None:
        raise Http404("No published items carry this tag.")
    items = content_listing(user=request.user, tag_slug=tag.slug)
    return TemplateResponse(
        request,
        "portal/tag_listing.html",
        {
            "tag": tag,
            "items": paginate(items, request.GET.get("page")),
            # For the "Follow this topic" button (signed-in readers only).
            "topic_followed": request.user.is_authenticated
            and topic_followed(user=request.user, tag=tag),
        },
    )


def admin_login_redirect(request):
    """Send the Wagtail admin's login to the one throttled sign-in, keeping ``next``."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))


@require_safe
def consent_page(request, kind):
    """A text members agree to, at the address the sign-up form and the account page use.

    Editors frame the versioned text with a Wagtail page at this address
    (``portal.InformationPage``, made by setup_portal), which Wagtail serves.
    If that page is missing or unpublished, the bare versioned text is shown
    instead: members can always read what they agreed to.
    """
    try:
        return wagtail_serve(request, request.path_info.lstrip("/"))
    except Http404:
        return consent_text(request, kind=kind)
