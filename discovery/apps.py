from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """How the open web finds Kindred (issue 18): the sitemap, robots.txt and the
    schema.org structured data of public items.

    High in the layers (below the data-rights apps): it reads every kind of public
    content, and only what a visitor may read.
    """

    name = "discovery"
    verbose_name = "Discovery"
    default_auto_field = "django.db.models.BigAutoField"
