"""``{% submission_token %}``: the one-time token for forms written by hand (core.submissions)."""

from django import template
from django.utils.html import format_html

from core.submissions import FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden input with a fresh token: a double click on the form creates one thing."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
