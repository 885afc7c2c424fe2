"""The part of the query log that Wagtail does not keep: searches that found nothing.

Wagtail's search_promotions counts every query per day (``Query`` and
``QueryDailyHits``: the "popular searches" report). Editors also want the
queries readers did not find anything for, to write or tag content for them.
Nothing here records who searched.
"""

from django.db import models
from django.utils.translation import gettext_lazy

from wagtail.contrib.search_promotions.models import Query


class ZeroResultQueryDay(models.Model):
    """How often a (normalised) query found nothing for a reader on one day."""

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="zero_result_days")
    date = models.DateField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("search without results")
        verbose_name_plural = gettext_lazy("searches without results")
        constraints = [
            models.UniqueConstraint(fields=["query", "date"], name="search_zero_result_per_day"),
        ]
        # Editors see the search reports through this permission (core.roles).
        permissions = [("view_search_reports", "Can view the search reports")]

    def __str__(self) -> str:
        return f"{self.query} ({self.date}: {self.hits})"
