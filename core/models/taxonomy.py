from django.db import models
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


@register_snippet
class Condition(models.Model):
    """A condition the community talks about (for example "Relapsing-remitting MS").

    A managed list rather than free text so stories, profiles and search
    facets all use the same names.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.slug:
            self.slug = slugify(self.name)
