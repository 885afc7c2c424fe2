from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site on top: settings, URLs, setup and demo commands."""

    name = "portal"
    verbose_name = "Kindred portal"

    def ready(self):
        # Issue 10, finding 5: the deployment check on TRUSTED_PROXY_COUNT.
        from portal import checks  # noqa: F401
