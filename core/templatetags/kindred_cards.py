"""What features add to a listing card, without the core naming any feature."""

from django import template

from core.hooks import card_stat_templates

register = template.Library()


@register.simple_tag
def card_stats_templates() -> list[str]:
    """The templates of the card's stats line that features registered (``core.hooks.CARD_STATS``).

    Each is included with the card's context; none queries (they read the
    listing's columns, ``core.hooks.LISTING_COLUMNS``).
    """
    return card_stat_templates()
