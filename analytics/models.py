"""The analytics' one setting, and the permission that opens the reports."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# Who may open Reports › Review analytics and Community analytics (core/roles.py:
# Editors and Community managers; superusers hold every permission).
VIEW_PERMISSION = "analytics.view_analytics"

DEFAULT_SERVICE_LEVEL_HOURS = 48
# A month at most: a longer promise is no promise a reviewer can keep track of.
MAX_SERVICE_LEVEL_HOURS = 720


@register_setting(icon="time")
class AnalyticsSettings(BaseGenericSetting):
    """How long an item may wait for a review step before the report lists it as late."""

    review_service_level_hours = models.PositiveIntegerField(
        gettext_lazy("review service level (hours)"),
        default=DEFAULT_SERVICE_LEVEL_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SERVICE_LEVEL_HOURS)],
        help_text=gettext_lazy(
            "An item waiting longer than this for the editorial or the medical review is "
            "listed as past the service level (1 to 720 hours)."
        ),
    )

    panels = [FieldPanel("review_service_level_hours")]

    class Meta:
        verbose_name = gettext_lazy("review service level")
        permissions = [("view_analytics", "Can see the review and community analytics")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    review_service_level_hours__gte=1,
                    review_service_level_hours__lte=MAX_SERVICE_LEVEL_HOURS,
                ),
                name="analytics_service_level_hours_range",
            )
        ]
