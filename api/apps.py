from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The public read API (issue 18): Wagtail's API v2 answering exactly what a
    visitor may read, through the same readability rule as every page.

    High in the layers (beside discovery): it reads every kind of public content.
    """

    name = "api"
    label = "kindred_api"
    verbose_name = "Public read API"
    default_auto_field = "django.db.models.BigAutoField"
