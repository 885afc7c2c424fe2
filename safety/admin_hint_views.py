"""The reviewer's view of an item's personal-data hints, inside the Wagtail admin.

``/admin/safety/personal-data/<page_id>/``: the newest version's title,
summary and body as plain text, each hint marked and listed, so a reviewer
sees at a glance what to ask the author to remove (third-party privacy is the
editorial step's to check). For superusers and for reviewers the item waits
for (``safety.hints.reviewer_hints_page``); to anyone else the page is missing.
"""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.models import AccessPurpose
from audit.selectors import page_access_what
from audit.services import access_record
from moderation.admin_privacy import admin_not_found

from .hints import hint_count, page_hints, reviewer_hints_page


@require_GET
def personal_data_page(request: HttpRequest, page_id: int) -> HttpResponse:
    """Page ``page_id``'s newest text with what looks like personal data marked."""
    page = reviewer_hints_page(user=request.user, page_id=page_id)
    if page is None:
        # As Wagtail answers for a page id that does not exist.
        return admin_not_found(request)
    what = page_access_what(page)
    if what is not None:
        access_record(
            viewer=request.user,
            subject=page.author,
            what=what,
            purpose=AccessPurpose.REVIEW,
            object_ref=f"page:{page.pk}",
        )
    parts = page_hints(page=page)
    title = _("Personal data in “%(title)s”") % {"title": page.title}
    response = TemplateResponse(
        request,
        "safety/admin/personal_data.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
            "item": page,
            "parts": parts,
            "hint_count": hint_count(parts),
        },
    )
    # Patients' words: never kept by a cache.
    add_never_cache_headers(response)
    return response
