"""RSS 2.0 and Atom feeds of public, published items: per section, per tag, per author.

Built with Django's syndication framework for an anonymous reader, whoever
asks: a feed reader shares URLs, so nothing in a feed may depend on a
session. Anonymous stories carry "Anonymous member" and never their author's
name or profile link; author feeds leave them out altogether. Section and tag
feeds take ``?lang=`` as their listings do (issue 18): a German reader can
subscribe to the German items alone, and such a feed declares its language.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from wagtail.models import Page

from core.languages import content_language
from core.models import SectionIndexPage
from core.selectors import content_listing, readable_tag
from pagecache import LISTINGS, mark_public
from social.models import Profile
from social.notifications.selectors import in_sentence
from social.selectors import former_handle_target, profile_items, visible_profile

FEED_ITEMS = 20
SECTION_SLUG_MAX_LENGTH = 255


class _ContentFeed(Feed):
    """What every Kindred feed shares: items, their author line and links."""

    feed_type = Rss201rev2Feed
    content_language = ""  # set per request: "" for every language

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (it lives in the URLconf): work on
        # a copy that knows this request, whose site resolves page URLs.
        feed = copy.copy(self)
        feed.request = request
        # One content language's items (``?lang=de``), or every language's; an unknown
        # value lists every language, as the listings do.
        feed.content_language = content_language(request.GET.get("lang"))
        if feed.content_language:
            feed.language = feed.content_language
        # Built as for a visitor whoever asks, so the same for everyone (issue 17).
        mark_public(request, tags=[LISTINGS])
        return Feed.__call__(feed, request, *args, **kwargs)

    def reader(self):
        # Feeds are public documents: always built as for a visitor.
        return AnonymousUser()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def absolute(self, path):
        # Django would prefix the Sites framework's domain; readers need this host's.
        return self.request.build_absolute_uri(path)

    def feed_url(self, obj):
        return self.absolute(self.request.path + self.language_query())

    def language_query(self) -> str:
        """The feed's language filter as a query string ("?lang=de"), or ""."""
        return f"?lang={self.content_language}" if self.content_language else ""

    def item_link(self, item):
        return self.absolute(item.get_url(request=self.request))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_author_name(self, item):
        return item.byline

    def item_author_link(self, item):
        # Only a profile anyone may see is linked, and never for an anonymous item.
        if item.is_anonymous or item.author is None:
            return None
        try:
            profile = item.author.profile
        except Profile.DoesNotExist:
            return None
        if profile.visibility != Profile.Visibility.EVERYONE or not item.author.is_active:
            return None
        return self.absolute(profile.get_absolute_url())


class SectionFeed(_ContentFeed):
    """The newest public items of one section (/feeds/<section-slug>/rss/)."""

    def get_object(self, request, section_slug):
        if not isinstance(section_slug, str) or len(section_slug) > SECTION_SLUG_MAX_LENGTH:
            raise Http404("No such section")
        # SectionIndexPage is abstract: look among the (few) pages with this slug.
        for page in Page.objects.live().public().filter(slug=section_slug).specific()[:10]:
            if isinstance(page, SectionIndexPage) and page.listing_model is not None:
                return page
        raise Http404("No such section")

    def title(self, section):
        return f"{section.title} · Kindred"

    def link(self, section):
        return self.absolute(section.get_url(request=self.request) + self.language_query())

    def description(self, section):
        return _("The newest %(section)s published on Kindred.") % {
            "section": in_sentence(section.title)
        }

    def items(self, section):
        return content_listing(
            user=self.reader(),
            model=section.listing_model,
            section=section,
            language=self.content_language,
        )[:FEED_ITEMS]


class TagFeed(_ContentFeed):
    """The newest public items carrying one tag (/feeds/tags/<slug>/rss/)."""

    def get_object(self, request, slug):
        tag = readable_tag(user=self.reader(), slug=slug)
        if tag is None:
            raise Http404("No published items carry this tag.")
        return tag

    def title(self, tag):
        return _("Tagged “%(tag)s” · Kindred") % {"tag": tag.name}

    def link(self, tag):
        listing = reverse("tag_listing", kwargs={"slug": tag.slug})
        return self.absolute(listing + self.language_query())

    def description(self, tag):
        return _("Blog posts, expert articles and experience stories about %(tag)s.") % {
            "tag": tag.name
        }

    def items(self, tag):
        return content_listing(
            user=self.reader(), tag_slug=tag.slug, language=self.content_language
        )[:FEED_ITEMS]


class AuthorFeed(_ContentFeed):
    """A member's newest public, named items (/feeds/members/<handle>/rss/).

    Only for a profile open to everyone; anonymous stories are never listed.
    An old handle leads to the current feed only if the member keeps their
    old addresses working (``social.selectors.former_handle_target``).
    """

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            moved = former_handle_target(viewer=self.reader(), handle=kwargs.get("handle"))
            if moved is None:
                raise
            view_name = request.resolver_match.view_name
            response = HttpResponseRedirect(reverse(view_name, kwargs={"handle": moved.handle}))
            # Never kept by a cache: the member may turn the redirect off.
            patch_cache_control(response, private=True, no_store=True)
            return response

    def get_object(self, request, handle):
        profile = visible_profile(viewer=self.reader(), handle=handle)
        if profile is None:
            raise Http404("No such member")
        return profile

    def title(self, profile):
        return f"{profile.user.public_name} · Kindred"

    def link(self, profile):
        return self.absolute(profile.get_absolute_url())

    def description(self, profile):
        return _("What %(name)s published on Kindred.") % {"name": profile.user.public_name}

    def items(self, profile):
        return profile_items(viewer=self.reader(), profile=profile)[:FEED_ITEMS]


class _Atom:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class SectionAtomFeed(_Atom, SectionFeed):
    pass


class TagAtomFeed(_Atom, TagFeed):
    pass


class AuthorAtomFeed(_Atom, AuthorFeed):
    pass
