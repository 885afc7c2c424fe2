"""The personal-data hints' hooks: the reviewer's admin view, and the hints on the
writer's own preview.

Imported by ``safety.wagtail_hooks`` so that Wagtail registers them.
"""

from django.http import HttpRequest
from django.urls import include, path

from wagtail import hooks

from core.hooks import CONTENT_PAGE_CONTEXT
from core.models import ContentPage

from . import admin_hint_urls
from .hints import hint_count, page_hints


@hooks.register("register_admin_urls")
def register_personal_data_admin_urls() -> list:
    """``/admin/safety/personal-data/<page_id>/`` (``safety.hints.reviewer_hints_url``)."""
    return [
        path(
            "safety/personal-data/",
            include(admin_hint_urls, namespace="kindred_personal_data"),
        )
    ]


@hooks.register(CONTENT_PAGE_CONTEXT)
def preview_personal_data_hints(*, page: ContentPage, request: HttpRequest) -> dict:
    """On the writer's preview of their own item (``authoring``'s preview view sets
    ``request.kindred_preview``), the hints for what it says now: shown without JavaScript
    by the preview bar. Nothing on any other page, and no query."""
    preview = getattr(request, "kindred_preview", None)
    if preview is None or getattr(preview.page, "pk", None) != page.pk:
        return {}
    parts = page_hints(page=page)
    return {"personal_data_hints": parts if hint_count(parts) else []}
