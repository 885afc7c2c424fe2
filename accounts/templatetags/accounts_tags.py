"""``{% sign_in_reason next as reason %}`` for the sign-in page (see ``accounts.sign_in``)."""

from django import template

from accounts.sign_in import sign_in_reason as reason_for

register = template.Library()


@register.simple_tag
def sign_in_reason(next_url):
    """The ``SignInReason`` for ``next_url`` (the raw ``next`` parameter), or ``None``."""
    return reason_for(next_url)
