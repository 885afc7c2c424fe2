"""``{% site_languages as languages %}``: the interface languages, each named in itself.

Django's ``{% get_available_languages %}`` translates the names (a German page
would offer "Englisch"); a switcher names each language as its readers do, so
these are ``settings.LANGUAGES`` as written there.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)
