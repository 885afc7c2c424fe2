"""Serving documents: a private one answers exactly as a missing one does (issue 10, finding 15).

Wagtail answers an unknown document 404 but a document in a restricted
collection with a redirect to sign in, so anyone could tell which ids and
names exist behind a restriction. Kindred answers both the same way:

- a visitor (not signed in) is sent to the one sign-in page with ``next=``
  for any document they may not have, existing or not, so a link to a
  members' document someone shared still works once they sign in;
- a signed-in member without access gets the site's 404 for both.

``serve`` is routed ahead of Wagtail's own view (``portal.urls``); the
``before_serve_document`` hook (registered in ``social.wagtail_hooks``)
answers the same way should any other route reach Wagtail's view. Refusals
are never cached, and a private document is served ``private, no-store``.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_cache_control

from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.documents.views.serve import serve as wagtail_serve
from wagtail.wagtail_hooks import require_wagtail_login

# Ids are positive integers the database can hold; longer ones name nothing.
MAX_ID_DIGITS = 18


def document_accessible(*, document: AbstractDocument, request: HttpRequest) -> bool:
    """Whether ``request`` passes every view restriction on ``document``'s collection."""
    return all(
        restriction.accept_request(request)
        for restriction in document.collection.get_view_restrictions()
    )


def document_refusal(request: HttpRequest) -> HttpResponse:
    """The one answer for a document this reader may not have, whether it exists or not."""
    if not request.user.is_authenticated:
        # Wagtail's login address, which leads to the site's one sign-in page.
        response = require_wagtail_login(next=request.get_full_path())
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response
    raise Http404("No such document")


def serve(request: HttpRequest, document_id: str, document_filename: str) -> HttpResponseBase:
    """Serve a document the reader may have; otherwise ``document_refusal`` (see the module)."""
    document = None
    if document_id.isdigit() and len(document_id) <= MAX_ID_DIGITS:
        document = (
            get_document_model()
            .objects.select_related("collection")
            .filter(pk=int(document_id))
            .first()
        )
    if (
        document is None
        or document.filename != document_filename
        or not document_accessible(document=document, request=request)
    ):
        return document_refusal(request)
    response = wagtail_serve(request, document_id, document_filename)
    if document.collection.get_view_restrictions():
        patch_cache_control(response, private=True, no_store=True)
    return response


def before_serve_document(document: AbstractDocument, request: HttpRequest) -> HttpResponse | None:
    """Wagtail's ``before_serve_document`` hook: the same refusal as ``serve``."""
    if not document_accessible(document=document, request=request):
        return document_refusal(request)
    return None
