from wagtail.models import Page

from .mixins import IntroMixin


class HomePage(IntroMixin, Page):
    """The site root: the best-rated items, then the newest published items of each kind."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "blogs.BlogIndexPage",
        "blogs.ExpertArticleIndexPage",
        "experience_stories.StoryIndexPage",
        "core.InformationPage",
    ]
    max_count = 1
    latest_per_type = 3
    top_rated_count = 5

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    def get_context(self, request, *args, **kwargs):
        from core.selectors import latest_by_section, top_rated

        context = super().get_context(request, *args, **kwargs)
        context["latest_by_section"] = latest_by_section(
            user=request.user, home=self, limit=self.latest_per_type
        )
        context["top_rated"] = top_rated(user=request.user, limit=self.top_rated_count)
        return context
