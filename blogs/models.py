from django.db import models
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from core.models import ContentPage, SectionIndexPage

from .blocks import ReferenceBlock


class BlogPage(ContentPage):
    """A patient's blog post."""

    parent_page_types = ["blogs.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = gettext_lazy("blog post")


class BlogIndexPage(SectionIndexPage):
    """The Blogs section: members' blog posts."""

    listing_model = BlogPage
    subpage_types = ["blogs.BlogPage"]

    class Meta:
        verbose_name = gettext_lazy("blog index")


class ExpertArticlePage(ContentPage):
    """An article by a verified clinician, medically reviewed before it goes live."""

    # Readers weigh a clinician's claims by who checked them, so the review
    # line names the medical reviewer here. On members' posts and stories the
    # review checks safety rather than endorsing an experience, so it gives
    # the date only.
    medical_review_names_reviewer = True

    credentials = models.CharField(
        max_length=200,
        help_text=gettext_lazy(
            'How readers should know you, e.g. "Consultant neurologist, MS clinic".'
        ),
    )
    references = StreamField([("reference", ReferenceBlock())], blank=True)

    parent_page_types = ["blogs.ExpertArticleIndexPage"]
    subpage_types = []

    content_panels = [
        *ContentPage.content_panels,
        FieldPanel("credentials"),
        FieldPanel("references"),
    ]
    search_fields = [*ContentPage.search_fields, index.SearchField("credentials")]

    class Meta:
        verbose_name = gettext_lazy("expert article")


class ExpertArticleIndexPage(SectionIndexPage):
    """The Expert articles section."""

    listing_model = ExpertArticlePage
    subpage_types = ["blogs.ExpertArticlePage"]

    class Meta:
        verbose_name = gettext_lazy("expert article index")
