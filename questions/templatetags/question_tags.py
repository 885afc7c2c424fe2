"""Template helpers for questions: the expert badge and the listing's query strings.

(The question page's schema.org ``QAPage`` is ``discovery.structured_data``'s.)
"""

from typing import Any

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def expert_badge(profession: str) -> str:
    """The "Verified clinician · <profession>" badge (``questions/includes/expert_badge.html``)."""
    try:
        badge = get_template("questions/includes/expert_badge.html")
    except TemplateDoesNotExist:
        return format_html(
            '<span class="badge badge-expert">{}</span>',
            _("Verified clinician · %(profession)s") % {"profession": profession},
        )
    return badge.render({"profession": profession})


@register.simple_tag
def question_list_query(params: Any, **changes: Any) -> str:
    """``?status=...`` for the listing's ``params`` with ``changes`` ("" when all are defaults)."""
    from urllib.parse import urlencode

    values = params.query(**changes)
    page = changes.get("page")
    if page and "page" not in values:
        values["page"] = str(page)
    return f"?{urlencode(values)}" if values else "?"
