from django.utils.functional import SimpleLazyObject

from wagtail.models import Site


def _section_links(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().only("title", "url_path"))


def site_navigation(request):
    """The sections shown in the header; evaluated only by templates that use it."""
    return {"nav_sections": SimpleLazyObject(lambda: _section_links(request))}
