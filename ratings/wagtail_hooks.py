"""Ratings' parts of the core's pages and listings (see core/hooks.py for the hook names).

The star widget on every content page, the best-rated items on the home page,
the rating summary on listing cards and the "Top rated" order of listings and
search. Without this module the core's pages simply show none of them.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.models import Page

from core.hooks import (
    CARD_STATS,
    CONTENT_PAGE_CONTEXT,
    HOME_PAGE_CONTEXT,
    LISTING_COLUMNS,
    LISTING_ORDERS,
    ListingOrder,
)
from core.models import ContentPage

from . import selectors

# The card's stats line shows the rating before the comment count.
CARD_STATS_ORDER = 10


@hooks.register(CONTENT_PAGE_CONTEXT)
def rating_widget(*, page: ContentPage, request: HttpRequest) -> dict:
    return selectors.page_context(page=page, request=request)


@hooks.register(HOME_PAGE_CONTEXT)
def home_top_rated(*, page: Page, request: HttpRequest) -> dict:
    return {"top_rated": selectors.top_rated(user=request.user)}


@hooks.register(LISTING_COLUMNS)
def rating_summary_column(queryset: QuerySet) -> QuerySet:
    return selectors.with_rating_summary(queryset)


@hooks.register(LISTING_ORDERS)
def top_rated_order() -> list[ListingOrder]:
    return [
        ListingOrder(
            key=selectors.SORT_TOP,
            label=gettext_lazy("Top rated"),
            order_by=selectors.TOP_RATED_ORDER,
        )
    ]


@hooks.register(CARD_STATS, order=CARD_STATS_ORDER)
def card_rating() -> list[str]:
    return ["ratings/includes/card_rating.html"]
