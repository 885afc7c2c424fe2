from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from core.models import ContentPage, SectionIndexPage

EARLIEST_DIAGNOSIS_YEAR = 1940


def current_year() -> int:
    """Nobody is diagnosed in the future (a callable so it stays current)."""
    return timezone.now().year


class Treatment(TagBase):
    """A treatment a story mentions; its own vocabulary, apart from topic tags."""

    class Meta:
        verbose_name = gettext_lazy("treatment")
        verbose_name_plural = gettext_lazy("treatments")


class StoryTreatment(TaggedItemBase):
    tag = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="tagged_stories")
    content_object = ParentalKey(
        "experience_stories.ExperienceStoryPage",
        on_delete=models.CASCADE,
        related_name="treatment_items",
    )


class ExperienceStoryPage(ContentPage):
    """A member's account of living with the condition, optionally anonymous."""

    condition = models.ForeignKey(
        "core.Condition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    treatments = ClusterTaggableManager(through=StoryTreatment, blank=True, related_name="stories")
    year_of_diagnosis = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(EARLIEST_DIAGNOSIS_YEAR),
            MaxValueValidator(current_year),
        ],
    )

    parent_page_types = ["experience_stories.StoryIndexPage"]
    subpage_types = []

    content_panels = [
        *ContentPage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("condition"),
                FieldPanel("treatments"),
                FieldPanel("year_of_diagnosis"),
                FieldPanel("is_anonymous"),
            ],
            heading=gettext_lazy("About this story"),
        ),
    ]
    search_fields = [
        *ContentPage.search_fields,
        index.RelatedFields("treatments", [index.SearchField("name")]),
        index.FilterField("condition"),
    ]

    class Meta:
        verbose_name = gettext_lazy("experience story")
        verbose_name_plural = gettext_lazy("experience stories")


class StoryIndexPage(SectionIndexPage):
    """The Experiences section."""

    listing_model = ExperienceStoryPage
    subpage_types = ["experience_stories.ExperienceStoryPage"]

    class Meta:
        verbose_name = gettext_lazy("story index")
