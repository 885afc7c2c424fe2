"""The search page and its autocomplete: parse, call one selector, render.

Neither view knows which backend answers; an unreachable engine arrives as
``SearchUnavailable`` and is answered 503 with a friendly page (or JSON).
"""

from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safety.crisis_selectors import crisis_query
from safety.declarations import crisis_help_for

from .errors import SearchUnavailable
from .params import search_params, search_sorts
from .selectors import autocomplete_titles, search_content
from .services import search_query_log


@require_GET
def search(request: HttpRequest) -> TemplateResponse:
    """Results for ``?q=`` with ``type``, ``tag``, ``condition``, ``sort`` and ``page``."""
    params = search_params(request.GET)
    try:
        results = search_content(user=request.user, params=params)
    except SearchUnavailable:
        return TemplateResponse(
            request, "search/unavailable.html", {"search_query": params.query}, status=503
        )
    if params.query and params.page == 1:
        # Paging through the same search is not another search.
        search_query_log(query=params.query, found=results.total > 0)
    return TemplateResponse(
        request,
        "search/results.html",
        {
            "search_query": params.query,
            "results": results,
            "params": params,
            "sorts": search_sorts(),
            # The page has its own search box: the header leaves its one out.
            "search_page": True,
            # Help above the results for a search about suicide or self-harm (safety).
            "crisis_help": crisis_help_for(request) if crisis_query(params.query) else None,
        },
    )


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Titles for the search box as the reader types: ``{"results": [{title, url, type}]}``."""
    query = request.GET.get("q", "")
    try:
        results = autocomplete_titles(user=request.user, query=query, request=request)
    except SearchUnavailable:
        return JsonResponse(
            {"results": [], "error": _("Search is temporarily unavailable.")}, status=503
        )
    return JsonResponse({"results": results})
