"""The addresses (slugs) of what members and experts write (issue 10, finding 3).

Wagtail makes a page's slug from its first title and keeps it when the title
changes, so a name in a first draft stayed in the published address, and in
every listing, feed and search result linking to it. Kindred's rule: an
item's address never carries a word that has been in one of its titles and
is not in the title now.

- Until an item is first published, its address follows its title: each save
  by the author proposes the address of the current title, and publication
  makes it from the title as approved.
- A reviewer may change the address in the page editor (the "Promote" tab);
  their choice is kept, unless it carries a word the title no longer has.
- Once published the address stays, so links keep working, unless an edit
  removes a word it carries: then it is made afresh from the approved title,
  and the old address answers 404 (a redirect would keep the removed words in
  a working address; Kindred installs no redirects app).
"""

import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from wagtail.coreutils import find_available_slug
from wagtail.models import Page, Revision

SLUG_MAX_LENGTH = 80
UNTITLED = "untitled"
# find_available_slug's collision suffix ("my-story-2").
_SUFFIX = re.compile(r"-\d+$")


def title_slug(title: str | None) -> str:
    """The address a title gives, e.g. "How I learned to pace" -> "how-i-learned-to-pace"."""
    return slugify(title or "", allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-") or UNTITLED


def _words(text: str | None) -> set[str]:
    return set(slugify(text or "", allow_unicode=True).split("-")) - {""}


def earlier_titles(page: Page) -> list[str]:
    """Every title ``page`` (saved) has had: its revisions' and its row's."""
    if page.pk is None:
        return []
    titles = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
    ).values_list("content__title", flat=True)
    row = Page.objects.filter(pk=page.pk).values_list("title", "draft_title").first() or ()
    return [title for title in [*titles, *row] if isinstance(title, str)]


def _follows_a_title(slug: str, titles: Iterable[str]) -> bool:
    """Whether ``slug`` was made from one of ``titles`` (rather than chosen by a reviewer)."""
    base = _SUFFIX.sub("", slug)
    return any(title_slug(title) in (slug, base) for title in titles)


def address_for(*, page: Page, parent: Page, title: str, slug: str, ever_published: bool) -> str:
    """The slug the version of ``page`` titled ``title`` (now at ``slug``) should have.

    ``page`` is the saved item (``pk`` None for a new one) under ``parent``;
    ``ever_published`` whether readers have seen it. The answer is free among
    ``parent``'s children.
    """
    titles = earlier_titles(page)
    removed = set().union(*(_words(earlier) for earlier in titles)) - _words(title)
    carries_removed = bool(_words(slug) & removed)
    # Before publication an address made from a title (not one a reviewer
    # chose) follows the title.
    follows_title = not ever_published and _follows_a_title(slug, [*titles, title])
    wanted = title_slug(title) if not slug or carries_removed or follows_title else slug
    # Some sections answer addresses of their own under them (/questions/ask/).
    if wanted in getattr(parent.specific_class, "reserved_child_slugs", ()):
        wanted = f"{wanted}-{UNTITLED}" if wanted != UNTITLED else "item"
    return find_available_slug(parent, wanted, ignore_page_id=page.pk)


def draft_address_update(*, page: Page, parent: Page) -> None:
    """Give ``page`` (the draft about to be saved as a revision) the address its title calls for.

    An item readers have never seen also gets it on its row, so the address
    of an abandoned first title is kept nowhere but in old revisions.
    """
    ever_published = page.first_published_at is not None
    page.slug = address_for(
        page=page,
        parent=parent,
        title=page.title,
        slug=page.slug,
        ever_published=ever_published,
    )
    if page.pk and not ever_published and not page.live:
        Page.objects.filter(pk=page.pk).update(
            slug=page.slug, url_path=f"{parent.url_path}{page.slug}/"
        )


def revision_address_update(revision: Revision) -> None:
    """Before ``revision`` is published: give it the address its approved title calls for."""
    page = Page.objects.get(pk=revision.object_id)
    content = revision.content
    slug = address_for(
        page=page,
        parent=page.get_parent(),
        title=content.get("title", ""),
        slug=content.get("slug", ""),
        ever_published=page.first_published_at is not None,
    )
    if slug != content.get("slug"):
        content["slug"] = slug
        revision.save(update_fields=["content"])
