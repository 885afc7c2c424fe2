"""Template context every page shares: the site's navigation."""

from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from core.selectors import site_links


def site_navigation(request):
    """``nav_sections`` for the header and ``footer_pages`` for the footer.

    Both come from one query (``core.selectors.site_links``), run only when
    a template uses either: a response without them (JSON, feeds) costs none.
    """
    links = SimpleLazyObject(lambda: site_links(site=Site.find_for_request(request)))
    return {
        "nav_sections": SimpleLazyObject(lambda: links.sections),
        "footer_pages": SimpleLazyObject(lambda: links.footer),
    }
