"""``{% url %}`` that reverses each address once per process (issue 17).

A member's item page asked Django's ``reverse()`` for 24 addresses through
``{% url %}`` (the header's account links, the share forms, the rating form...),
and the same ones again on the next page. This tag gives what Django's
``{% url %}`` gives (same arguments, ``as var``, errors, escaping) and remembers
each address it reversed (``core.addresses.remembered_reverse``). Only names and
arguments that are plain ``str`` or ``int`` are remembered (a model instance's
``str()`` may change while it stays equal); anything else is reversed every
time, exactly as Django's tag does.

Installed as a template builtin (``portal/settings/base.py``, ``TEMPLATES``), so
it replaces Django's ``{% url %}`` in every template without a ``{% load %}``.
"""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape

from core.addresses import remembered_reverse

register = template.Library()


def _plain(value: object) -> bool:
    """Text (a template's literals are ``SafeString``) or a whole number, not a bool."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _current_app(context: template.Context) -> str | None:
    """What Django's ``URLNode`` passes to ``reverse`` as ``current_app``."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class RememberedURLNode(URLNode):
    """Django's ``URLNode``, remembering plain addresses (see the module)."""

    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        plain = (
            isinstance(view_name, str)
            and all(_plain(value) for value in args)
            and all(_plain(value) for value in kwargs.values())
            and (current_app is None or isinstance(current_app, str))
        )
        lookup = remembered_reverse if plain else reverse
        url = ""
        try:
            url = lookup(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> RememberedURLNode:
    """Django's ``{% url %}`` (same syntax), remembering the addresses it reverses."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
