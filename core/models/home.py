from wagtail.models import Page

from core.hooks import HOME_PAGE_CONTEXT, page_context

from .mixins import IntroMixin


class HomePage(IntroMixin, Page):
    """The site root: what features put first (ratings: the best-rated items), then the
    newest published items of each kind."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "blogs.BlogIndexPage",
        "blogs.ExpertArticleIndexPage",
        "experience_stories.StoryIndexPage",
        "core.InformationPage",
        "core.CommunityIndexPage",
    ]
    max_count = 1
    latest_per_type = 3

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    def route(self, request, path_components):
        # Issue 17: one query for an address Wagtail would walk in five (core.routing).
        from core.routing import route_below

        found = route_below(self, request, path_components)
        return found if found is not None else super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        # core.selectors reads core.models, hence the import here.
        from core.selectors import latest_by_section

        context = super().get_context(request, *args, **kwargs)
        context["latest_by_section"] = latest_by_section(
            user=request.user, home=self, limit=self.latest_per_type
        )
        # Features add theirs (ratings: "top_rated") through core.hooks.HOME_PAGE_CONTEXT.
        context.update(page_context(HOME_PAGE_CONTEXT, page=self, request=request))
        return context
