from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    """Joining, leaving and moderating communities; the directory and each community's page.

    The models (``CommunityPage``, ``CommunityMembership``) and the audience
    rule are the core's (``core.models.communities``, ``core.selectors``):
    every layer reads them. This app, near the top, offers what people do.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = "Communities"
