"""The sitemap's sections: what each lists, at which addresses, and how it is paged.

``/sitemap.xml`` is a sitemap index (sitemaps.org) naming one sitemap per non-empty page
of each section below (``/sitemap-<section>.xml?p=<n>``). A page of a long section is a
window of ids (``discovery.selectors``): at most ``page_size()`` addresses, far under the
protocol's 50,000, read as one range of a primary key whatever the site's size.

Every address is absolute on the public address (``core.emails.site_url``, from
``KINDRED_BASE_URL``), never the request's Host: a stored sitemap must not carry whatever
Host a client sent.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from wagtail.models import Page

from core.emails import site_url
from discovery import selectors

# Addresses per sitemap page: the protocol allows 50,000; fewer keeps one page's render
# short (each address is a Wagtail route worked out in Python).
DEFAULT_PAGE_SIZE = 5000
PROTOCOL_LIMIT = 50000


def page_size() -> int:
    """``KINDRED_SITEMAP_PAGE_SIZE`` (default 5,000), kept within 1 and the protocol's 50,000."""
    size = getattr(settings, "KINDRED_SITEMAP_PAGE_SIZE", DEFAULT_PAGE_SIZE)
    return max(1, min(int(size), PROTOCOL_LIMIT))


def w3c_datetime(moment: datetime | None) -> str:
    """``moment`` as the protocol's W3C date-time, in UTC to the second; "" for none."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass(frozen=True)
class Entry:
    """One ``<url>`` (or, in the index, one ``<sitemap>``): an absolute address and when it
    last changed (W3C date-time, "" if unknown)."""

    loc: str
    lastmod: str


def page_address(page: Page, request: HttpRequest) -> str | None:
    """``page``'s absolute address on the public address, or None if no site routes it."""
    parts = page.get_url_parts(request=request)
    if not parts or parts[2] is None:
        return None
    return site_url(parts[2])


class Section:
    """A part of the sitemap. ``pages`` says which page numbers have addresses (and their
    newest change) for the index; ``entries`` gives one page's addresses, [] if none."""

    name = ""

    def pages(self, *, size: int) -> dict[int, datetime | None]:
        raise NotImplementedError

    def entries(self, *, number: int, size: int, request: HttpRequest) -> list[Entry]:
        raise NotImplementedError


class SitePages(Section):
    """Home, the sections, the community directory and listed communities, and the site's
    information pages (about, guidelines, privacy, terms…): tens of pages, read whole and
    cut into pages of ``size`` by their place in the tree."""

    name = "pages"

    def pages(self, *, size: int) -> dict[int, datetime | None]:
        pages = selectors.site_pages()
        return {
            number + 1: max((page.lastmod for page in chunk if page.lastmod), default=None)
            for number, chunk in enumerate(_chunks(pages, size))
        }

    def entries(self, *, number: int, size: int, request: HttpRequest) -> list[Entry]:
        chunks = _chunks(selectors.site_pages(), size)
        if number > len(chunks):
            return []
        entries = []
        for site_page in chunks[number - 1]:
            address = page_address(site_page.page, request)
            if address:
                entries.append(Entry(address, w3c_datetime(site_page.lastmod)))
        return entries


def _chunks(rows: list, size: int) -> list[list]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


class Items(Section):
    """Every public item at its own address (questions included, answers under theirs),
    with its last publication, or a public answer's under it if newer."""

    name = "items"

    def pages(self, *, size: int) -> dict[int, datetime | None]:
        return {window + 1: newest for window, newest in selectors.item_windows(size=size).items()}

    def entries(self, *, number: int, size: int, request: HttpRequest) -> list[Entry]:
        entries = []
        answered = selectors.newest_children_in_window(window=number - 1, size=size)
        for item in selectors.items_in_window(window=number - 1, size=size):
            address = page_address(item, request)
            if address:
                times = (item.last_published_at, answered.get(item.pk))
                newest = max((t for t in times if t), default=None)
                entries.append(Entry(address, w3c_datetime(newest)))
        return entries


class Tags(Section):
    """Every tag page a visitor may open, with its newest public item's publication."""

    name = "tags"

    def pages(self, *, size: int) -> dict[int, datetime | None]:
        return {window + 1: newest for window, newest in selectors.tag_windows(size=size).items()}

    def entries(self, *, number: int, size: int, request: HttpRequest) -> list[Entry]:
        return [
            Entry(
                site_url(reverse("tag_listing", kwargs={"slug": tag.slug})),
                w3c_datetime(tag.lastmod),
            )
            for tag in selectors.tags_in_window(window=number - 1, size=size)
        ]


class Members(Section):
    """Every profile open to everyone, with its last change."""

    name = "members"

    def pages(self, *, size: int) -> dict[int, datetime | None]:
        windows = selectors.profile_windows(size=size)
        return {window + 1: newest for window, newest in windows.items()}

    def entries(self, *, number: int, size: int, request: HttpRequest) -> list[Entry]:
        return [
            Entry(site_url(profile.get_absolute_url()), w3c_datetime(profile.updated_at))
            for profile in selectors.profiles_in_window(window=number - 1, size=size)
        ]


SECTIONS: dict[str, Section] = {
    section.name: section for section in (SitePages(), Items(), Tags(), Members())
}


def section_address(name: str, number: int) -> str:
    """The absolute address of page ``number`` of section ``name`` (page 1 without ``?p=``)."""
    address = site_url(reverse("discovery:sitemap_section", kwargs={"section": name}))
    return address if number == 1 else f"{address}?p={number}"


def index_entries() -> list[Entry]:
    """The index's ``<sitemap>`` entries: every non-empty page of every section, in order."""
    size = page_size()
    entries = []
    for name, section in SECTIONS.items():
        for number, newest in sorted(section.pages(size=size).items()):
            entries.append(Entry(section_address(name, number), w3c_datetime(newest)))
    return entries
