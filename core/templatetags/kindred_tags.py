from django import template
from django.utils.safestring import mark_safe

from wagtail.rich_text import expand_db_html

from core.sanitize import clean_html

register = template.Library()


@register.filter
def safe_richtext(value):
    """Wagtail's ``|richtext`` followed by the allow-list: use it for every rich text."""
    source = getattr(value, "source", value)
    return mark_safe(clean_html(expand_db_html(source or "")))  # noqa: S308 - cleaned above
