"""Wagtail hooks the site needs from this layer.

``before_serve_document``: a document the reader may not have answers exactly
as a missing one does (``core.documents``; issue 10, finding 15). Registered
ahead of Wagtail's own check (``order=-1``), which would answer a visitor
with a redirect only for documents that exist.
"""

from wagtail import hooks

from core.documents import before_serve_document

hooks.register("before_serve_document", before_serve_document, order=-1)
