"""Template helpers for questions: schema.org ``QAPage`` data and the expert badge.

They read only what the view loaded (the question and ``qa``, the
``QuestionPageView``), so they add no queries.
"""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# As Django's json_script: nothing in the data can close the script element
# or start markup inside it.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
MAX_TEXT = 5000


def plain_text(body: Any) -> str:
    """The words of a body StreamField, without markup, bounded."""
    if not body:
        return ""
    parts = body.stream_block.get_searchable_content(body)
    text = " ".join(strip_tags(str(part)) for part in parts if part)
    return " ".join(text.split())[:MAX_TEXT]


def _answer_data(view: Any, *, request: Any) -> dict:
    answer = view.answer
    url = answer.get_full_url(request=request) if request is not None else answer.url
    data = {
        "@type": "Answer",
        "text": plain_text(answer.body) or answer.summary,
        "dateCreated": answer.first_published_at,
        "upvoteCount": view.helpful_count,
        "url": url,
    }
    if answer.author is not None:
        data["author"] = {"@type": "Person", "name": answer.author.public_name}
    return data


def qa_page_data(question: Any, qa: Any, *, request: Any = None) -> dict | None:
    """The schema.org ``QAPage`` for a public ``question``; None for any other audience."""
    if not getattr(question, "is_public", False):
        return None
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body) or question.summary,
        "answerCount": len(qa.answers),
        "dateCreated": question.first_published_at,
    }
    # An anonymous question names nobody, not even the pseudonym.
    if not question.is_anonymous and question.author is not None:
        entity["author"] = {"@type": "Person", "name": question.author.public_name}
    accepted = [view for view in qa.answers if view.is_accepted]
    suggested = [view for view in qa.answers if not view.is_accepted]
    if accepted:
        entity["acceptedAnswer"] = _answer_data(accepted[0], request=request)
    if suggested:
        entity["suggestedAnswer"] = [_answer_data(view, request=request) for view in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def json_ld(data: dict) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    # Escaped above (<, >, & as \u escapes), as json_script does.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def question_structured_data(context: Any, question: Any, qa: Any) -> str:
    """``QAPage`` JSON-LD for a public question with what the reader sees of it; "" otherwise."""
    if qa is None:
        return ""
    data = qa_page_data(question, qa, request=context.get("request"))
    return json_ld(data) if data is not None else ""


@register.simple_tag
def expert_badge(profession: str) -> str:
    """The "Verified clinician · <profession>" badge (``questions/includes/expert_badge.html``)."""
    try:
        badge = get_template("questions/includes/expert_badge.html")
    except TemplateDoesNotExist:
        return format_html(
            '<span class="badge badge-expert">Verified clinician · {}</span>', profession
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
