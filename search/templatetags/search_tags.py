"""Links that keep the search's query, filters and order (bookmarkable URLs)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def search_url(params, **changes):
    """The results URL for ``params`` with ``changes``; a new filter or order starts at page 1.

    Usage: ``{% search_url params type="blog" %}``, ``{% search_url params tag="" %}``
    (removes the tag filter), ``{% search_url params page=3 %}``.
    """
    if "page" not in changes:
        changes["page"] = 1
    query = urlencode(params.url_params(**changes))
    return reverse("search:results") + (f"?{query}" if query else "")
