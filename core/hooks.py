"""Kindred's own hooks: how features plug into the core without the core importing them.

The core is the bottom layer: it imports no Kindred app. Where a core page or
listing shows a feature's part (the star widget, comment counts, "Top rated"),
the feature registers a function under one of the names below with Wagtail's
``hooks.register`` in its ``wagtail_hooks.py`` (Wagtail imports those modules
of every installed app), and the core calls whatever is registered. Without
the feature its part is simply absent; the pages still work.

``CONTENT_PAGE_CONTEXT`` = "kindred_content_page_context"
    ``fn(*, page, request) -> dict``: added to the template context of every
    ``ContentPage`` (ratings: ``rating_widget``; discussion: ``discussion``).
``HOME_PAGE_CONTEXT`` = "kindred_home_page_context"
    ``fn(*, page, request) -> dict``: added to the home page's context
    (ratings: ``top_rated``).
``LISTING_COLUMNS`` = "kindred_listing_columns"
    ``fn(queryset) -> queryset``: what a listing card shows besides the page,
    added to ``core.selectors.content_listing`` in the same query (ratings:
    the rating summary join; discussion: the comment count). It must not add
    a query per item.
``LISTING_ORDERS`` = "kindred_listing_orders"
    ``fn() -> iterable of ListingOrder``: orders a listing offers besides
    "newest" (the core's default), as section sort links (``?sort=<key>``)
    and search's sorts (ratings: "top", Top rated).
``CARD_STATS`` = "kindred_card_stats"
    ``fn() -> iterable of template names``: rendered in a listing card's
    stats line, with the card's context (``item``); each must work from the
    item's columns alone (no queries).

``COMMUNITY_PAGE_CONTEXT`` = "kindred_community_page_context"
    ``fn(*, page, request) -> dict``: added to a ``CommunityPage``'s context
    (communities: its items, members, requests and the viewer's membership).
``COMMUNITY_INDEX_CONTEXT`` = "kindred_community_index_context"
    ``fn(*, page, request) -> dict``: added to the communities directory's
    context (communities: the listed communities with their counts).

``ACCOUNT_SECTIONS`` = "kindred_account_sections"
    ``fn(*, request) -> AccountSection | None``: a section of the member's
    account page (/me/account/) after the consents (audit: who saw my data;
    compliance: download my data, delete my account). The context is computed
    by the function so the template makes no query.

Functions run in Wagtail's hook order (``hooks.register(name, order=...)``),
then in the order the apps are installed.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from wagtail import hooks
from wagtail.models import Page

CONTENT_PAGE_CONTEXT = "kindred_content_page_context"
HOME_PAGE_CONTEXT = "kindred_home_page_context"
LISTING_COLUMNS = "kindred_listing_columns"
LISTING_ORDERS = "kindred_listing_orders"
CARD_STATS = "kindred_card_stats"
COMMUNITY_PAGE_CONTEXT = "kindred_community_page_context"
COMMUNITY_INDEX_CONTEXT = "kindred_community_index_context"
ACCOUNT_SECTIONS = "kindred_account_sections"


@dataclass(frozen=True)
class AccountSection:
    """One section a feature adds to the account page: a template and its context."""

    template: str
    context: dict


@dataclass(frozen=True)
class ListingOrder:
    """One way to order a listing: ``?sort=<key>``, shown as ``label``.

    ``order_by`` are the arguments of ``QuerySet.order_by`` on content pages;
    end with a unique column so that pages never overlap or skip items.
    """

    key: str
    label: str
    order_by: tuple


def page_context(hook_name: str, *, page: Page, request: HttpRequest) -> dict:
    """The context every function registered under ``hook_name`` adds for ``page``."""
    context = {}
    for fn in hooks.get_hooks(hook_name):
        context.update(fn(page=page, request=request))
    return context


def with_listing_columns(queryset: QuerySet) -> QuerySet:
    """``queryset`` with every registered listing column (``LISTING_COLUMNS``) added."""
    for fn in hooks.get_hooks(LISTING_COLUMNS):
        queryset = fn(queryset)
    return queryset


def registered_orders() -> list[ListingOrder]:
    """The orders features register (``LISTING_ORDERS``), in hook order."""
    return [order for fn in hooks.get_hooks(LISTING_ORDERS) for order in fn()]


def card_stat_templates() -> list[str]:
    """The templates of a listing card's stats line (``CARD_STATS``), in hook order."""
    return [name for fn in hooks.get_hooks(CARD_STATS) for name in fn()]


def account_sections(request: HttpRequest) -> list[AccountSection]:
    """The sections features add to ``request.user``'s account page (``ACCOUNT_SECTIONS``)."""
    sections = (fn(request=request) for fn in hooks.get_hooks(ACCOUNT_SECTIONS))
    return [section for section in sections if section is not None]
