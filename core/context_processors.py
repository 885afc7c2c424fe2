"""Template context every page shares: the site's navigation."""

import hashlib

from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from core import fragments
from core.selectors import site_links


def _cached_links(site):
    """``site_links`` for ``site``, the same for everyone: from the cache while no page,
    restriction or site changed since (``core.fragments``), with the pages' addresses."""
    if site is None:
        return site_links(site=None)
    # The links' addresses carry the script prefix they were reversed under.
    prefix = hashlib.sha256(get_script_prefix().encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return fragments.cached(
        fragments.NAVIGATION, f"site:{site.pk}:{prefix}", lambda: site_links(site=site)
    )


def site_navigation(request):
    """``nav_sections`` for the header and ``footer_pages`` for the footer.

    Both come from one query (``core.selectors.site_links``), run only when
    a template uses either: a response without them (JSON, feeds) costs none,
    and kept in the cache between changes (issue 17), so most pages cost none.
    """
    # The header asks about the reader's permissions (Wagtail's user bar, the review
    # queue): from the cache, not two queries a page (core.fragments).
    fragments.hydrate_permissions(getattr(request, "user", None))
    links = SimpleLazyObject(lambda: _cached_links(Site.find_for_request(request)))
    return {
        "nav_sections": SimpleLazyObject(lambda: links.sections),
        "footer_pages": SimpleLazyObject(lambda: links.footer),
    }
