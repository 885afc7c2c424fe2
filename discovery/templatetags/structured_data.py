"""``{% structured_data page %}``: the schema.org JSON-LD of a public item, in the page's head.

Usage (``core/content_page.html``'s ``structured_data`` block, which ``base.html``
places in ``<head>``)::

    {% load structured_data %}{% structured_data page %}

Renders nothing for a page a visitor may not read (``discovery.structured_data``).
A question page's answers come from the context's ``qa``, read by the page itself.
"""

from typing import Any

from django import template

from discovery.structured_data import item_structured_data, json_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_data(context: Any, page: Any) -> str:
    """The ``<script type="application/ld+json">`` element for ``page``, or ""."""
    if page is None:
        return ""
    data = item_structured_data(page, request=context.get("request"), qa=context.get("qa"))
    return json_ld(data) if data is not None else ""
