from django import template

from core.models import ContentPage

register = template.Library()


@register.filter
def joined_rating_summary(item):
    """``item.rating_summary`` if the listing joined it (``select_related``), else None.

    Never queries: a listing that forgot the join shows no rating rather than
    costing a query per card, and an unrated item (no summary row) gives None
    instead of raising ``RelatedObjectDoesNotExist``.
    """
    descriptor = ContentPage.rating_summary
    if not isinstance(item, ContentPage) or not descriptor.is_cached(item):
        return None
    # The join cached either the row or None; neither read touches the database.
    return descriptor.related.get_cached_value(item)
