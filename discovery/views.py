"""``/sitemap.xml``, its sections' pages, and ``/robots.txt``.

The sitemap is the same for every visitor and changes only when something public does, so
it is marked for the page cache (``pagecache.mark_public``, tag ``all``): publishing,
unpublishing, moving or deleting a page, a tag's or a profile's save all bump ``all``
(``pagecache.signals``), so the next crawler gets a fresh one. robots.txt reads no database
and changes only with a deploy: computed each time, with an hour's ``Cache-Control``.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from core.emails import site_url
from discovery.sitemaps import SECTIONS, index_entries, page_size
from pagecache import mark_public

XML = "application/xml; charset=utf-8"
# A page number as a sitemap index writes it: 1 to 9,999,999, plain ASCII digits (no sign,
# no spaces, no other scripts' digits); anything else is a 404 before any query.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,6}")

# Where crawlers are not sent, by path prefix (RFC 9309; ``*`` matches any characters).
# Member-only pages, forms and endpoints, per-person lists and feeds: each answers a
# visitor with a sign-in redirect, a refusal or a POST-only 405, or lists personal ties.
# Only route prefixes from the URL configuration, never a page's own address, which would
# name it. tests/discovery/test_robots.py resolves every one.
DISALLOWED = (
    "/admin/",  # Wagtail's admin
    "/_util/",  # Wagtail's own sign-in and password forms (redirects)
    "/accounts/",  # sign-in, sign-up, password, email, sessions (allauth)
    "/welcome/",  # a new member's first steps
    "/me/",  # account, profile, contributions, blocks, access log, export, deletion
    "/write/",  # writing on the site
    "/feed/",  # a member's personal feed
    "/people/",  # "people like me" suggestions
    "/notifications/",
    "/search/",  # search results and autocomplete
    "/comments/",  # posting, replying, reporting, the comment API
    "/ratings/",  # star ratings (POST)
    "/share/",  # the share endpoint's redirects
    "/safety/personal-data/",  # a writer's personal-data hints (POST)
    "/safety/report/sent/",  # the reporter's own reference (the report form stays open)
    "/questions/ask/",
    "/answers/",  # accepting an answer, marking it helpful (POST)
    "/experts/",  # the experts' open questions and claims
    "/feeds/members/",  # a member's own feed of items
    "/members/*/followers/",  # whom a member is followed by
    "/members/*/following/",  # whom a member follows
    "/communities/*/moderate/",  # a community's moderators' queue
    "/api/",  # the read API: the same items as the pages, for programs
)


def _only_parameters(request: HttpRequest, allowed: set[str]) -> None:
    """404 for any other query parameter, or one given twice: each distinct address is a
    page-cache entry, and a made-up ``?x=1`` would make the server build a whole sitemap
    page (a quarter of a second at 100,000 items) for every new value."""
    if not set(request.GET) <= allowed or any(
        len(request.GET.getlist(key)) > 1 for key in request.GET
    ):
        raise Http404("No such sitemap page.")


def _section_page_number(request: HttpRequest) -> int:
    _only_parameters(request, {"p"})
    raw = request.GET.get("p", "1")
    if not PAGE_NUMBER.fullmatch(raw):
        raise Http404("No such sitemap page.")
    return int(raw)


def _sitemap_response(request: HttpRequest, template: str, entries: list) -> TemplateResponse:
    mark_public(request)
    response = TemplateResponse(request, template, {"entries": entries}, content_type=XML)
    # A sitemap is for crawlers to read, not a page to show in results.
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD"])
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The sitemap index: one entry per non-empty page of each section, with its newest change."""
    _only_parameters(request, set())
    return _sitemap_response(request, "discovery/sitemap_index.xml", index_entries())


@require_http_methods(["GET", "HEAD"])
def sitemap_section(request: HttpRequest, section: str) -> TemplateResponse:
    """One page (``?p=``, default 1) of one section; 404 for an unknown section, a page
    number that is not one, or a page with no address."""
    found = SECTIONS.get(section)
    if found is None:
        raise Http404("No such sitemap.")
    number = _section_page_number(request)
    entries = found.entries(number=number, size=page_size(), request=request)
    if not entries:
        raise Http404("No such sitemap page.")
    return _sitemap_response(request, "discovery/sitemap.xml", entries)


def robots_lines() -> list[str]:
    """robots.txt, line by line: every crawler kept off ``DISALLOWED``, the sitemap named."""
    return [
        "# Crawlers may read what a visitor may read. What is private is refused by the site",
        "# itself; these rules only keep crawlers off members' own pages, forms and endpoints.",
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in DISALLOWED),
        "Allow: /",
        "",
        f"Sitemap: {site_url(reverse('discovery:sitemap'))}",
        "",
    ]


@require_http_methods(["GET", "HEAD"])
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt (text/plain), the same for everyone; no query."""
    response = HttpResponse("\n".join(robots_lines()), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response
