from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Review and community analytics for Editors, Community managers and administrators."""

    name = "analytics"
    verbose_name = "Analytics"
    default_auto_field = "django.db.models.BigAutoField"
