"""Records a staff member's opening of a member's item in Wagtail's previews and revisions.

Wagtail's page editor has a hook (``before_edit_page``, in ``audit.wagtail_hooks``);
its previews, draft view, revision view and comparison, and the workflow's
preview have none. They are recognised here by their URL names, after the
view answered: only a ``200`` to a ``GET`` showed anything, so Wagtail's own
permission checks (and ``moderation.admin_privacy``'s) have passed by then.
"""

from django.http import HttpRequest, HttpResponse

from wagtail.models import Page

from audit.models import AccessPurpose, AccessWhat
from audit.selectors import is_staff, page_access_what
from audit.services import access_record

PAGES_NAMESPACE = "wagtailadmin_pages"
# URL names of the views that show a page's draft or an older revision.
PREVIEW_URL_NAMES = {"preview_on_edit", "view_draft", "workflow_preview"}
REVISION_URL_NAMES = {"revisions_view", "revisions_compare"}
MAX_ID = 2**31 - 1


class AccessLogMiddleware:
    """After an admin preview or revision view showed a member's item, record it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and request.method == "GET"
            and response.status_code == 200
            and PAGES_NAMESPACE in match.namespaces
            and match.url_name in PREVIEW_URL_NAMES | REVISION_URL_NAMES
        ):
            record_page_view(request, match.url_name, match.kwargs)
        return response


def _revision_ids(url_name: str, kwargs: dict) -> list[str]:
    if url_name == "revisions_view":
        return [str(kwargs.get("revision_id", ""))]
    if url_name == "revisions_compare":
        return [str(kwargs.get("revision_id_a", "")), str(kwargs.get("revision_id_b", ""))]
    return []


def record_page_view(request: HttpRequest, url_name: str, kwargs: dict) -> None:
    """Record the opening of the page the view named, if it showed non-public data."""
    if not is_staff(request.user):
        return
    page_id = kwargs.get("page_id", kwargs.get("pk"))
    try:
        page_id = int(page_id)
    except (TypeError, ValueError):
        return
    if not 0 < page_id <= MAX_ID:
        return
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    page = page.specific
    what = page_access_what(page)
    if what is None:
        # Live and unchanged: its current version is public, but an older
        # revision may hold words the author has since removed.
        for revision in _revision_ids(url_name, kwargs):
            if revision not in ("live", "latest", str(page.live_revision_id)):
                what = AccessWhat.DRAFT
                break
    if what is None or getattr(page, "author_id", None) is None:
        return
    access_record(
        viewer=request.user,
        subject=page.author,
        what=what,
        purpose=AccessPurpose.REVIEW,
        object_ref=f"page:{page.pk}",
    )
