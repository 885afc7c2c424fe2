from django.core.exceptions import ImproperlyConfigured

from wagtail.models import Page

from .mixins import IntroMixin


class SectionIndexPage(IntroMixin, Page):
    """An index of one content type: newest (or a registered order) first, 12 a page, by tag.

    Concrete sections name the type they list in ``listing_model``.
    """

    listing_model = None
    parent_page_types = ["core.HomePage"]
    max_count = 1

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    class Meta:
        abstract = True

    def get_listing_model(self):
        if self.listing_model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set listing_model")
        return self.listing_model

    def get_context(self, request, *args, **kwargs):
        # core.selectors reads core.models, hence the import here.
        from core.languages import content_language, language_options
        from core.selectors import (
            SORT_NEWEST,
            content_listing,
            listing_sort,
            listing_sorts,
            paginate,
            readable_tag,
        )

        context = super().get_context(request, *args, **kwargs)
        tag = None
        tag_slug = request.GET.get("tag", "")
        if tag_slug:
            tag = readable_tag(user=request.user, slug=tag_slug)
        # An unknown ?sort= falls back to newest rather than failing.
        sort = listing_sort(request.GET.get("sort"))
        # An unknown ?lang= lists every language, as no filter does.
        language = content_language(request.GET.get("lang"))
        items = content_listing(
            user=request.user,
            model=self.get_listing_model(),
            section=self,
            tag_slug=tag.slug if tag else None,
            sort=sort,
            # A position from a deep page's links (404 if it is not one).
            after=request.GET.get("after"),
            before=request.GET.get("before"),
            language=language,
        )
        if tag_slug and tag is None:
            # A tag nobody may read under: an empty list, not every item.
            items = items.none()
        context["active_tag"] = tag
        context["unknown_tag"] = bool(tag_slug) and tag is None
        context["items"] = paginate(items, request.GET.get("page"))
        context["sort"] = sort
        context["items_language"] = language
        context["language_options"] = language_options(
            active=language,
            keep={"tag": tag.slug if tag else "", "sort": "" if sort == SORT_NEWEST else sort},
        )
        # The orders features registered (ratings: "Top rated"); with only
        # the default there is nothing to choose, so no links.
        sorts = listing_sorts()
        context["sorts"] = sorts if len(sorts) > 1 else {}
        return context
