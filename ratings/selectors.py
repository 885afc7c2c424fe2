"""Reads for content pages. ``page_context`` is what a content page's template needs."""


def page_context(*, page, request):
    """Scaffolding: the context this app adds to a content page (replaced by the real one)."""
    return {}
