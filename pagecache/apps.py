from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    """The full-page cache for visitors and its invalidation (issue 17).

    Just above core, beside audit: it imports only core, Django and Wagtail,
    so every app can mark its pages public or invalidate what it changed.
    """

    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import signals

        signals.connect()
